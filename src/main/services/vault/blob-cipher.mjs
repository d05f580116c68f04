// @ts-check
/**
 * Airlock vault blob chunk format (plain JS with types in blob-cipher.d.mts:
 * imported by TS code and by the hash worker, which is bundled into main).
 * Node `crypto` only — no other imports.
 *
 * Layout of a sealed blob:
 *
 *   header (48 bytes):
 *     magic      4  "ALB1"
 *     version    1  = 1
 *     reserved   3  = 0
 *     chunkSize  4  u32 BE, plaintext bytes per non-final chunk (1 .. 64 MiB)
 *     salt      32  random per blob; chunkKey = HKDF-SHA-384(blobKey, salt, INFO, 32)
 *     noncePfx   4  random per blob
 *   frames, one per chunk:
 *     word       4  u32 BE: bit 31 = final flag, bits 0..30 = plaintext length
 *     ciphertext len bytes (AES-256-GCM)
 *     tag       16
 *
 *   nonce(i) = noncePfx || u64 BE i           (unique: per-blob key, counter)
 *   AAD(i)   = header || u64 BE i || word     (binds blob, position, final flag)
 *
 * Every non-final chunk carries exactly chunkSize bytes; the last frame has the
 * final flag (it may be empty). Reordering, truncation, extension or swapping
 * chunks between blobs therefore fails authentication or framing.
 */
import crypto from 'node:crypto';

export const BLOB_MAGIC = Buffer.from('ALB1', 'latin1');
export const BLOB_VERSION = 1;
export const HEADER_SIZE = 48;
export const FRAME_OVERHEAD = 4 + 16;
export const DEFAULT_CHUNK_SIZE = 1 << 20;
export const MAX_CHUNK_SIZE = 64 << 20;
const FINAL = 0x80000000;
const HKDF_INFO = Buffer.from('airlock vault blob chunk key v1', 'utf8');

/**
 * @param {string} code
 * @param {string} message
 * @returns {Error & { code: string }}
 */
function blobError(code, message) {
  const e = /** @type {Error & { code: string }} */ (new Error(message));
  e.code = code;
  return e;
}

/** @param {Buffer} blobKey @param {Buffer} salt @returns {Buffer} */
function chunkKey(blobKey, salt) {
  return Buffer.from(crypto.hkdfSync('sha384', blobKey, salt, HKDF_INFO, 32));
}

/** @param {Buffer} prefix @param {number} index @returns {Buffer} */
function nonceFor(prefix, index) {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0, 0, 4);
  n.writeBigUInt64BE(BigInt(index), 4);
  return n;
}

/** @param {Buffer} header @param {number} index @param {number} word @returns {Buffer} */
function aadFor(header, index, word) {
  const a = Buffer.alloc(HEADER_SIZE + 12);
  header.copy(a, 0);
  a.writeBigUInt64BE(BigInt(index), HEADER_SIZE);
  a.writeUInt32BE(word >>> 0, HEADER_SIZE + 8);
  return a;
}

/**
 * Validates a 48-byte blob header; returns its chunk size. Throws blob.corrupt.
 * @param {Buffer} h
 * @returns {number}
 */
export function parseHeader(h) {
  if (h.length !== HEADER_SIZE || !h.subarray(0, 4).equals(BLOB_MAGIC) || h[4] !== BLOB_VERSION) throw blobError('blob.corrupt', 'bad blob header');
  const cs = h.readUInt32BE(8);
  if (cs < 1 || cs > MAX_CHUNK_SIZE) throw blobError('blob.corrupt', 'bad chunk size in header');
  return cs;
}

/**
 * A fresh header: random 32-byte salt and 4-byte nonce prefix.
 * @param {number} chunkSize
 * @returns {Buffer}
 */
export function newHeader(chunkSize) {
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) throw new RangeError('bad chunkSize');
  const h = Buffer.alloc(HEADER_SIZE);
  BLOB_MAGIC.copy(h, 0);
  h[4] = BLOB_VERSION;
  h.writeUInt32BE(chunkSize, 8);
  crypto.randomFillSync(h, 12, 36);
  return h;
}

/**
 * Building blocks for callers that drive their own I/O (BlobStore's pipelined
 * reader/writer). Same format and derivations as BlobSealer / BlobOpener.
 */
