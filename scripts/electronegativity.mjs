#!/usr/bin/env node
// Runs Doyensec's Electronegativity over the sources (src/) and over the built
// app (out/main, out/preload, out/renderer: what auditors receive) and fails on
// any finding at all, whatever its severity. There is no list of accepted
// findings: the security options are written where the scanner reads them.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronVersion = JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const outDir = path.join(root, 'test-results');
mkdirSync(outDir, { recursive: true });
if (!existsSync(path.join(root, 'out/main/index.mjs'))) {
  console.error('electronegativity: build the app first (npx electron-vite build).');
  process.exit(2);
}

/** Minimal parser for the tool's quoted CSV output. */
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

/** Scans one folder; returns the findings. */
function scan(label, dir) {
  const csv = path.join(outDir, `electronegativity-${label}.csv`);
  rmSync(csv, { force: true });
  const r = spawnSync('npx', ['electronegativity', '-i', dir, '-o', csv, '-r', '-v', 'false', '-e', electronVersion], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(csv)) {
    console.error(r.stdout, r.stderr);
    console.error(`electronegativity did not run on ${label}`);
    process.exit(2);
  }
  const [header, ...rows] = parseCsv(readFileSync(csv, 'utf8')).filter((x) => x.length > 1);
  const col = (name) => header.indexOf(name);
  return rows.map((row) => ({ check: row[col('issue')], severity: row[col('severity')], file: row[col('filename')], location: row[col('location')], description: row[col('description')] }));
}

// The scanner reads .js/.html but not .mjs, and its global checks (navigation
// limits, permission handler, CSP) need main, preload and renderer in one tree:
// scan a copy of out/ with .mjs renamed .js.
const builtCopy = mkdtempSync(path.join(tmpdir(), 'airlock-scan-'));
try {
  for (const part of ['main', 'preload', 'renderer']) cpSync(path.join(root, 'out', part), path.join(builtCopy, part), { recursive: true });
  for (const file of readdirSync(builtCopy, { recursive: true }).map(String).filter((f) => f.endsWith('.mjs'))) {
    renameSync(path.join(builtCopy, file), path.join(builtCopy, file.replace(/\.mjs$/, '.js')));
  }
  let total = 0;
  for (const [label, dir] of [['src', path.join(root, 'src')], ['out', builtCopy]]) {
    const findings = scan(label, dir);
    total += findings.length;
    for (const f of findings) console.log(`${label}: ${f.severity.padEnd(13)} ${f.check} ${f.file}:${f.location} — ${f.description}`);
    console.log(`electronegativity ${electronVersion} on ${label}: ${findings.length} finding(s)`);
  }
  process.exitCode = total ? 1 : 0;
} finally {
  rmSync(builtCopy, { recursive: true, force: true });
}
