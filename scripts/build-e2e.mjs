#!/usr/bin/env node
// Builds what the end-to-end tier serves: the renderer (same config as the app),
// the real preload bundled over test/e2e/electron-shim.ts, and the headless
// backend (out/cli/backend.mjs, built with the CLI).
import { build } from 'vite';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quiet = { logLevel: 'warn' };

await build({ ...quiet, configFile: path.join(root, 'vite.renderer.config.mts') });
await build({
  ...quiet,
  configFile: false,
  resolve: { alias: { electron: path.join(root, 'test/e2e/electron-shim.ts') } },
  build: {
    outDir: path.join(root, 'out/e2e'),
    emptyOutDir: true,
    minify: false,
    lib: { entry: path.join(root, 'src/preload/index.ts'), formats: ['iife'], name: 'airlockPreload', fileName: () => 'preload.js' },
  },
});
await build({ ...quiet, configFile: path.join(root, 'vite.cli.config.mts') });
console.log('e2e build: out/renderer, out/e2e/preload.js, out/cli/backend.mjs');
