#!/usr/bin/env node
// Launcher for the `airlock` CLI built into out/cli/. No install script builds
// it (npm 11 refuses the root package's own prepare script under npx), so the
// first run builds it, and a run after the CLI's sources changed rebuilds it:
// the check compares a stat-only fingerprint of the sources with the one the
// build recorded (scripts/build-cli.mjs).
import { existsSync } from 'node:fs';
import { builtStamp, buildCli, CliBuildError, cliOutDir, repoRoot, sourceStamp } from '../scripts/build-cli.mjs';

const outDir = cliOutDir();
const entry = new URL('../out/cli/airlock.mjs', import.meta.url);
// Without the sources (a copy that ships only out/cli) the built CLI is all there is.
const haveSources = existsSync(new URL('../src/main/cli/main.ts', import.meta.url));
const built = builtStamp(outDir);
if (haveSources && (built === undefined || built !== sourceStamp() || !existsSync(entry))) {
  process.stderr.write(built === undefined ? 'building the airlock CLI (first run)…\n' : 'rebuilding the airlock CLI (its sources changed)…\n');
  try {
    await buildCli({ logLevel: 'error' });
  } catch (e) {
    const why = e instanceof CliBuildError ? e.message : `building the command line failed (above). Fix the sources, or run "npm run build:cli" to see the build on its own.\n${e?.message ?? e}`;
    process.stderr.write(`airlock: ${why}\n`);
    process.exit(2);
  }
} else if (!existsSync(entry)) {
  process.stderr.write(`airlock: the command line is not built and its sources are missing from ${repoRoot}. Reinstall Airlock.\n`);
  process.exit(2);
}
await import(entry.href);
