import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { AirlockError } from '../../../shared/errors';
import {
  BLOB_MAGIC,
  DEFAULT_CHUNK_SIZE,
  FINAL_FLAG,
  FRAME_OVERHEAD,
  frameAad,
  frameNonce,
  HEADER_SIZE,
  headerChunkKey,
  newHeader,
  parseHeader,
  sealedSize,
} from './blob-cipher.mjs';
import type { Database } from './migrations/types';
import type { VaultContext } from './context';
import { fsyncDirSync } from './fsutil';
import blobHashWorkerSource from './blob-hash-worker.ts?worker-source';
import { startInlineWorker } from '../workers';

export const BLOBS_DIR = 'blobs';
export const TMP_DIR = 'tmp';
const SHA384_RE = /^[0-9a-f]{96}$/;
const TEMP_RE = /^(put|stage)-[0-9a-f]{32}\.part$/;
/** Sealed chunks kept in flight (reads ahead / writes behind) per blob stream. */
const PIPELINE_DEPTH = 4;
/**
 * put() starts an fdatasync (on the libuv pool) each time this many more bytes
 * have been written, so the disk flush overlaps hashing and sealing instead of
 * all happening in the final fsync. A performance measure only: the blob is
 * still adopted only after the final fsync + rename + dir fsync.
 */
const FLUSH_EVERY = 32 << 20;
/**
 * SHA-384 of a long put() runs on its own thread (blob-hash-worker.ts, bundled
 * into this module), so hashing — the one step that cannot be split — does not
 * share the main thread with reading, sealing and write dispatch. Short blobs
 * (≤ HASH_OFFLOAD_AFTER bytes) are hashed here; no worker is started for them.
 */
const HASH_OFFLOAD_AFTER = 4 << 20;
/** Bytes handed to the hash worker and not yet hashed (back-pressure). */
const HASH_WINDOW = 8 << 20;

/** Incremental SHA-384 that moves to a worker thread once the input is long. */
class Sha384Stream {
  private pending: Buffer[] = [];
  private pendingLen = 0;
  private worker: Worker | undefined;
  private outstanding = 0;
  private failed: Error | undefined;
  private wake: (() => void) | undefined;
  private result: { resolve: (hex: string) => void; reject: (e: Error) => void } | undefined;

  /** Takes a copy of `b` (the caller may reuse it). */
  async update(b: Buffer): Promise<void> {
    if (this.failed) throw this.failed;
    if (b.length === 0) return;
    const copy = Buffer.allocUnsafeSlow(b.length);
    b.copy(copy);
    if (!this.worker) {
      this.pending.push(copy);
      this.pendingLen += copy.length;
      if (this.pendingLen <= HASH_OFFLOAD_AFTER) return;
      this.start();
      for (const p of this.pending.splice(0)) this.send(p);
      this.pendingLen = 0;
    } else this.send(copy);
    while (this.outstanding > HASH_WINDOW && !this.failed) await new Promise<void>((r) => (this.wake = r));
    if (this.failed) throw this.failed;
  }

  async digest(): Promise<string> {
    if (!this.worker) {
      const h = crypto.createHash('sha384');
      for (const p of this.pending.splice(0)) {
        h.update(p);
        p.fill(0);
      }
      return h.digest('hex');
    }
    if (this.failed) throw this.failed;
    const w = this.worker;
    try {
      return await new Promise<string>((resolve, reject) => {
        this.result = { resolve, reject };
        w.postMessage(null);
      });
    } finally {
      this.close();
    }
  }

  close(): void {
    for (const p of this.pending.splice(0)) p.fill(0);
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private start(): void {
    const w = startInlineWorker(blobHashWorkerSource, { name: 'airlock-blob-hash' });
    w.on('message', (m: number | string) => {
      if (typeof m === 'string') this.result?.resolve(m);
      else {
        this.outstanding -= m;
        if (this.outstanding <= HASH_WINDOW) this.notify();
      }
    });
    const fail = (e: unknown) => {
      this.failed ??= e instanceof Error ? e : new Error(`SHA-384 worker stopped: ${String(e)}`);
      this.result?.reject(this.failed);
      this.notify();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`SHA-384 worker exited (${code})`)));
    this.worker = w;
  }

  private send(b: Buffer): void {
    this.outstanding += b.length;
    const ab = b.buffer as ArrayBuffer;
    this.worker!.postMessage(ab, [ab]);
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}

/** Whether this DB's `blobs` table has the `header` binding column (schema ≥ 3). */
const hasBindingColumn = new WeakMap<Database, boolean>();

