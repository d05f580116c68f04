import { defineConfig } from 'vitest/config';
import { inlineWorker } from './scripts/vite-inline-worker.mts';

export default defineConfig({
  // Tests start the same bundled worker code as the app and the CLI.
  plugins: [inlineWorker()],
  test: {
    include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Crypto-heavy suites: keep CPU for their own worker threads on 2 cores.
    pool: 'forks',
    maxWorkers: 2,
  },
});
