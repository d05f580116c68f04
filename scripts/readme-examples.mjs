#!/usr/bin/env node
// Runs every README.md line that starts with `npx airlock`, in order, exactly
// as written, with bash from the repository root, and checks its exit code:
// 0 unless the line ends with a comment `# exit N` (`# exit 1: why` also works).
// Prints a table; exits 1 when any example ends differently (its output is
// shown), 2 when the README has no examples. CI runs it on a fresh clone
// after `npm ci` (.ci/run).
//
//   node scripts/readme-examples.mjs [README]
//
// The examples are run with no terminal on stdin (a passphrase prompt fails
// instead of waiting) and without AIRLOCK_PASSPHRASE / AIRLOCK_NEW_PASSPHRASE
// in the environment, so each line must carry everything it needs. Vaults the
// examples create under the system temp folder (`--vault /tmp/…`) are removed
// first, so a second run starts where a fresh clone does.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readme = path.resolve(root, process.argv[2] ?? 'README.md');
const PER_EXAMPLE_TIMEOUT_MS = 5 * 60_000; // the first one also builds the CLI

/** Every line starting with `npx airlock` (leading indentation ignored), with the exit code it documents. */
export function extractExamples(text) {
  const examples = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line.startsWith('npx airlock')) return;
    // the trailing comment, if any: bash ignores it; `# exit N` documents the exit code
    const hash = line.search(/\s#/);
    const code = hash >= 0 ? line.slice(0, hash).trimEnd() : line;
    const m = hash >= 0 ? /^\s*exit\s+(\d+)\b/.exec(line.slice(hash).replace(/^\s#/, '')) : null;
    examples.push({ line: i + 1, command: line, code, expect: m ? Number(m[1]) : 0 });
  });
  return examples;
}

/** `--vault DIR` arguments under the system temp folder: scratch vaults the examples create. */
function scratchVaults(examples) {
  const tmp = fs.realpathSync(os.tmpdir());
  const dirs = new Set();
  for (const e of examples) {
    for (const m of e.command.matchAll(/--vault\s+(\S+)/g)) {
      const dir = path.resolve(root, m[1]);
      if (dir.startsWith(`${tmp}${path.sep}`) || dir.startsWith('/tmp/')) dirs.add(dir);
    }
  }
  return [...dirs];
}

function main() {
  const examples = extractExamples(fs.readFileSync(readme, 'utf8'));
  if (examples.length === 0) {
    console.error(`readme-examples: no line starting with "npx airlock" in ${readme}.`);
    process.exit(2);
  }
  for (const dir of scratchVaults(examples)) fs.rmSync(dir, { recursive: true, force: true });

  const env = { ...process.env };
  delete env.AIRLOCK_PASSPHRASE;
  delete env.AIRLOCK_NEW_PASSPHRASE;

  console.log(`README examples: ${examples.length} lines starting with "npx airlock" in ${path.relative(root, readme)}, run with bash from ${root}\n`);
  const rows = [];
  for (const [i, e] of examples.entries()) {
    const t0 = Date.now();
    const r = spawnSync('bash', ['-c', e.command], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: PER_EXAMPLE_TIMEOUT_MS, maxBuffer: 64 << 20 });
    const seconds = (Date.now() - t0) / 1000;
    const got = r.status ?? (r.signal ? `signal ${r.signal}` : 'error');
    const problems = [];
    if (got !== e.expect) problems.push(`exit ${got}, README says ${e.expect}`);
    // --json promises exactly one JSON document on stdout
    if (/\s--json(\s|$)/.test(e.code)) {
      try {
        JSON.parse(r.stdout);
      } catch {
        problems.push('--json output is not one JSON document');
      }
    }
    rows.push({ n: i + 1, line: e.line, expect: e.expect, got, seconds, ok: problems.length === 0, command: e.command });
    const mark = problems.length ? '✗' : '✓';
    console.log(`${mark} ${String(i + 1).padStart(2)}  README:${String(e.line).padEnd(4)} exit ${String(got).padEnd(2)} (expected ${e.expect})  ${seconds.toFixed(1).padStart(5)} s  ${e.command}`);
    if (problems.length) {
      console.log(`     ${problems.join('; ')}`);
      const tail = (s) => (s ?? '').trimEnd().split('\n').slice(-25).map((l) => `     | ${l}`).join('\n');
      if (r.stdout?.trim()) console.log(`     stdout:\n${tail(r.stdout)}`);
      if (r.stderr?.trim()) console.log(`     stderr:\n${tail(r.stderr)}`);
      if (r.error) console.log(`     ${r.error.message}`);
    }
  }
  const failed = rows.filter((r) => !r.ok);
  const total = rows.reduce((a, r) => a + r.seconds, 0);
  console.log(`\n${rows.length - failed.length} of ${rows.length} README examples behave as documented (${total.toFixed(1)} s).`);
  if (failed.length) {
    console.log(`Failing: ${failed.map((r) => `#${r.n} (README line ${r.line})`).join(', ')}`);
    process.exit(1);
  }
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) main();
