#!/usr/bin/env node
// `npm run bench`: builds bench/run.ts like the CLI (plain Node, workers bundled
// in) and runs it. Each benchmark prints Airlock's figure side by side with its
// reference (plain SQLite, plain file copy, `openssl dgst -sha384`) in one run.
//   npm run bench                 # everything
//   npm run bench -- vault        # one group: vault | verify | cli (the `airlock verify` process beside the stock tools)
import { build } from 'vite';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { loadConfigFromFile } = await import('vite');
const { config: base } = await loadConfigFromFile({ command: 'build', mode: 'production' }, path.join(root, 'vite.cli.config.mts'));

await build({
  ...base,
  configFile: false,
  logLevel: 'warn',
  build: {
    ...base.build,
    outDir: path.join(root, 'out/bench'),
    sourcemap: false,
    rollupOptions: {
      ...base.build.rollupOptions,
      // Workers are bundled into run.mjs by the CLI config's inline-worker plugin.
      input: { run: path.join(root, 'bench/run.ts') },
    },
  },
});
// One process per group, so peak-memory figures (maxRSS) belong to that group alone.
const groups = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = groups.length ? groups : ['vault', 'verify', 'cli'];
let status = 0;
for (const group of selected) {
  const r = spawnSync(process.execPath, [path.join(root, 'out/bench/run.mjs'), group], { stdio: 'inherit', cwd: root });
  status ||= r.status ?? 1;
}
process.exit(status);
