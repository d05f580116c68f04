import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { Vault } from '../../../src/main/services/vault/index';
import { FAST, PASS, chunks, expectCode, listFiles, newVaultDir } from './helpers';

const sha = (b: Buffer) => crypto.createHash('sha384').update(b).digest('hex');
const CIPHER = path.resolve(__dirname, '../../../src/main/services/vault/blob-cipher.mjs');

async function open(chunkSize = 64 * 1024) {
  const dir = newVaultDir();
  const v = await Vault.create(dir, PASS, { ...FAST, blobChunkSize: chunkSize });
  return { dir, v };
}
function blobFiles(dir: string) {
  return listFiles(path.join(dir, 'blobs'));
}

describe('BlobStore', () => {
  it('round-trips small and multi-chunk blobs via iterable, stream and readAll; dedupes', async () => {
    const { dir, v } = await open();
    const big = crypto.randomBytes(1_000_000 + 123);
    const r = await v.blobs.put(chunks(big, 70_001));
    expect(r).toEqual({ sha384: sha(big), size: big.length });
    const small = await v.blobs.put(Readable.from([Buffer.from('hello '), Buffer.from('world')]));
    expect(small.sha384).toBe(sha(Buffer.from('hello world')));
    const empty = await v.blobs.put(chunks(Buffer.alloc(0)));
    expect((await v.blobs.readAll(empty.sha384)).length).toBe(0);
    expect((await v.blobs.readAll(r.sha384)).equals(big)).toBe(true);
    const parts: Buffer[] = [];
    for await (const p of v.blobs.createReadStream(small.sha384)) parts.push(p as Buffer);
    expect(Buffer.concat(parts).toString()).toBe('hello world');
    expect(blobFiles(dir)).toHaveLength(3);
    await v.blobs.put(chunks(big, 4096)); // same content again
    expect(blobFiles(dir)).toHaveLength(3);
    expect(v.blobs.has(r.sha384)).toBe(true);
    // File names do not reveal the plaintext hash.
    for (const f of blobFiles(dir)) for (const h of [r.sha384, small.sha384]) expect(f).not.toContain(h.slice(0, 16));
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
    expect(v.blobs.delete(small.sha384)).toBe(true);
    expect(v.blobs.has(small.sha384)).toBe(false);
    expect(blobFiles(dir)).toHaveLength(2);
    expect(v.blobs.delete(small.sha384)).toBe(false);
    await expectCode(v.blobs.readAll(small.sha384), 'blob.not-found');
    v.lock();
  });

  it('a truncated blob file → blob.truncated naming the blob', async () => {
    const { dir, v } = await open();
    const data = crypto.randomBytes(300_000);
    const { sha384 } = await v.blobs.put(chunks(data));
    const [file] = blobFiles(dir);
    fs.truncateSync(file!, fs.statSync(file!).size - 70_000);
    const e = await expectCode(v.blobs.readAll(sha384), 'blob.truncated');
    expect(e.message).toContain(sha384.slice(0, 16));
    expect(e.detail).toEqual({ sha384 });
    v.lock();
  });

  it('a corrupted chunk → blob.corrupt; no unverified plaintext beyond the bad chunk', async () => {
    const { dir, v } = await open();
    const data = crypto.randomBytes(300_000);
    const { sha384 } = await v.blobs.put(chunks(data));
    const [file] = blobFiles(dir);
    const buf = fs.readFileSync(file!);
    buf[200_000]! ^= 0x40;
    fs.writeFileSync(file!, buf);
    let got = 0;
    const e = await expectCode(
      (async () => {
        for await (const p of v.blobs.openRead(sha384)) got += p.length;
      })(),
      'blob.corrupt',
    );
    expect(e.message).toContain(sha384.slice(0, 16));
    expect(got).toBeLessThan(200_000);
    v.lock();
  });

  it('a blob file swapped for another valid blob fails the SHA-384 check', async () => {
    const { dir, v } = await open();
    const a = await v.blobs.put(chunks(Buffer.from('A'.repeat(1000))));
    const b = await v.blobs.put(chunks(Buffer.from('B'.repeat(1000))));
    const row = (s: string) => v.db.prepare('SELECT file FROM blobs WHERE sha384 = ?').pluck().get(s) as string;
    const fa = path.join(dir, 'blobs', row(a.sha384).slice(0, 2), row(a.sha384));
    const fb = path.join(dir, 'blobs', row(b.sha384).slice(0, 2), row(b.sha384));
    fs.copyFileSync(fb, fa);
    await expectCode(v.blobs.readAll(a.sha384), 'blob.corrupt');
    fs.rmSync(fb);
    await expectCode(v.blobs.readAll(b.sha384), 'blob.missing');
    v.lock();
  });

  it('binds each row to its sealed file: a re-sealed file of the SAME content under the vault key is refused', async () => {
    const { dir, v } = await open();
    const data = crypto.randomBytes(200_000);
    const { sha384 } = await v.blobs.put(chunks(data, 30_001));
    const name = v.db.prepare('SELECT file FROM blobs WHERE sha384 = ?').pluck().get(sha384) as string;
    const header = v.db.prepare('SELECT header FROM blobs WHERE sha384 = ?').pluck().get(sha384) as Buffer;
    expect(header).toHaveLength(48);
    const file = path.join(dir, 'blobs', name.slice(0, 2), name);
    // put() writes the BlobSealer format: the plain-JS opener reads it.
    const { BlobOpener, BlobSealer } = await import('../../../src/main/services/vault/blob-cipher.mjs');
    const { tempPath, blobKey } = v.blobs.stage();
    const o = new BlobOpener(blobKey);
    const back = o.push(fs.readFileSync(file));
    o.final();
    expect(back.equals(data)).toBe(true);
    expect(fs.readFileSync(file).subarray(0, 48).equals(header)).toBe(true);
    // Same plaintext, same key, fresh salt: authenticates and hashes fine, but it is not the committed file.
    const s = new BlobSealer(blobKey, 64 * 1024);
    fs.writeFileSync(file, Buffer.concat([s.push(data), s.final()]));
    blobKey.fill(0);
    fs.rmSync(tempPath, { force: true });
    const e = await expectCode(v.blobs.readAll(sha384), 'blob.corrupt');
    expect(e.message).toMatch(/header mismatch/);
    await expectCode(v.blobs.verify(sha384), 'blob.corrupt');
    v.lock();
  });

  it('rows without a binding (pre-schema-3) are verified by SHA-384; verify() deep-checks; trailing data is refused', async () => {
    const { dir, v } = await open();
    const a = await v.blobs.put(chunks(Buffer.from('A'.repeat(5000))));
    const b = await v.blobs.put(chunks(Buffer.from('B'.repeat(5000))));
    await v.blobs.verify(a.sha384);
    const row = (s: string) => v.db.prepare('SELECT file FROM blobs WHERE sha384 = ?').pluck().get(s) as string;
    const fa = path.join(dir, 'blobs', row(a.sha384).slice(0, 2), row(a.sha384));
    const fb = path.join(dir, 'blobs', row(b.sha384).slice(0, 2), row(b.sha384));
    v.db.prepare('UPDATE blobs SET header = NULL').run();
    expect((await v.blobs.readAll(a.sha384)).toString()).toBe('A'.repeat(5000));
    fs.copyFileSync(fb, fa);
    const e = await expectCode(v.blobs.readAll(a.sha384), 'blob.corrupt');
    expect(e.message).toMatch(/SHA-384/);
    fs.appendFileSync(fb, Buffer.alloc(1));
    await expectCode(v.blobs.readAll(b.sha384), 'blob.corrupt');
    v.lock();
  });

  it('a worker thread seals into a staged temp file (plain JS import) and the store adopts it', async () => {
    const { dir, v } = await open();
    const { tempPath, blobKey } = v.blobs.stage();
    expect(path.dirname(tempPath)).toBe(path.join(dir, 'tmp'));
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const fs = require('node:fs'); const crypto = require('node:crypto');
      import(workerData.cipher).then(({ BlobSealer }) => {
        const s = new BlobSealer(Buffer.from(workerData.key), 1 << 20);
        const h = crypto.createHash('sha384'); const fd = fs.openSync(workerData.out, 'w');
        let size = 0;
        for (let i = 0; i < 5; i++) { const b = Buffer.alloc(400000, i); h.update(b); size += b.length; fs.writeSync(fd, s.push(b)); }
        fs.writeSync(fd, s.final()); fs.closeSync(fd);
        parentPort.postMessage({ sha384: h.digest('hex'), size });
      });`;
    const w = new Worker(code, { eval: true, workerData: { cipher: pathToFileURL(CIPHER).href, key: blobKey, out: tempPath } });
    const info = await new Promise<{ sha384: string; size: number }>((res, rej) => {
      w.once('message', res);
      w.once('error', rej);
    });
    blobKey.fill(0);
    await w.terminate();
    await v.blobs.commitStaged(tempPath, info);
    expect(fs.existsSync(tempPath)).toBe(false);
    const back = await v.blobs.readAll(info.sha384);
    expect(back.length).toBe(2_000_000);
    expect(back[1_999_999]).toBe(4);

    // Lies about size and paths outside tmp/ are refused.
    const s2 = v.blobs.stage();
    fs.writeFileSync(s2.tempPath, 'not sealed');
    await expectCode(v.blobs.commitStaged(s2.tempPath, { sha384: info.sha384.replace(/^./, 'f'), size: 10 }), 'blob.bad-staging');
    expect(fs.existsSync(s2.tempPath)).toBe(false);
    await expectCode(v.blobs.commitStaged(path.join(dir, 'vault.db'), info), 'blob.bad-staging-path');
    const s3 = v.blobs.stage();
    fs.writeFileSync(s3.tempPath, 'x');
    await v.blobs.discardStaged(s3.tempPath);
    expect(fs.existsSync(s3.tempPath)).toBe(false);
    v.lock();
  });

  it('sweeps leftover temp files at unlock and orphan blob files on request', async () => {
    const { dir, v } = await open();
    fs.writeFileSync(path.join(dir, 'tmp', 'put-0123456789abcdef0123456789abcdef.part'), 'half');
    fs.mkdirSync(path.join(dir, 'blobs', 'zz'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'blobs', 'zz', 'zz' + 'e'.repeat(62)), 'orphan');
    v.lock();
    const v2 = await Vault.unlock(dir, PASS, FAST);
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
    expect(v2.audit.list({ limit: 1 })[0]!.detail).toMatchObject({ tempFilesSwept: 1 });
    expect(v2.blobs.sweepOrphans()).toBe(1);
    v2.lock();
  });

  describe('long put(): hashing on a worker thread, early flushes', () => {
    /** `mib` MiB from ONE reused buffer (refilled before each yield), so put() must copy what it keeps. */
    async function* reused(mib: number, seed: number, failAfter?: number): AsyncGenerator<Buffer> {
      const b = Buffer.alloc(1 << 20);
      for (let i = 0; i < mib; i++) {
        if (failAfter !== undefined && i === failAfter) throw new Error('source broke');
        b.fill((seed + i) & 0xff);
        b.writeUInt32LE(i, 0);
        yield b;
      }
    }
    function expected(mib: number, seed: number): string {
      const h = crypto.createHash('sha384');
      const b = Buffer.alloc(1 << 20);
      for (let i = 0; i < mib; i++) {
        b.fill((seed + i) & 0xff);
        b.writeUInt32LE(i, 0);
        h.update(b);
      }
      return h.digest('hex');
    }

    it('a 40 MiB blob (worker hash, fdatasync while writing) has the right address and reads back; the final fsync still runs', async () => {
      const { dir, v } = await open(1 << 20);
      const proto = Object.getPrototypeOf(await fsp.open(path.join(dir, 'vault.db'), 'r').then(async (fh) => (await fh.close(), fh))) as fsp.FileHandle;
      const datasync = vi.spyOn(proto, 'datasync');
      const sync = vi.spyOn(proto, 'sync');
      let r: { sha384: string; size: number };
      try {
        r = await v.blobs.put(reused(40, 7));
        expect(r).toEqual({ sha384: expected(40, 7), size: 40 << 20 });
        expect(datasync).toHaveBeenCalled();
        expect(sync).toHaveBeenCalled();
      } finally {
        datasync.mockRestore();
        sync.mockRestore();
      }
      await v.blobs.verify(r.sha384);
      expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
      v.lock();
    }, 60_000);

    it('a failed early fdatasync fails the put (never swallowed): no row, no temp file', async () => {
      const { dir, v } = await open(1 << 20);
      const proto = Object.getPrototypeOf(await fsp.open(path.join(dir, 'vault.db'), 'r').then(async (fh) => (await fh.close(), fh))) as fsp.FileHandle;
      const datasync = vi.spyOn(proto, 'datasync').mockRejectedValue(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
      try {
        await expect(v.blobs.put(reused(40, 9))).rejects.toThrow(/EIO/);
      } finally {
        datasync.mockRestore();
      }
      expect(v.blobs.has(expected(40, 9))).toBe(false);
      expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
      expect(blobFiles(dir)).toHaveLength(0);
      v.lock();
    }, 60_000);

    it('a source that fails after the hash moved to the worker: error surfaces, temp file removed, store still usable', async () => {
      const { dir, v } = await open(1 << 20);
      await expect(v.blobs.put(reused(12, 3, 8))).rejects.toThrow('source broke');
      expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
      expect(blobFiles(dir)).toHaveLength(0);
      const r = await v.blobs.put(reused(6, 3));
      expect(r.sha384).toBe(expected(6, 3));
      expect((await v.blobs.readAll(r.sha384)).length).toBe(6 << 20);
      v.lock();
    }, 60_000);
  });
});
