// @ts-check
/**
 * Hash worker. Bundled into main itself (imported by hash-pool.ts with
 * `?worker-source`, see scripts/vite-inline-worker.mts) and started from that
 * string, so the code that decides digests and holds the blob key is inside
 * the shipped, integrity-checked bundle. Receives one job at a time:
 *   { id, file, offset, size, ino?, dev?, sink?: { tempPath, blobKey } }
 * reads [offset, offset+size) of `file` with large reads (this thread does
 * nothing else), hashes with SHA-384 and, with a sink target, seals the very
 * same bytes with BlobSealer into tempPath (fsync'd), so what is hashed is
 * exactly what is stored. Replies
 *   { type: 'done', id, sha384 } | { type: 'error', id, code, message }
 * and { type: 'progress', bytes } every few MiB. { type: 'cancel' } stops the
 * running job at the next chunk (it then replies with code 'cancelled').
 * Every key it receives (sink.blobKey, and the chunk key derived from it) is
 * zeroed when its job ends, however it ends.
 */
import { parentPort } from 'node:worker_threads';
import fs from 'node:fs';
import crypto from 'node:crypto';
// The worker is bundled on its own: the vault's index.ts would pull SQLite into it. blob-cipher.mjs imports
// nothing but node:crypto.
// eslint-disable-next-line airlock/feature-boundaries
import { BlobSealer } from '../vault/blob-cipher.mjs';

const CHUNK = 4 << 20;
const PROGRESS_EVERY = 32 << 20;
// Double buffering: the next chunk is read (on libuv's thread pool) while this
// thread hashes the current one, so the page-cache copy overlaps the hashing.
const bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];

/** @param {number} fd @param {Buffer} b @param {number} len @param {number} pos @returns {Promise<number>} */
function readAsync(fd, b, len, pos) {
  return new Promise((resolve, reject) => fs.read(fd, b, 0, len, pos, (err, n) => (err ? reject(err) : resolve(n))));
}

/** Set by a { type: 'cancel' } message; the running job stops at its next chunk. */
let cancelRequested = false;

/**
 * @typedef {{ id: number, file: string, offset: number, size: number, ino?: number, dev?: number, sink?: { tempPath: string, blobKey: Uint8Array } }} Job
 */

/** @param {string} code @param {string} message */
function fail(code, message) {
  const e = /** @type {Error & { code: string }} */ (new Error(message));
  e.code = code;
  return e;
}

/** @param {Job} job */
async function run(job) {
  try {
    return await hashRange(job);
  } finally {
    job.sink?.blobKey.fill(0);
  }
}

/** @param {Job} job */
async function hashRange(job) {
  const checkIdentity = job.ino !== undefined;
  const fd = fs.openSync(job.file, fs.constants.O_RDONLY | (checkIdentity ? fs.constants.O_NOFOLLOW : 0));
  /** @type {number | undefined} */
  let out;
  /** @type {Promise<number> | undefined} */
  let pending;
  /** @type {BlobSealer | undefined} */
  let sealer;
  try {
    if (checkIdentity) {
      const st = fs.fstatSync(fd);
      if (!st.isFile() || st.ino !== job.ino || st.dev !== job.dev || st.size !== job.size)
        throw fail('container.link', 'file changed or was replaced while it was being verified');
    }
    if (job.sink) {
      // A view, not a copy: the only key bytes in this thread are the ones zeroed below.
      const k = job.sink.blobKey;
      sealer = new BlobSealer(Buffer.from(k.buffer, k.byteOffset, k.byteLength));
      out = fs.openSync(job.sink.tempPath, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC, 0o600);
    }
    const hash = crypto.createHash('sha384');
    let done = 0;
    let reported = 0;
    let which = 0;
    let requested = 0;
    const request = () => {
      const want = Math.min(CHUNK, job.size - requested);
      if (want <= 0) return undefined;
      const p = readAsync(fd, /** @type {Buffer} */ (bufs[which]), want, job.offset + requested);
      requested += want;
      return p;
    };
    pending = request();
    while (done < job.size) {
      const cur = /** @type {Buffer} */ (bufs[which]);
      const n = await /** @type {Promise<number>} */ (pending);
      if (cancelRequested) throw fail('cancelled', 'cancelled');
      const expected = Math.min(CHUNK, job.size - done);
      if (n !== expected) throw fail('container.truncated', 'file ended early');
      which ^= 1;
      pending = request();
      const chunk = cur.subarray(0, n);
      hash.update(chunk);
      if (sealer && out !== undefined) writeAll(out, sealer.push(chunk));
      done += n;
      if (done - reported >= PROGRESS_EVERY) {
        parentPort?.postMessage({ type: 'progress', bytes: done - reported });
        reported = done;
      }
    }
    if (sealer && out !== undefined) {
      writeAll(out, sealer.final());
      fs.fsyncSync(out);
    }
    if (done > reported) parentPort?.postMessage({ type: 'progress', bytes: done - reported });
    return hash.digest('hex');
  } finally {
    if (pending) await pending.catch(() => 0); // never close the fd under an in-flight read
    fs.closeSync(fd);
    if (out !== undefined) fs.closeSync(out);
    sealer?.destroy();
  }
}

/** @param {number} fd @param {Buffer} b */
function writeAll(fd, b) {
  let off = 0;
  while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off);
}

parentPort?.on('message', (/** @type {Job | { type: 'cancel' }} */ m) => {
  if ('type' in m) {
    if (m.type === 'cancel') cancelRequested = true;
    return;
  }
  const job = m;
  cancelRequested = false;
  run(job).then(
    (sha384) => parentPort?.postMessage({ type: 'done', id: job.id, sha384 }),
    (/** @type {any} */ e) => parentPort?.postMessage({ type: 'error', id: job.id, code: String(e?.code ?? 'io.error'), message: String(e?.message ?? e) }),
  );
});
