#!/usr/bin/env node
// Builds better-sqlite3-multiple-ciphers for Electron's ABI into
// build/native/better_sqlite3.node, without touching node_modules (whose build
// stays on Node's ABI for the CLI and the tests). The app loads it through the
// module's `nativeBinding` option (src/main/electron/main.ts).
// Needs Electron's headers, which node-gyp downloads: run it on a build machine
// with network access (`npm start` and `npm run dist` call it).
//   node scripts/build-native-electron.mjs [--if-missing]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'build/native/better_sqlite3.node');
if (process.argv.includes('--if-missing') && existsSync(out)) process.exit(0);

const electronVersion = JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const moduleDir = path.join(root, 'node_modules/better-sqlite3-multiple-ciphers');
const work = path.join(root, 'build/native-src');
rmSync(work, { recursive: true, force: true });
cpSync(moduleDir, work, { recursive: true, filter: (src) => !src.includes(`${path.sep}build${path.sep}`) });

const env = { ...process.env };
// A machine-wide `nodedir` (set on some build hosts) would force Node's headers.
for (const k of Object.keys(env)) if (k.toLowerCase() === 'npm_config_nodedir') delete env[k];
// node-gyp: the project's copy if present, else the one npm bundles.
const npmGyp = path.join(path.dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js');
const nodeGyp = [path.join(root, 'node_modules/node-gyp/bin/node-gyp.js'), npmGyp].find((p) => existsSync(p));
if (!nodeGyp) {
  console.error('node-gyp not found (neither in node_modules nor bundled with npm).');
  process.exit(2);
}
const r = spawnSync(
  process.execPath,
  [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers', '--nodedir='],
  { cwd: work, stdio: 'inherit', env },
);
if (r.status !== 0) {
  console.error(`Could not build the SQLite module for Electron ${electronVersion}. This needs Electron's headers (network) and a C++ toolchain.`);
  process.exit(r.status ?? 1);
}
mkdirSync(path.dirname(out), { recursive: true });
copyFileSync(path.join(work, 'build/Release/better_sqlite3.node'), out);
rmSync(work, { recursive: true, force: true });
console.log(`built ${path.relative(root, out)} for Electron ${electronVersion} (ABI from its headers)`);
