/**
 * Worker code ships inside the bundle: the `?worker-source` plugin bundles a
 * worker into one self-contained script, started from that string. The hash
 * worker zeroes every key it receives when its job ends (done, error, cancel).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtinModules } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleWorkerSource } from '../../../scripts/vite-inline-worker.mts';
import hashWorkerSource from '../../../src/main/services/bundles/hash-worker.mjs?worker-source';
import blobHashWorkerSource from '../../../src/main/services/vault/blob-hash-worker.ts?worker-source';
import { startInlineWorker } from '../../../src/main/services/workers';
import { CancelledError, hashFiles } from '../../../src/main/services/bundles/hash-pool';
import { BlobOpener, BlobSealer } from '../../../src/main/services/vault/blob-cipher.mjs';

const root = path.resolve(__dirname, '../../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'airlock-workers-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const sha384 = (b: Buffer) => crypto.createHash('sha384').update(b).digest('hex');
const isZero = (b: Uint8Array) => b.every((x) => x === 0);

function file(name: string, data: Buffer): string {
  const p = path.join(work, name);
  fs.writeFileSync(p, data);
  return p;
}

/** A key in shared memory, as hash-pool sends it: the test sees what the worker does to it. */
function sharedKey(): { key: Uint8Array; original: Buffer } {
  const original = crypto.randomBytes(32);
  const key = new Uint8Array(new SharedArrayBuffer(32));
  key.set(original);
  return { key, original };
}

type Reply = { type: string; id?: number; sha384?: string; code?: string; message?: string };

function nextReply(w: Worker): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Reply) => {
      if (m.type === 'progress') return;
      w.off('message', onMessage);
      resolve(m);
    };
    w.on('message', onMessage);
    w.once('error', reject);
  });
}

describe('?worker-source: worker code bundled into the module that starts it', () => {
  it('bundles the hash worker into one CommonJS script that requires only Node built-ins', async () => {
    const { code, watchFiles } = await bundleWorkerSource(path.join(root, 'src/main/services/bundles/hash-worker.mjs'));
    expect(code).toBe(hashWorkerSource);
    const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);
    expect(required.length).toBeGreaterThan(0);
    for (const r of required) expect(builtinModules.includes(r.replace(/^node:/, '')), r).toBe(true);
    // The blob cipher it imports is inlined, not loaded from a file next to it.
    expect(code).not.toMatch(/\bimport\s*\(|^\s*import\s|import\.meta/m);
    expect(code).toContain('ALB1');
    expect(watchFiles.some((f) => f.endsWith('blob-cipher.mjs'))).toBe(true);
  });

  it('bundles TypeScript workers too (the blob store SHA-384 worker) and runs them from the string', async () => {
    expect(blobHashWorkerSource).not.toMatch(/:\s*ArrayBuffer|\bimport\s/);
    const w = startInlineWorker(blobHashWorkerSource);
    try {
      const data = crypto.randomBytes(100_000);
      const copy = Buffer.from(data);
      const acks: unknown[] = [];
      const digest = new Promise<string>((resolve) =>
        w.on('message', (m: number | string) => (typeof m === 'string' ? resolve(m) : acks.push(m))),
      );
      const ab = copy.buffer.slice(copy.byteOffset, copy.byteOffset + copy.length);
      w.postMessage(ab, [ab]);
      w.postMessage(null);
      expect(await digest).toBe(sha384(data));
      expect(acks).toEqual([100_000]);
    } finally {
      await w.terminate();
    }
  });

  it('refuses to start without code (an import that lost its ?worker-source query)', () => {
    expect(() => startInlineWorker('')).toThrow(/\?worker-source/);
  });

  it('fails the build for a worker whose import cannot be resolved', async () => {
    const bad = file('bad-worker.mjs', Buffer.from("import { x } from './does-not-exist.mjs';\nconsole.log(x);\n"));
    await expect(bundleWorkerSource(bad)).rejects.toThrow(/does-not-exist/);
  });
});