function bindingColumn(db: Database): boolean {
  let v = hasBindingColumn.get(db);
  if (v === undefined) {
    v = db.prepare<[], { one: number }>(`SELECT 1 AS one FROM pragma_table_info('blobs') WHERE name = 'header'`).get() !== undefined;
    hasBindingColumn.set(db, v);
  }
  return v;
}

export interface OpenReadOptions {
  /**
   * Also recompute SHA-384 of the plaintext and compare it with the address
   * (deep check). Rows without a header binding (written before schema 3)
   * are always hashed.
   */
  verifyHash?: boolean;
}

export interface BlobInfo {
  sha384: string;
  size: number;
}

function blobErr(code: 'blob.truncated' | 'blob.missing' | 'blob.corrupt', sha384: string, why: string): AirlockError {
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

  /**
   * Stream plaintext in; returns its SHA-384 and size. Deduplicates.
   *
   * Three things overlap: SHA-384 (on a worker thread once the blob passes
   * HASH_OFFLOAD_AFTER), AES-GCM sealing (WebCrypto, on the libuv pool) with
   * the positional writes behind it (up to PIPELINE_DEPTH frames in flight, one
   * writev per frame, no concatenation), and the disk flush (an fdatasync every
   * FLUSH_EVERY bytes, so the final fsync has little left). Durability is
   * unchanged: the file is fsynced, renamed and its directory fsynced before
   * the row is written. Same format as BlobSealer.
   */
  async put(source: BlobSource): Promise<BlobInfo> {
    this.ctx.assertUnlocked();
    const chunkSize = this.chunkSize;
    const header = newHeader(chunkSize);
    const blobKey = Buffer.from(this.ctx.key('blob'));
    const key = headerChunkKey(blobKey, header);
    blobKey.fill(0);
    const tmp = this.newTemp('put');
    const fh = await fsp.open(tmp, 'wx', 0o600);
    const hash = new Sha384Stream();
    let size = 0;
    let index = 0;
    let pos = 0;
    let closed = false;
    let writeError: unknown;
    const inflight: Promise<void>[] = [];
    // Early flush of what has been written so far (at most one in flight). Its
    // error is fatal like a write error: after a failed fdatasync Linux may
    // report the final fsync as clean, so it must never be swallowed.
    let flushing: Promise<void> | undefined;
    let written = 0;
    let flushedUpTo = 0;
    const maybeFlush = () => {
      if (flushing || written - flushedUpTo < FLUSH_EVERY) return;
      flushedUpTo = written;
      flushing = fh
        .datasync()
        .catch((e: unknown) => {
          writeError ??= e;
        })
        .finally(() => {
          flushing = undefined;
        });
    };
    let buf = Buffer.allocUnsafe(chunkSize);
    let fill = 0;
    // The frame's position is fixed when it is queued, so frames may be
    // encrypted and written out of order (positional writev).
    const queue = async (len: number, parts: Promise<Buffer[]>): Promise<void> => {
      const at = pos;
      pos += len;
      const p = parts
        .then(async (bufs) => {
          let done = 0;
          while (done < len) {
            const { bytesWritten } = await fh.writev(done === 0 ? bufs : sliceParts(bufs, done), at + done);
            if (bytesWritten <= 0) throw new Error('short write');
            done += bytesWritten;
          }
          written += len;
          maybeFlush();
        })
        .catch((e: unknown) => {
          writeError ??= e;
        });
      inflight.push(p);
      if (inflight.length >= PIPELINE_DEPTH) await inflight.shift();
      if (writeError) throw writeError;
    };
    // AES-256-GCM through WebCrypto: runs on the libuv pool (it copies `plain`
    // before returning), so encryption overlaps the SHA-384 on this thread.
    // Output is ciphertext || 16-byte tag — exactly the frame body.
    const gcmKey = await crypto.webcrypto.subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt']);
    key.fill(0);
    const seal = (plain: Buffer, final: boolean): Promise<void> => {
      const word = ((final ? FINAL_FLAG : 0) | plain.length) >>> 0;
      const w = Buffer.allocUnsafe(4);
      w.writeUInt32BE(word, 0);
      const ct = crypto.webcrypto.subtle.encrypt(
        { name: 'AES-GCM', iv: frameNonce(header, index), additionalData: frameAad(header, index, word), tagLength: 128 },
        gcmKey,
        plain,
      );
      index++;
      return queue(4 + plain.length + 16, ct.then((ab) => [w, Buffer.from(ab)]));
    };
    try {
      await queue(HEADER_SIZE, Promise.resolve([header]));
      for await (const piece of toIterable(source)) {
        this.ctx.assertUnlocked();
        const b = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
        let off = 0;
        while (off < b.length) {
          if (fill === 0 && b.length - off >= chunkSize) {
            // Whole chunk available: seal straight from the input (update() copies it).
            await seal(b.subarray(off, off + chunkSize), false);
            off += chunkSize;
            continue;
          }
          const n = Math.min(chunkSize - fill, b.length - off);
          b.copy(buf, fill, off, off + n);
          fill += n;
          off += n;
          if (fill === chunkSize) {
            await seal(buf, false);
            fill = 0;
          }
        }
        await hash.update(b);
        size += b.length;
      }
      await seal(buf.subarray(0, fill), true);
      await Promise.all(inflight.splice(0));
      await flushing;
      if (writeError) throw writeError;
      await fh.sync();
      await fh.close();
      closed = true;
      const sha384 = await hash.digest();
      await this.adopt(tmp, sha384, size, header);
      return { sha384, size };
    } catch (e) {
      hash.close();
      await Promise.all(inflight.splice(0));
      await flushing;
      if (!closed) await fh.close().catch(() => undefined);
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      throw e;
    } finally {
      key.fill(0);
      buf.fill(0);
      buf = Buffer.alloc(0);
    }
  }

  /** Move a complete, fsynced sealed temp file into place and index it. */
  private async adopt(tmp: string, sha384: string, size: number, header: Buffer): Promise<void> {
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
    if (bindingColumn(db))
      db.prepare('INSERT OR IGNORE INTO blobs (sha384, file, size, created_at, header) VALUES (?, ?, ?, ?, ?)').run(sha384, name, size, this.ctx.now().toISOString(), header);
    else db.prepare('INSERT OR IGNORE INTO blobs (sha384, file, size, created_at) VALUES (?, ?, ?, ?)').run(sha384, name, size, this.ctx.now().toISOString());
  }

  has(sha384: string): boolean {
    return !!this.ctx.db().prepare('SELECT 1 FROM blobs WHERE sha384 = ?').get(sha384);
  }

  info(sha384: string): (BlobInfo & { createdAt: string }) | undefined {
    const r = this.ctx.db().prepare<[string], { sha384: string; size: number; created_at: string }>('SELECT sha384, size, created_at FROM blobs WHERE sha384 = ?').get(sha384);
    return r ? { sha384: r.sha384, size: r.size, createdAt: r.created_at } : undefined;
  }

  /**
   * Streams the verified plaintext. Throws blob.not-found / blob.missing /
   * blob.truncated / blob.corrupt. Nothing is yielded from a chunk before its
   * GCM tag has been checked.
   *
   * What is verified: the file's header equals the one recorded in the row at
   * commit (random 32-byte salt + nonce prefix, so a different blob's file —
   * or an older file under this name — is refused); the file length is exactly
   * the sealed length for the row's size; every frame word is the expected
   * one; every chunk authenticates under HKDF(blobKey, salt) with the header,
   * index and final flag in its AAD. Together that proves the bytes are the
   * stream sealed at commit, whose SHA-384 was computed over the same bytes, so
   * the hash is not recomputed unless `verifyHash` is set or the row predates
   * the binding (schema < 3).
   *
   * Frames are read ahead (PIPELINE_DEPTH positional reads in flight) so disk
   * I/O overlaps decryption.
   */
  async *openRead(sha384: string, opts: OpenReadOptions = {}): AsyncIterable<Buffer> {
    const db = this.ctx.db();
    const row = db
      .prepare<[string], { file: string; size: number; header: Buffer | null }>(
        bindingColumn(db) ? 'SELECT file, size, header FROM blobs WHERE sha384 = ?' : 'SELECT file, size, NULL AS header FROM blobs WHERE sha384 = ?',
      )
      .get(sha384);
    if (!row) throw new AirlockError('blob.not-found', `No blob ${sha384.slice(0, 16)}… in this vault. It may have been deleted; re-import the item it belongs to.`, { sha384 });
    const file = this.filePath(row.file);
    let fh: fsp.FileHandle;
    try {
      fh = await fsp.open(file, 'r');
    } catch {
      throw blobErr('blob.missing', sha384, 'file not found');
    }
    const pending: Promise<{ buf: Buffer; n: number }>[] = [];
    let key: Buffer | undefined;
    try {
      const header = Buffer.alloc(HEADER_SIZE);
      const [{ bytesRead }, st] = await Promise.all([fh.read(header, 0, HEADER_SIZE, 0), fh.stat()]);
      if (bytesRead < HEADER_SIZE) throw blobErr('blob.truncated', sha384, 'stream ended inside the header');
      let chunkSize: number;
      try {
        chunkSize = parseHeader(header);
      } catch (e) {
        throw blobErr('blob.corrupt', sha384, (e as Error).message);
      }
      if (row.header && !header.equals(row.header)) throw blobErr('blob.corrupt', sha384, 'the file is not the one committed for this blob (header mismatch)');
      const expected = sealedSize(row.size, chunkSize);
      const full = Math.floor(row.size / chunkSize);
      const frames = full + 1;
      const hash = row.header && !opts.verifyHash ? undefined : crypto.createHash('sha384');
      const blobKey = Buffer.from(this.ctx.key('blob'));
      key = headerChunkKey(blobKey, header);
      blobKey.fill(0);
      const frameLen = (i: number) => (i < full ? chunkSize : row.size - full * chunkSize) + FRAME_OVERHEAD;
      const frameAt = (i: number) => HEADER_SIZE + i * (chunkSize + FRAME_OVERHEAD);
      let next = 0;
      const request = () => {
        const i = next++;
        const len = frameLen(i);
        const buf = Buffer.allocUnsafe(len);
        pending.push(readFully(fh, buf, frameAt(i)).then((n) => ({ buf, n })));
      };
      while (next < frames && pending.length < PIPELINE_DEPTH) request();
      for (let i = 0; i < frames; i++) {
        const { buf, n } = await pending.shift()!;
        if (next < frames) request();
        this.ctx.assertUnlocked();
        const len = buf.length - FRAME_OVERHEAD;
        if (n < buf.length) {
          throw blobErr('blob.truncated', sha384, `stream ended before the final chunk (after ${i} chunks)`);
        }
        const final = i === frames - 1;
        const word = ((final ? FINAL_FLAG : 0) | len) >>> 0;
        if (buf.readUInt32BE(0) !== word) throw blobErr('blob.corrupt', sha384, `bad frame length at chunk ${i}`);
        const d = crypto.createDecipheriv('aes-256-gcm', key, frameNonce(header, i));
        d.setAAD(frameAad(header, i, word));
        d.setAuthTag(buf.subarray(4 + len));
        const pt = d.update(buf.subarray(4, 4 + len));
        try {
          d.final();
        } catch {
          throw blobErr('blob.corrupt', sha384, `authentication failed at chunk ${i}`);
        }
        if (hash) hash.update(pt);
        if (pt.length) yield pt;
      }
      if (st.size > expected) throw blobErr('blob.corrupt', sha384, 'data after the final chunk');
      if (hash && hash.digest('hex') !== sha384) throw blobErr('blob.corrupt', sha384, 'SHA-384 of the content does not match');
    } finally {
      key?.fill(0);
      // Never close the handle under an in-flight read.
      await Promise.allSettled(pending);
      await fh.close().catch(() => undefined);
    }
  }

  /** Deep check of one blob: decrypt, authenticate and re-hash it. */
  async verify(sha384: string): Promise<void> {
    for await (const _ of this.openRead(sha384, { verifyHash: true })) {
      /* drain */
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
    const row = db.prepare<[string], { file: string }>('SELECT file FROM blobs WHERE sha384 = ?').get(sha384);
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
    const header = Buffer.alloc(HEADER_SIZE);
    try {
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
      await this.adopt(abs, info.sha384, info.size, header);
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
    const known = new Set(db.prepare<[], { file: string }>('SELECT file FROM blobs').all().map((r) => r.file));
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

/** Reads up to buf.length bytes at `position`; returns how many (fewer only at EOF). */
async function readFully(fh: fsp.FileHandle, buf: Buffer, position: number): Promise<number> {
  let off = 0;
  while (off < buf.length) {
    const { bytesRead } = await fh.read(buf, off, buf.length - off, position + off);
    if (bytesRead === 0) break;
    off += bytesRead;
  }
  return off;
}

function sliceParts(parts: Buffer[], skip: number): Buffer[] {
  const out: Buffer[] = [];
  for (const p of parts) {
    if (skip >= p.length) {
      skip -= p.length;
      continue;
    }
    out.push(skip ? p.subarray(skip) : p);
    skip = 0;
  }
  return out;
}
