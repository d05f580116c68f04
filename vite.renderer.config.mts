/**
 * The renderer build, shared by electron-vite (the app) and the end-to-end
 * harness (which builds only the renderer and serves it to Chromium).
 */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import type { Plugin, UserConfig } from 'vite';
import { RENDERER_CSP_META } from './src/shared/csp.ts';

/** Injects the same CSP as a <meta> so it holds even if the header were lost. */
function cspMeta(): Plugin {
  return {
    name: 'airlock-csp-meta',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: RENDERER_CSP_META }, injectTo: 'head-prepend' }],
  };
}

export const rendererConfig: UserConfig = {
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  plugins: [react(), cspMeta()],
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