describe('hash worker: keys are zeroed when a job ends', () => {
  const data = crypto.randomBytes(9 * 1024 * 1024 + 5);
  const source = file('payload.bin', data);

  it('done: digest right, sealed output opens with the key, and the key it was given is zeroed', async () => {
    const w = startInlineWorker(hashWorkerSource);
    try {
      const { key, original } = sharedKey();
      const tempPath = path.join(work, 'sealed-ok.part');
      w.postMessage({ id: 7, file: source, offset: 0, size: data.length, sink: { tempPath, blobKey: key } });
      const r = await nextReply(w);
      expect(r).toMatchObject({ type: 'done', id: 7, sha384: sha384(data) });
      expect(isZero(key)).toBe(true);
      const o = new BlobOpener(original);
      const plain = o.push(fs.readFileSync(tempPath));
      o.final();
      expect(plain.equals(data)).toBe(true);
    } finally {
      await w.terminate();
    }
  });

  it('error (file missing, or replaced since it was listed): the key is zeroed too', async () => {
    const w = startInlineWorker(hashWorkerSource);
    try {
      const missing = sharedKey();
      w.postMessage({ id: 1, file: path.join(work, 'nope.bin'), offset: 0, size: 10, sink: { tempPath: path.join(work, 'x.part'), blobKey: missing.key } });
      expect(await nextReply(w)).toMatchObject({ type: 'error', id: 1, code: 'ENOENT' });
      expect(isZero(missing.key)).toBe(true);

      const replaced = sharedKey();
      const st = fs.statSync(source);
      w.postMessage({ id: 2, file: source, offset: 0, size: data.length, ino: st.ino + 1, dev: st.dev, sink: { tempPath: path.join(work, 'y.part'), blobKey: replaced.key } });
      expect(await nextReply(w)).toMatchObject({ type: 'error', id: 2, code: 'container.link' });
      expect(isZero(replaced.key)).toBe(true);
    } finally {
      await w.terminate();
    }
  });

  it('cancel: the running job stops at its next chunk, answers "cancelled" and zeroes its key', async () => {
    const w = startInlineWorker(hashWorkerSource);
    try {
      const { key } = sharedKey();
      w.postMessage({ id: 3, file: source, offset: 0, size: data.length, sink: { tempPath: path.join(work, 'cancelled.part'), blobKey: key } });
      w.postMessage({ type: 'cancel' });
      expect(await nextReply(w)).toMatchObject({ type: 'error', id: 3, code: 'cancelled' });
      expect(isZero(key)).toBe(true);
      // The worker is still usable for the next job (the flag is per job).
      w.postMessage({ id: 4, file: source, offset: 0, size: data.length });
      expect(await nextReply(w)).toMatchObject({ type: 'done', id: 4, sha384: sha384(data) });
    } finally {
      await w.terminate();
    }
  });

  it('BlobSealer.destroy() zeroes its chunk key and buffered plaintext (for an abandoned seal)', () => {
    const s = new BlobSealer(crypto.randomBytes(32), 1024);
    s.push(Buffer.alloc(100, 0xab));
    const internals = s as unknown as { key: Buffer; buf: Buffer };
    const chunkKey = internals.key;
    const buffered = internals.buf;
    expect(isZero(chunkKey)).toBe(false);
    s.destroy();
    expect(isZero(chunkKey)).toBe(true);
    expect(isZero(buffered)).toBe(true);
    expect(() => s.push(Buffer.alloc(1))).toThrow(/finalized/);
    s.destroy();
  });
});

describe('hash pool over the inline worker', () => {
  it('hashes several files across workers, largest first, with sealing', async () => {
    const files = [3, 1, 2].map((mib, i) => {
      const d = crypto.randomBytes(mib * 1024 * 1024 + i);
      return { data: d, path: file(`pool-${i}.bin`, d) };
    });
    const key = crypto.randomBytes(32);
    const jobs = files.map((f, i) => ({
      file: { file: f.path, offset: 0, size: f.data.length } as never,
      sink: { tempPath: path.join(work, `pool-${i}.part`), blobKey: key },
    }));
    const out = await hashFiles(jobs, { concurrency: 2 });
    expect(out).toEqual(files.map((f) => ({ sha384: sha384(f.data) })));
    // The caller's key is the caller's: the pool sends workers a shared copy and leaves this one alone.
    expect(isZero(key)).toBe(false);
    const o = new BlobOpener(key);
    const plain = o.push(fs.readFileSync(jobs[1]!.sink.tempPath));
    o.final();
    expect(plain.equals(files[1]!.data)).toBe(true);
  });

  it('abort: rejects with CancelledError once busy workers stopped', async () => {
    const big = file('pool-big.bin', crypto.randomBytes(24 * 1024 * 1024));
    const ac = new AbortController();
    const jobs = [0, 1].map((i) => ({
      file: { file: big, offset: 0, size: 24 * 1024 * 1024 } as never,
      sink: { tempPath: path.join(work, `abort-${i}.part`), blobKey: crypto.randomBytes(32) },
    }));
    const p = hashFiles(jobs, { concurrency: 2, signal: ac.signal, onBytes: () => ac.abort() });
    await expect(p).rejects.toBeInstanceOf(CancelledError);
  });
});