export const FINAL_FLAG = FINAL;
/** @param {Buffer} blobKey @param {Buffer} header @returns {Buffer} per-blob chunk key (caller zeroes it) */
export function headerChunkKey(blobKey, header) {
  checkKey(blobKey);
  return chunkKey(blobKey, header.subarray(12, 44));
}
/** @param {Buffer} header @param {number} index @returns {Buffer} */
export function frameNonce(header, index) {
  return nonceFor(header.subarray(44, 48), index);
}
/** @param {Buffer} header @param {number} index @param {number} word @returns {Buffer} */
export function frameAad(header, index, word) {
  return aadFor(header, index, word);
}

/** @param {Buffer} blobKey */
function checkKey(blobKey) {
  if (!Buffer.isBuffer(blobKey) || blobKey.length !== 32) throw new TypeError('blobKey must be a 32-byte Buffer');
}

/**
 * Total sealed size for a plaintext of `size` bytes.
 * @param {number} size
 * @param {number} [chunkSize]
 * @returns {number}
 */
export function sealedSize(size, chunkSize = DEFAULT_CHUNK_SIZE) {
  const full = Math.floor(size / chunkSize);
  return HEADER_SIZE + (full + 1) * FRAME_OVERHEAD + size;
}

/** Encrypts a plaintext stream in constant memory (one chunk buffered). */
export class BlobSealer {
  /**
   * @param {Buffer} blobKey 32-byte store key
   * @param {number} [chunkSize]
   */
  constructor(blobKey, chunkSize = DEFAULT_CHUNK_SIZE) {
    checkKey(blobKey);
    if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) throw new RangeError('bad chunkSize');
    this.chunkSize = chunkSize;
    this.header = newHeader(chunkSize);
    this.noncePfx = this.header.subarray(44, 48);
    /** @type {Buffer | null} */
    this.key = chunkKey(blobKey, this.header.subarray(12, 44));
    this.buf = Buffer.allocUnsafe(chunkSize);
    this.fill = 0;
    this.index = 0;
    this.headerSent = false;
  }

  /** @param {Buffer} plain @param {boolean} final @returns {Buffer} */
  sealChunk(plain, final) {
    if (!this.key) throw new Error('BlobSealer already finalized');
    const word = (final ? FINAL : 0) | plain.length;
    const c = crypto.createCipheriv('aes-256-gcm', this.key, nonceFor(this.noncePfx, this.index));
    c.setAAD(aadFor(this.header, this.index, word));
    const out = Buffer.allocUnsafe(4 + plain.length + 16);
    out.writeUInt32BE(word >>> 0, 0);
    const ct = c.update(plain);
    ct.copy(out, 4);
    const fin = c.final();
    if (fin.length) throw new Error('unexpected GCM output');
    c.getAuthTag().copy(out, 4 + plain.length);
    this.index++;
    return out;
  }

  /**
   * @param {Uint8Array} plain
   * @returns {Buffer} sealed bytes to append (maybe empty)
   */
  push(plain) {
    if (!this.key) throw new Error('BlobSealer already finalized');
    /** @type {Buffer[]} */
    const outs = [];
    if (!this.headerSent) {
      outs.push(this.header);
      this.headerSent = true;
    }
    const src = Buffer.isBuffer(plain) ? plain : Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength);
    let off = 0;
    while (off < src.length) {
      if (this.fill === 0 && src.length - off >= this.chunkSize) {
        // Whole chunk available: seal directly from the input, no copy.
        outs.push(this.sealChunk(src.subarray(off, off + this.chunkSize), false));
        off += this.chunkSize;
        continue;
      }
      const n = Math.min(this.chunkSize - this.fill, src.length - off);
      src.copy(this.buf, this.fill, off, off + n);
      this.fill += n;
      off += n;
      if (this.fill === this.chunkSize) {
        outs.push(this.sealChunk(this.buf, false));
        this.fill = 0;
      }
    }
    return outs.length === 1 ? /** @type {Buffer} */ (outs[0]) : Buffer.concat(outs);
  }

  /** @returns {Buffer} remaining sealed bytes including the final chunk */
  final() {
    /** @type {Buffer[]} */
    const outs = [];
    if (!this.headerSent) {
      outs.push(this.header);
      this.headerSent = true;
    }
    outs.push(this.sealChunk(this.buf.subarray(0, this.fill), true));
    this.destroy();
    return Buffer.concat(outs);
  }

  /** Zeroes the chunk key and the buffered plaintext; the sealer is unusable after. Safe to call twice. */
  destroy() {
    this.buf.fill(0);
    if (this.key) this.key.fill(0);
    this.key = null;
  }
}

