import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config.mts';
import { inlineWorker } from './scripts/vite-inline-worker.mts';

export default defineConfig({
  main: {
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
