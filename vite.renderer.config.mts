/**
 * The renderer build, shared by electron-vite (the app) and the end-to-end
 * harness (which builds only the renderer and serves it to Chromium).
 */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import type { UserConfig } from 'vite';

export const rendererConfig: UserConfig = {
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  // The CSP <meta> is written literally in src/renderer/index.html (equal to src/shared/csp.ts, unit-tested).
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    minify: true,
    // The CSP forbids inline scripts and styles: never inline assets.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') },
  },
};

export default rendererConfig;
