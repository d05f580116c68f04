// Layering rules (the architecture, made checkable):
// - `electron` may be imported as a value only by the Electron glue
//   (src/main/electron) and the preload; services run in plain Node.
// - The renderer and shared code import nothing from Node.
// - Shared code imports neither Electron nor the DOM-only renderer.
// - Inside src/main: a feature (a folder of src/main/services) is imported only
//   through its index.ts, and services (domain code) import neither the IPC
//   contract nor the IPC layer, the CLI or the glue (scripts/eslint).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';
import airlock from './scripts/eslint/airlock-boundaries.mjs';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export const electronOutsideGlue = {
  paths: [
    {
      name: 'electron',
      message: 'Only src/main/electron (the glue) and src/preload may import electron values; services must run in plain Node. Use `import type` or pass the object in.',
      allowTypeImports: true,
    },
  ],
};

export const nodeInBrowser = {
  paths: [
    ...nodeBuiltins.map((name) => ({ name, message: 'The renderer and shared code run without Node: no Node built-ins. Ask main through window.airlock.' })),
    { name: 'electron', message: 'The renderer and shared code must not import electron.', allowTypeImports: false },
  ],
  patterns: [{ group: ['**/main/**', '**/preload/**'], message: 'The renderer may only import src/shared and its own files.' }],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'resources/**', 'test-results/**', 'test/lint-fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx,mjs}'],
    ignores: ['src/main/electron/**', 'src/preload/**', 'src/renderer/**', 'src/shared/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', electronOutsideGlue] },
  },
  {
    files: ['src/main/**/*.{ts,mts,mjs}'],
    plugins: { airlock },
    rules: { 'airlock/feature-boundaries': 'error' },
  },
  {
    files: ['src/main/services/**/*.{ts,mts,mjs}'],
    plugins: { airlock },
    rules: { 'airlock/domain-without-ipc': 'error' },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'src/shared/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { '@typescript-eslint/no-restricted-imports': ['error', nodeInBrowser] },
  },
);
