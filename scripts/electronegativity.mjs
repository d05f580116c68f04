#!/usr/bin/env node
// Runs Doyensec's Electronegativity over the built app (out/main, out/preload,
// out/renderer) and fails on any HIGH-severity finding, or any finding at all
// that scripts/electronegativity-accepted.json does not explain.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronVersion = JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const accepted = JSON.parse(readFileSync(path.join(root, 'scripts/electronegativity-accepted.json'), 'utf8'));
const outDir = path.join(root, 'test-results');
mkdirSync(outDir, { recursive: true });
if (!existsSync(path.join(root, 'out/main/index.mjs'))) {
  console.error('electronegativity: build the app first (npx electron-vite build).');
  process.exit(2);
}

/** Minimal CSV parser for the tool's quoted output. */
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field.trim()); field = ''; }
    else if (c === '\n') { row.push(field.trim()); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field || row.length) { row.push(field.trim()); rows.push(row); }
  return rows;
}

// The scanner reads .js/.html but not .mjs, and its global checks (navigation
// limits, permission handler, CSP) need main, preload and renderer in one tree:
// scan a copy of out/ with .mjs renamed .js.
const scanRoot = mkdtempSync(path.join(tmpdir(), 'airlock-scan-'));
for (const part of ['main', 'preload', 'renderer']) cpSync(path.join(root, 'out', part), path.join(scanRoot, part), { recursive: true });
for (const file of readdirSync(scanRoot, { recursive: true }).map(String).filter((f) => f.endsWith('.mjs'))) {
  renameSync(path.join(scanRoot, file), path.join(scanRoot, file.replace(/\.mjs$/, '.js')));
}
const csv = path.join(outDir, 'electronegativity.csv');
const r = spawnSync('npx', ['electronegativity', '-i', scanRoot, '-o', csv, '-r', '-v', 'false', '-e', electronVersion], { cwd: root, encoding: 'utf8' });
rmSync(scanRoot, { recursive: true, force: true });
if (r.status !== 0 || !existsSync(csv)) {
  console.error(r.stdout, r.stderr);
  console.error('electronegativity did not run');
  process.exit(2);
}
const [header, ...rows] = parseCsv(readFileSync(csv, 'utf8')).filter((x) => x.length > 1);
const col = (name) => header.indexOf(name);
const findings = rows.map((row) => ({
  check: row[col('issue')],
  severity: row[col('severity')],
  file: row[col('filename')],
  location: row[col('location')],
}));

let failed = 0;
for (const f of findings) {
  const why = accepted[f.check];
  const status = why ? 'explained' : 'UNEXPLAINED';
  if (!why || (f.severity === 'HIGH' && !why.high)) failed++;
  console.log(`${status.padEnd(11)} ${f.severity.padEnd(13)} ${f.check} ${f.file}:${f.location}${why ? ` — ${why.reason}` : ''}`);
}
console.log(`electronegativity ${electronVersion}: ${findings.length} finding(s), ${failed} unexplained or high`);
process.exit(failed ? 1 : 0);
