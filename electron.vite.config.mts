import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config.mts';
import { inlineWorker } from './scripts/vite-inline-worker.mts';

/**
 * SHA-384 of the Electron-ABI SQLite module that electron-builder ships as
 * resources/native/better_sqlite3.node (`npm run dist` builds it first). Pinned
 * into the main bundle, under ASAR integrity; a packaged app refuses to open
 * the vault with any other module (src/main/electron/startup.ts).
 */
function shippedSqliteDigest(): string | null {
  const file = resolve(import.meta.dirname, 'build/native/better_sqlite3.node');
  return existsSync(file) ? createHash('sha384').update(readFileSync(file)).digest('hex') : null;
}

export default defineConfig({
  main: {
    define: { __AIRLOCK_SQLITE_SHA384__: JSON.stringify(shippedSqliteDigest()) },
    // Worker threads' code is bundled into index.mjs (inside app.asar, under ASAR integrity), not emitted beside it.
    plugins: [inlineWorker()],
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/main/electron/main.ts') },
        // ESM main (Electron ≥ 28), like the CLI build.
        output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: rendererConfig,
});