/** Decrypts and authenticates a sealed stream in constant memory. */
export class BlobOpener {
  /** @param {Buffer} blobKey */
  constructor(blobKey) {
    checkKey(blobKey);
    this.blobKey = Buffer.from(blobKey);
    /** @type {Buffer[]} */
    this.pending = [];
    this.pendingLen = 0;
    /** @type {Buffer | null} */
    this.header = null;
    /** @type {Buffer | null} */
    this.key = null;
    this.noncePfx = Buffer.alloc(4);
    this.chunkSize = 0;
    this.index = 0;
    this.done = false;
  }

  /** @param {number} n @returns {Buffer} */
  take(n) {
    const all = this.pending.length === 1 ? /** @type {Buffer} */ (this.pending[0]) : Buffer.concat(this.pending, this.pendingLen);
    const head = all.subarray(0, n);
    const rest = all.subarray(n);
    this.pending = rest.length ? [rest] : [];
    this.pendingLen = rest.length;
    return head;
  }

  /** Reads the u32 BE at the front of the pending data without consuming it. @returns {number} */
  peekU32() {
    const first = /** @type {Buffer} */ (this.pending[0]);
    if (first.length >= 4) return first.readUInt32BE(0);
    const four = Buffer.alloc(4);
    let o = 0;
    for (const p of this.pending) {
      const n = Math.min(4 - o, p.length);
      p.copy(four, o, 0, n);
      o += n;
      if (o === 4) break;
    }
    return four.readUInt32BE(0);
  }

  /**
   * @param {Uint8Array} sealed
   * @returns {Buffer} plaintext (maybe empty)
   */
  push(sealed) {
    const b = Buffer.isBuffer(sealed) ? sealed : Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (b.length === 0) return Buffer.alloc(0);
    if (this.done) throw blobError('blob.corrupt', 'data after the final chunk');
    this.pending.push(b);
    this.pendingLen += b.length;
    /** @type {Buffer[]} */
    const outs = [];
    for (;;) {
      if (!this.header) {
        if (this.pendingLen < HEADER_SIZE) break;
        const h = Buffer.from(this.take(HEADER_SIZE));
        const cs = parseHeader(h);
        this.header = h;
        this.chunkSize = cs;
        this.key = chunkKey(this.blobKey, h.subarray(12, 44));
        h.copy(this.noncePfx, 0, 44, 48);
        continue;
      }
      if (this.done) {
        if (this.pendingLen > 0) throw blobError('blob.corrupt', 'data after the final chunk');
        break;
      }
      if (this.pendingLen < 4) break;
      const word = this.peekU32();
      const final = (word & FINAL) !== 0;
      const len = word & 0x7fffffff;
      if (len > this.chunkSize || (!final && len !== this.chunkSize)) throw blobError('blob.corrupt', `bad frame length at chunk ${this.index}`);
      if (this.pendingLen < 4 + len + 16) break;
      const frame = this.take(4 + len + 16);
      const d = crypto.createDecipheriv('aes-256-gcm', /** @type {Buffer} */ (this.key), nonceFor(this.noncePfx, this.index));
      d.setAAD(aadFor(this.header, this.index, word));
      d.setAuthTag(frame.subarray(4 + len));
      const pt = d.update(frame.subarray(4, 4 + len));
      try {
        d.final();
      } catch {
        throw blobError('blob.corrupt', `authentication failed at chunk ${this.index}`);
      }
      this.index++;
      outs.push(pt);
      if (final) this.done = true;
    }
    return outs.length === 1 ? /** @type {Buffer} */ (outs[0]) : Buffer.concat(outs);
  }

  /** Call at end of input. Throws blob.truncated / blob.corrupt. */
  final() {
    this.blobKey.fill(0);
    if (this.key) this.key.fill(0);
    if (!this.done) throw blobError('blob.truncated', this.header ? `stream ended before the final chunk (after ${this.index} chunks)` : 'stream ended inside the header');
    if (this.pendingLen > 0) throw blobError('blob.corrupt', 'data after the final chunk');
  }
}
