#!/usr/bin/env node
// Runs the _electron smoke suite where an Electron binary exists; elsewhere
// reports the suite as skipped, with the reason, and succeeds.
import { spawnSync } from 'node:child_process';
import { findElectronBinary } from './electron-binary.mjs';

const found = findElectronBinary();
if (!found.path) {
  console.log(`electron smoke suite: SKIPPED — ${found.reason}`);
  process.exit(0);
}
const result = spawnSync('npx', ['playwright', 'test', '--config', 'test/electron/playwright.electron.config.ts'], {
  stdio: 'inherit',
  env: { ...process.env, AIRLOCK_ELECTRON_BINARY: found.path },
});
process.exit(result.status ?? 1);
