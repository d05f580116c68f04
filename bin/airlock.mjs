#!/usr/bin/env node
// Thin launcher: the CLI is built by `npm ci` (prepare) into out/cli/.
import { existsSync } from 'node:fs';

const entry = new URL('../out/cli/airlock.mjs', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('airlock: the command line is not built yet. Run "npm run build:cli" (npm ci runs it).\n');
  process.exit(2);
}
await import(entry.href);
