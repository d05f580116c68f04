import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../../src/main/services/vault/index';
import { FAST, PASS, newVaultDir } from './helpers';
import { inlineWorker } from '../../../scripts/vite-inline-worker.mts';

const ROOT = path.resolve(__dirname, '../../..');
let childJs = '';

beforeAll(async () => {
  fs.mkdirSync(path.join(ROOT, 'node_modules', '.cache'), { recursive: true });
  const out = fs.mkdtempSync(path.join(ROOT, 'node_modules', '.cache', 'vault-crash-'));
  await build({
    configFile: false,
    logLevel: 'silent',
    root: ROOT,
    // The vault's workers are bundled into the code that starts them, as in the app.
    plugins: [inlineWorker()],
    build: {
      ssr: path.join(ROOT, 'test/helpers/vault-crash-child.ts'),
      outDir: out,
      emptyOutDir: true,
      minify: false,
      rollupOptions: { output: { format: 'es', entryFileNames: 'child.mjs' } },
    },
    ssr: { external: ['better-sqlite3-multiple-ciphers'] },
  });
  childJs = path.join(out, 'child.mjs');
  // Inside node_modules so the child resolves better-sqlite3-multiple-ciphers.
  return () => fs.rmSync(out, { recursive: true, force: true });
}, 60_000);

interface Run {
  records: number[];
  blobs: Map<number, string>;
}

function runAndKill(dir: string, killAfterMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childJs, dir], { env: { ...process.env, CRASH_PASS: PASS }, stdio: ['ignore', 'pipe', 'pipe'] });
    const run: Run = { records: [], blobs: new Map() };
    let buf = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const [k, a, b] = line.split(' ');
        if (k === 'READY') timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        else if (k === 'C') run.records.push(Number(a));
        else if (k === 'B') run.blobs.set(Number(a), b!);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(run);
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

const payload = (id: number) => crypto.createHash('sha384').update(`payload-${id}`).digest('hex').repeat(4);

describe('crash safety (kill -9 during writes)', () => {
  it('20 random kills: vault opens, integrity ok, every reported commit intact, no half-written blob visible', async () => {
    const dir = newVaultDir();
    (await Vault.create(dir, PASS, FAST)).lock();
    const committed = new Set<number>();
    const blobs = new Map<number, string>();
    const verified = new Set<string>();
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    let sawTemp = 0;
    for (let iter = 0; iter < 20; iter++) {
      const r = await runAndKill(dir, 40 + Math.floor(rand() * 400));
      r.records.forEach((x) => committed.add(x));
      r.blobs.forEach((s, id) => blobs.set(id, s));
      sawTemp += fs.readdirSync(path.join(dir, 'tmp')).length;
      const v = await Vault.unlock(dir, PASS, FAST);
      try {
        expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
        expect(v.db.pragma('integrity_check', { simple: true })).toBe('ok');
        const rows = new Map((v.db.prepare('SELECT id, payload FROM crash_records').raw().all() as [number, string][]).map(([a, b]) => [a, b]));
        for (const id of committed) expect(rows.get(id), `record ${id} lost at iteration ${iter}`).toBe(payload(id));
        for (const [id, s] of blobs) expect(v.blobs.has(s), `blob ${id} lost`).toBe(true);
        // Every indexed blob (new since last round) must be complete and verify.
        for (const s of v.db.prepare('SELECT sha384 FROM blobs').pluck().all() as string[]) {
          if (verified.has(s)) continue;
          const data = await v.blobs.readAll(s);
          expect(crypto.createHash('sha384').update(data).digest('hex')).toBe(s);
          verified.add(s);
        }
        expect(v.audit.verify().ok).toBe(true);
      } finally {
        v.lock();
      }
    }
    expect(committed.size).toBeGreaterThan(20);
    expect(blobs.size).toBeGreaterThan(5);
    console.log(`[crash] ${committed.size} records, ${blobs.size} blobs, ${verified.size} blobs verified, temp files swept ${sawTemp}`);
  }, 120_000);
});
