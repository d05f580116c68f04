#!/usr/bin/env node
// `npm test`: every tier, in order, failing on the first failure, with counts.
//   1. typecheck + lint (incl. the layering rule)
//   2. build: the app (electron-vite), the CLI + headless backend, the e2e preload shim
//   3. unit tier (vitest, Node: services, router, glue, CLI, corpus, fuzz)
//   4. end-to-end tier (Playwright + Debian Chromium against the built renderer)
//   5. _electron smoke tier (skipped, with the reason, where no Electron binary exists)
//   6. Electron security scan (electronegativity) of src and of the built app: any finding fails
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reports = path.join(root, 'test-results');
mkdirSync(reports, { recursive: true });
const summary = [];
const started = Date.now();

function step(name, cmd, args, env = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`\n✗ ${name} failed (exit ${r.status ?? r.signal}) after ${seconds}s`);
    printSummary();
    process.exit(1);
  }
  return seconds;
}

function printSummary() {
  console.log('\n=== Summary');
  for (const line of summary) console.log(`  ${line}`);
  console.log(`  total ${((Date.now() - started) / 1000).toFixed(0)}s`);
}

let s = step('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
summary.push(`typecheck ok (${s}s)`);
s = step('lint', 'npx', ['eslint', '.', '--max-warnings=0']);
summary.push(`lint ok (${s}s)`);
s = step('build app', 'npx', ['electron-vite', 'build']);
s = step('build CLI, backend, e2e preload', 'node', ['scripts/build-e2e.mjs']);
summary.push('build ok');

const vitestJson = path.join(reports, 'unit.json');
s = step('unit tier', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
{
  const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
  summary.push(`unit: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + (r.numTodoTests ?? 0)} skipped in ${r.testResults.length} files (${s}s)`);
}

const pwJson = path.join(reports, 'e2e.json');
s = step('end-to-end tier', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
{
  const r = JSON.parse(readFileSync(pwJson, 'utf8'));
  summary.push(`e2e: ${r.stats.expected} passed, ${r.stats.unexpected} failed, ${r.stats.skipped} skipped, ${r.stats.flaky} flaky (${s}s)`);
}

const smoke = spawnSync('node', ['test/electron/run-smoke.mjs'], { cwd: root, encoding: 'utf8' });
process.stdout.write(smoke.stdout ?? '');
process.stderr.write(smoke.stderr ?? '');
if (smoke.status !== 0) {
  summary.push('electron smoke: FAILED');
  printSummary();
  process.exit(1);
}
summary.push(/SKIPPED/.test(smoke.stdout) ? `electron smoke: skipped — ${smoke.stdout.split('SKIPPED — ')[1]?.trim()}` : 'electron smoke: passed');

s = step('electron security scan', 'node', ['scripts/electronegativity.mjs']);
summary.push(`electronegativity: no finding on src or the built app (${s}s)`);
printSummary();
