/**
 * bin/airlock.mjs builds the CLI on first use and after its sources change
 * (no install script may: npm 11 refuses the root package's prepare script
 * under npx), and concurrent builds never leave a partial or missing out/cli.
 * Runs against a copy of the repository (sources, config, scripts, bin, with
 * node_modules linked), so the real out/cli is never touched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtStamp, sourceStamp } from '../../../scripts/build-cli.mjs';

const root = path.resolve(__dirname, '../../..');
const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;

/** A copy of what a fresh clone has for the CLI; node_modules linked unless withoutDeps. */
function copyRepo(dir: string, opts: { withoutDeps?: boolean } = {}): void {
  for (const p of ['src', 'bin', 'scripts']) fs.cpSync(path.join(root, p), path.join(dir, p), { recursive: true });
  for (const f of ['package.json', 'package-lock.json', 'tsconfig.json', 'vite.cli.config.mts']) fs.copyFileSync(path.join(root, f), path.join(dir, f));
  if (!opts.withoutDeps) fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
}

function airlock(dir: string, ...args: string[]) {
  return spawnSync(process.execPath, [path.join(dir, 'bin/airlock.mjs'), ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
}

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'airlock-launcher-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe('the source fingerprint', () => {
  it('changes when a source file is edited, added or removed, and only then', () => {
    const dir = path.join(work, 'stamp');
    fs.mkdirSync(path.join(dir, 'src/main/cli'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'src/shared'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'src/main/cli/a.ts'), 'export const a = 1;\n');
    fs.writeFileSync(path.join(dir, 'package.json'), '{}\n');
    const first = sourceStamp(dir) as string;
    expect(sourceStamp(dir)).toBe(first);
    expect(first).toContain('src/main/cli/a.ts');

    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(dir, 'src/main/cli/a.ts'), later, later);
    const touched = sourceStamp(dir) as string;
    expect(touched).not.toBe(first);

    fs.writeFileSync(path.join(dir, 'src/shared/b.ts'), 'export const b = 2;\n');
    const added = sourceStamp(dir) as string;
    expect(added).not.toBe(touched);

    fs.rmSync(path.join(dir, 'src/shared/b.ts'));
    expect(sourceStamp(dir)).toBe(touched);

    fs.writeFileSync(path.join(dir, 'package.json'), '{"changed": true}\n');
    expect(sourceStamp(dir)).not.toBe(touched);
  });
});

describe('bin/airlock.mjs on a fresh copy', () => {
  it('builds on first use (one line on stderr), runs without rebuilding, and rebuilds after a source changes', () => {
    const dir = path.join(work, 'fresh');
    copyRepo(dir);

    const first = airlock(dir, '--version');
    expect(first.stderr).toBe('building the airlock CLI (first run)…\n');
    expect(first.stdout.trim()).toBe(version);
    expect(first.status).toBe(0);
    expect(fs.lstatSync(path.join(dir, 'out/cli')).isSymbolicLink()).toBe(true);
    expect(builtStamp(path.join(dir, 'out/cli'))).toBe(sourceStamp(dir));

    const second = airlock(dir, '--help');
    expect(second.stderr).toBe('');
    expect(second.stdout).toContain('Usage: airlock <command>');
    expect(second.status).toBe(0);

    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(dir, 'src/main/cli/cli.ts'), later, later);
    const third = airlock(dir, '--version');
    expect(third.stderr).toBe('rebuilding the airlock CLI (its sources changed)…\n');
    expect(third.stdout.trim()).toBe(version);
    expect(builtStamp(path.join(dir, 'out/cli'))).toBe(sourceStamp(dir));
  }, 120_000);

  it('without vite installed, says exactly what to run (exit 2)', () => {
    const dir = path.join(work, 'nodeps');
    copyRepo(dir, { withoutDeps: true });
    const r = airlock(dir, '--help');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('building the airlock CLI (first run)…\n');
    expect(r.stderr).toContain(`vite (a development dependency) is not installed. Run "npm ci" in ${dir} (without --omit=dev), then run the command again.`);
    expect(fs.existsSync(path.join(dir, 'out/cli'))).toBe(false);
  }, 60_000);

  it('concurrent first runs all succeed and leave one complete build; readers never see a partial or missing out/cli', async () => {
    const dir = path.join(work, 'race');
    copyRepo(dir);
    const run = (args: string[], script = path.join(dir, 'bin/airlock.mjs')) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const c = spawn(process.execPath, [script, ...args], { cwd: dir });
        let stdout = '';
        let stderr = '';
        c.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
        c.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
        c.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    const firsts = await Promise.all([run(['--version']), run(['--version']), run(['--version'])]);
    for (const r of firsts) {
      expect(r.stdout.trim()).toBe(version);
      expect(r.status).toBe(0);
    }
    expect(builtStamp(path.join(dir, 'out/cli'))).toBe(sourceStamp(dir));

    // Rebuilds (a source changed) while other runs read the current build.
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(dir, 'src/main/cli/cli.ts'), later, later);
    const entry = path.join(dir, 'out/cli/airlock.mjs');
    let building = true;
    const readers: { status: number | null; stdout: string }[] = [];
    // readers of the built CLI itself (no launcher, so no rebuild) while the builds switch out/cli
    const reading = (async () => {
      while (building) {
        const r = await run(['--help'], entry);
        readers.push(r);
      }
    })();
    const mixed = await Promise.all([run(['--version']), run(['--help']), run(['--version'])]);
    building = false;
    await reading;
    for (const r of mixed) {
      expect(r.stderr).not.toMatch(/Cannot find|ERR_MODULE_NOT_FOUND|Error/);
      expect(r.status).toBe(0);
    }
    expect(readers.length).toBeGreaterThan(0);
    for (const r of readers) expect([r.status, r.stdout.includes('Usage: airlock <command>')]).toEqual([0, true]);
    expect(fs.existsSync(entry)).toBe(true);
    expect(builtStamp(path.join(dir, 'out/cli'))).toBe(sourceStamp(dir));
    // the superseded builds stay (a running CLI may still load chunks from them) until they are ten minutes old
    expect(fs.readdirSync(path.join(dir, 'out/cli-builds')).length).toBeGreaterThanOrEqual(2);
  }, 180_000);
});

describe('the built entry loads only what --help needs', () => {
  it('reaches no dependency (SQLite, PKI, zod, yaml) through static imports; commands are separate chunks', () => {
    const dir = path.join(work, 'fresh', 'out/cli');
    if (!fs.existsSync(dir)) airlock(path.join(work, 'fresh'), '--version');
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = fs.readFileSync(path.join(dir, file), 'utf8');
      // static imports only: `import … from "x"` and `import "x"` at the start of a line (the bundle's own style)
      for (const m of code.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["'];?$/gm)) {
        const spec = m[1]!;
        if (spec.startsWith('./')) visit(spec.slice(2));
        else bare.add(spec);
      }
    };
    visit('airlock.mjs');
    expect([...bare].filter((s) => !s.startsWith('node:'))).toEqual([]);
    expect(seen.size).toBeLessThanOrEqual(3);
    const entry = fs.readFileSync(path.join(dir, 'airlock.mjs'), 'utf8');
    expect(entry.match(/await import\("\.\/[^"]+\.mjs"\)/g)?.length).toBeGreaterThanOrEqual(4);
  });
});
