import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { AirlockError } from '../../../shared/errors';
import { BlobOpener, BlobSealer, BLOB_MAGIC, DEFAULT_CHUNK_SIZE, HEADER_SIZE, sealedSize } from './blob-cipher.mjs';
import type { VaultContext } from './context';
import { fsyncDirSync } from './fsutil';

export const BLOBS_DIR = 'blobs';
export const TMP_DIR = 'tmp';
const SHA384_RE = /^[0-9a-f]{96}$/;
const TEMP_RE = /^(put|stage)-[0-9a-f]{32}\.part$/;
const READ_HWM = 1 << 20;

export interface BlobInfo {
  sha384: string;
  size: number;
}

function blobErr(code: string, sha384: string, why: string): AirlockError {
  const what =
    code === 'blob.truncated'
      ? 'is truncated (its file ends early)'
      : code === 'blob.missing'
        ? 'has no file on disk'
        : 'is corrupt (it fails authentication or its hash does not match)';
  return new AirlockError(code, `Stored blob ${sha384.slice(0, 16)}… ${what}: ${why}. Restore the vault from backup or re-import the item it belongs to.`, {
    sha384,
  });
}

type BlobSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | NodeJS.ReadableStream;

function toIterable(x: BlobSource): AsyncIterable<Uint8Array | string> | Iterable<Uint8Array> {
  if (typeof (x as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') return x as AsyncIterable<Uint8Array>;
  if (typeof (x as Iterable<Uint8Array>)[Symbol.iterator] === 'function') return x as Iterable<Uint8Array>;
  // Old-style stream without async iteration.
  return new Readable().wrap(x as NodeJS.ReadableStream);
}

/**
 * Content-addressed encrypted blob store. Files live in `blobs/xx/<name>`,
 * where name = HMAC-SHA-384(nameKey, sha384) so the plaintext hash never
 * appears on disk in the clear; the sha384 → file mapping is in the DB table
 * `blobs`. Writes: temp file in `tmp/`, fsync, rename, fsync dir, THEN the row,
 * so a row never points at an incomplete file. A crash can at worst leave an
 * orphan file (no row) or a temp file (swept at unlock).
 */
export class BlobStore {
  constructor(
    private readonly ctx: VaultContext,
    private readonly chunkSize = DEFAULT_CHUNK_SIZE,
  ) {}

  private get tmpDir(): string {
    return path.join(this.ctx.dir, TMP_DIR);
  }

  private fileName(sha384: string): string {
    return crypto.createHmac('sha384', this.ctx.key('blob-name')).update(sha384, 'utf8').digest('hex').slice(0, 64);
  }

  private filePath(name: string): string {
    return path.join(this.ctx.dir, BLOBS_DIR, name.slice(0, 2), name);
  }

  private newTemp(kind: 'put' | 'stage'): string {
    return path.join(this.tmpDir, `${kind}-${crypto.randomBytes(16).toString('hex')}.part`);
  }

  /** Stream plaintext in; returns its SHA-384 and size. Deduplicates. */
  async put(source: BlobSource): Promise<BlobInfo> {
    this.ctx.assertUnlocked();
    const key = Buffer.from(this.ctx.key('blob'));
    const tmp = this.newTemp('put');
    const fh = await fsp.open(tmp, 'wx', 0o600);
    let size = 0;
    let closed = false;
    try {
      const sealer = new BlobSealer(key, this.chunkSize);
      key.fill(0);
      const hash = crypto.createHash('sha384');
      for await (const piece of toIterable(source)) {
        const b = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
        hash.update(b);
        size += b.byteLength;
        const out = sealer.push(b);
        if (out.length) await fh.write(out);
      }
      await fh.write(sealer.final());
      await fh.sync();
      await fh.close();
      closed = true;
      const sha384 = hash.digest('hex');
      await this.adopt(tmp, sha384, size);
      return { sha384, size };
    } catch (e) {
      if (!closed) await fh.close().catch(() => undefined);
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      throw e;
    } finally {
      key.fill(0);
    }
  }

  /** Move a complete, fsynced sealed temp file into place and index it. */
  private async adopt(tmp: string, sha384: string, size: number): Promise<void> {
    this.ctx.assertUnlocked();
    const db = this.ctx.db();
    if (this.has(sha384)) {
      await fsp.rm(tmp, { force: true });
      return;
    }
    const name = this.fileName(sha384);
    const dest = this.filePath(name);
    const sub = path.dirname(dest);
    if (!fs.existsSync(sub)) {
      fs.mkdirSync(sub, { recursive: true, mode: 0o700 });
      fsyncDirSync(path.dirname(sub));
    }
    fs.renameSync(tmp, dest);
    fsyncDirSync(sub);
    fsyncDirSync(this.tmpDir);
    db.prepare('INSERT OR IGNORE INTO blobs (sha384, file, size, created_at) VALUES (?, ?, ?, ?)').run(sha384, name, size, this.ctx.now().toISOString());
  }

  has(sha384: string): boolean {
    return !!this.ctx.db().prepare('SELECT 1 FROM blobs WHERE sha384 = ?').get(sha384);
  }

  info(sha384: string): (BlobInfo & { createdAt: string }) | undefined {
    const r = this.ctx.db().prepare('SELECT sha384, size, created_at FROM blobs WHERE sha384 = ?').get(sha384) as
      | { sha384: string; size: number; created_at: string }
      | undefined;
    return r ? { sha384: r.sha384, size: r.size, createdAt: r.created_at } : undefined;
  }

  /** Streams the verified plaintext. Throws blob.not-found / blob.missing / blob.truncated / blob.corrupt. */
  async *openRead(sha384: string): AsyncIterable<Buffer> {
    const row = this.ctx.db().prepare('SELECT file, size FROM blobs WHERE sha384 = ?').get(sha384) as { file: string; size: number } | undefined;
    if (!row) throw new AirlockError('blob.not-found', `No blob ${sha384.slice(0, 16)}… in this vault. It may have been deleted; re-import the item it belongs to.`, { sha384 });
    const file = this.filePath(row.file);
    const key = Buffer.from(this.ctx.key('blob'));
    const opener = new BlobOpener(key);
    key.fill(0);
    const hash = crypto.createHash('sha384');
    let size = 0;
    let stream: fs.ReadStream;
    try {
      await fsp.access(file);
      stream = fs.createReadStream(file, { highWaterMark: READ_HWM });
    } catch {
      throw blobErr('blob.missing', sha384, 'file not found');
    }
    try {
      for await (const sealed of stream) {
        this.ctx.assertUnlocked();
        let pt: Buffer;
        try {
          pt = opener.push(sealed as Buffer);
        } catch (e) {
          throw blobErr((e as { code?: string }).code ?? 'blob.corrupt', sha384, (e as Error).message);
        }
        if (pt.length) {
          hash.update(pt);
          size += pt.length;
          yield pt;
        }
      }
      try {
        opener.final();
      } catch (e) {
        throw blobErr((e as { code?: string }).code ?? 'blob.corrupt', sha384, (e as Error).message);
      }
      const got = hash.digest('hex');
      if (got !== sha384 || size !== row.size) throw blobErr('blob.corrupt', sha384, 'SHA-384 of the content does not match');
    } finally {
      stream.destroy();
    }
  }

  createReadStream(sha384: string): Readable {
    return Readable.from(this.openRead(sha384), { objectMode: false });
  }

  /** Whole blob in memory (small blobs only). */
  async readAll(sha384: string, maxBytes = 256 * 1024 * 1024): Promise<Buffer> {
    const info = this.info(sha384);
    if (info && info.size > maxBytes)
      throw new AirlockError('blob.too-large', `Blob ${sha384.slice(0, 16)}… is ${info.size} bytes, more than ${maxBytes} allowed in memory; stream it instead.`, { sha384 });
    const parts: Buffer[] = [];
    for await (const p of this.openRead(sha384)) parts.push(p);
    return Buffer.concat(parts);
  }

  /** Removes the row, then the file. Returns false if absent. */
  delete(sha384: string): boolean {
    const db = this.ctx.db();
    const row = db.prepare('SELECT file FROM blobs WHERE sha384 = ?').get(sha384) as { file: string } | undefined;
    if (!row) return false;
    db.prepare('DELETE FROM blobs WHERE sha384 = ?').run(sha384);
    const p = this.filePath(row.file);
    fs.rmSync(p, { force: true });
    fsyncDirSync(path.dirname(p));
    return true;
  }

  /**
   * For a worker thread: a fresh temp path inside the vault and the key
   * BlobSealer needs for this store. The caller must zero blobKey when done.
   */
  stage(): { tempPath: string; blobKey: Buffer } {
    this.ctx.assertUnlocked();
    return { tempPath: this.newTemp('stage'), blobKey: Buffer.from(this.ctx.key('blob')) };
  }

  private checkStagedPath(tempPath: string): string {
    const abs = path.resolve(tempPath);
    if (path.dirname(abs) !== path.resolve(this.tmpDir) || !TEMP_RE.test(path.basename(abs)))
      throw new AirlockError('blob.bad-staging-path', `${tempPath} is not a staging file of this vault; use BlobStore.stage() to get one.`, { path: tempPath });
    return abs;
  }

  /**
   * Adopt a sealed file written by another thread. Checks the header and that
   * the file length matches `size` (cheap; the content is authenticated and
   * hash-checked on every read). fsyncs before the atomic rename.
   */
  async commitStaged(tempPath: string, info: BlobInfo): Promise<void> {
    const abs = this.checkStagedPath(tempPath);
    if (!SHA384_RE.test(info.sha384) || !Number.isSafeInteger(info.size) || info.size < 0)
      throw new AirlockError('blob.bad-staging', 'commitStaged needs a lowercase hex SHA-384 and a non-negative size.', { path: tempPath });
    const fh = await fsp.open(abs, 'r+');
    try {
      const header = Buffer.alloc(HEADER_SIZE);
      const { bytesRead } = await fh.read(header, 0, HEADER_SIZE, 0);
      const st = await fh.stat();
      const chunk = header.readUInt32BE(8);
      if (bytesRead !== HEADER_SIZE || !header.subarray(0, 4).equals(BLOB_MAGIC) || chunk < 1 || st.size !== sealedSize(info.size, chunk))
        throw new AirlockError('blob.bad-staging', `The staged blob ${path.basename(abs)} is incomplete or not sealed for ${info.size} bytes; it was discarded.`, { path: tempPath });
      await fh.sync();
    } catch (e) {
      await fh.close().catch(() => undefined);
      await fsp.rm(abs, { force: true });
      throw e;
    }
    await fh.close();
    try {
      await this.adopt(abs, info.sha384, info.size);
    } catch (e) {
      await fsp.rm(abs, { force: true }).catch(() => undefined);
      throw e;
    }
  }

  async discardStaged(tempPath: string): Promise<void> {
    await fsp.rm(this.checkStagedPath(tempPath), { force: true });
  }

  /** Delete leftover temp files (crash debris). Returns how many were removed. */
  sweepTemp(): number {
    let n = 0;
    if (!fs.existsSync(this.tmpDir)) return 0;
    for (const name of fs.readdirSync(this.tmpDir)) {
      fs.rmSync(path.join(this.tmpDir, name), { force: true, recursive: true });
      n++;
    }
    if (n) fsyncDirSync(this.tmpDir);
    return n;
  }

  /** Files in blobs/ with no row (left by a crash between rename and insert). Removes them. */
  sweepOrphans(): number {
    const db = this.ctx.db();
    const known = new Set((db.prepare('SELECT file FROM blobs').pluck().all() as string[]));
    const root = path.join(this.ctx.dir, BLOBS_DIR);
    let n = 0;
    if (!fs.existsSync(root)) return 0;
    for (const sub of fs.readdirSync(root)) {
      const sd = path.join(root, sub);
      if (!fs.statSync(sd).isDirectory()) continue;
      for (const f of fs.readdirSync(sd)) {
        if (!known.has(f)) {
          fs.rmSync(path.join(sd, f), { force: true });
          n++;
        }
      }
    }
    return n;
  }
}
