/**
 * Builds the `airlock` CLI for plain Node into out/cli/ (bin/airlock.mjs builds it on first use, see
 * scripts/build-cli.mjs). Each command is its own chunk, loaded when it runs; shared chunks are emitted
 * beside the entry (no chunks/ folder). Worker
 * threads' code is bundled into the modules that start them (scripts/vite-inline-worker.mts).
 */
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import { inlineWorker } from './scripts/vite-inline-worker.mts';
import { sourceStampPlugin } from './scripts/build-cli.mjs';

// Only the native SQLite module stays in node_modules. Pure-JS dependencies (pkijs, asn1js, zod, …) are
// bundled into the chunks that use them: one file each instead of dozens for Node's ESM loader to resolve,
// which halves what `airlock verify` spends loading them (it is on every run's critical path).
const NATIVE = ['better-sqlite3-multiple-ciphers'];
const external = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), ...NATIVE, ...NATIVE.map((m) => new RegExp(`^${m}/`))];

export default defineConfig({
  // out/cli/.source-stamp: bin/airlock.mjs rebuilds when the sources no longer match it.
  // inlineWorker: worker threads' code is bundled into the modules that start them (as in the app and vitest).
  plugins: [sourceStampPlugin(), inlineWorker()],
  ssr: { noExternal: true }, // bundle dependencies; `external` below keeps built-ins and the native module out
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
