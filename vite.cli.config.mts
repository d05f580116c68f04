/**
 * Builds the `airlock` CLI for plain Node into out/cli/. Dependencies stay
 * external (node_modules is present wherever the CLI runs: npm ci, CI, intake
 * stations installed from the repo); shared chunks are emitted beside the entry (no chunks/ folder). Worker
 * threads' code is bundled into the modules that start them (scripts/vite-inline-worker.mts).
 */
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import { readFileSync } from 'node:fs';
import { inlineWorker } from './scripts/vite-inline-worker.mts';
import { sourceStampPlugin } from './scripts/build-cli.mjs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };

const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies),
  // Subpath imports of dependencies stay external too.
  /^better-sqlite3-multiple-ciphers\//,
  /^pkijs\//,
];

export default defineConfig({
  // out/cli/.source-stamp: bin/airlock.mjs rebuilds when the sources no longer match it.
  // inlineWorker: worker threads' code is bundled into the modules that start them (as in the app and vitest).
  plugins: [sourceStampPlugin(), inlineWorker()],
  build: {
    ssr: true,
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      input: {
        airlock: 'src/main/cli/main.ts',
        backend: 'src/main/backend.ts',
      },
      external,
      output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
    },
  },
});
