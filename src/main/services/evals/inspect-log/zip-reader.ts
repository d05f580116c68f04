/**
 * The ZIP container of an `.eval` log, read through its central directory with yauzl. Members may be stored (0),
 * deflate (8) or zstd (93, Inspect ≥ 0.3.206); yauzl inflates deflate itself and hands zstd members over raw, which
 * fzstd decodes. Every member is checked against its entry (size and CRC-32) and against the import limits before
 * anything large is allocated, so a hostile file ends in a specific error, not an exhausted process.
 */
import { open as openFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { decompress as zstdDecompress } from 'fzstd';
import { AirlockError } from '../../../../shared/errors';

export const ZIP_METHOD_STORED = 0;
export const ZIP_METHOD_DEFLATE = 8;
export const ZIP_METHOD_ZSTD = 93;

export interface EvalZipLimits {
  /** Largest uncompressed member (header, one sample, summaries…). */
  maxMemberBytes: number;
  /** Largest uncompressed total over the members actually read. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio of a member above `ratioFloorBytes`. */
  maxCompressionRatio: number;
  /** Members smaller than this are not held to the ratio (tiny JSON compresses well). */
  ratioFloorBytes: number;
  maxMembers: number;
}

export const DEFAULT_EVAL_ZIP_LIMITS: Readonly<EvalZipLimits> = Object.freeze({
  maxMemberBytes: 256 * 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024 * 1024,
  // Inspect's JSON deflates ~5-30×; a repetitive transcript reaches a few hundred. Deflate's ceiling is ~1032×.
  maxCompressionRatio: 1000,
  ratioFloorBytes: 1024 * 1024,
  maxMembers: 1_000_000,
});

export interface ZipMember {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  crc32: number;
}

export interface EvalZip {
  /** Members by name; a duplicated name keeps its last central-directory entry (as Python's zipfile does). */
  readonly members: ReadonlyMap<string, ZipMember>;
  read(name: string): Promise<Buffer>;
  close(): void;
}

const ZIP_LOCAL_MAGIC = 0x04034b50;
const ZIP_EMPTY_MAGIC = 0x06054b50;

/** Open an `.eval` log from a file path or from bytes. */
export async function openEvalZip(
  source: string | Uint8Array,
  limits: Partial<EvalZipLimits> = {},
): Promise<EvalZip> {
  const lim: EvalZipLimits = { ...DEFAULT_EVAL_ZIP_LIMITS, ...limits };
  const label = typeof source === 'string' ? source : 'the .eval log';
  const magic = typeof source === 'string' ? await readMagic(source) : magicOf(source);
  if (magic !== ZIP_LOCAL_MAGIC && magic !== ZIP_EMPTY_MAGIC) {
    throw new AirlockError(
      'evals.log-not-zip',
      `${label} is not an Inspect .eval log: it does not start as a ZIP archive. Choose a .eval file that Inspect or Airlock wrote (a .json log is a different format).`,
    );
  }
  const options: yauzl.Options = { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true };
  let zip: ZipFile;
  try {
    zip = await new Promise<ZipFile>((resolve, reject) => {
      const done = (err: Error | null, z?: ZipFile) => (err || !z ? reject(err ?? new Error('no zip')) : resolve(z));
      if (typeof source === 'string') yauzl.open(source, options, done);
      else yauzl.fromBuffer(Buffer.from(source.buffer, source.byteOffset, source.byteLength), options, done);
    });
  } catch (e) {
    throw truncated(label, e);
  }
  try {
    const { members, entries } = await listEntries(zip, label, lim);
    return makeEvalZip(zip, label, lim, members, entries);
  } catch (e) {
    zip.close();
    throw e;
  }
}

function magicOf(bytes: Uint8Array): number {
  if (bytes.byteLength < 4) return -1;
  return (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
}

async function readMagic(path: string): Promise<number> {
  let handle;
  try {
    handle = await openFile(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AirlockError(
      code === 'ENOENT' ? 'io.not-found' : 'io.read',
      code === 'ENOENT' ? `${path} does not exist; check the path (is the medium mounted?).` : `${path} could not be read (${code ?? 'error'}).`,
    );
  }
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buf, 0, 4, 0);
    return magicOf(buf.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

function truncated(label: string, cause: unknown): AirlockError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new AirlockError(
    'evals.log-truncated',
    `${label} is damaged or incomplete (${why}). Copy the .eval file again from its source; a log still being written has no central directory yet.`,
  );
}

function listEntries(
  zip: ZipFile,
  label: string,
  lim: EvalZipLimits,
): Promise<{ members: Map<string, ZipMember>; entries: Map<string, Entry> }> {
  if (zip.entryCount > lim.maxMembers) {
    return Promise.reject(
      new AirlockError(
        'evals.log-too-many-members',
        `${label} has ${zip.entryCount} members; the import limit is ${lim.maxMembers}. Split the evaluation into smaller logs.`,
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const members = new Map<string, ZipMember>();
    const entries = new Map<string, Entry>();
    zip.on('entry', (entry: Entry) => {
      const name = entry.fileName;
      if (!name.endsWith('/')) {
        // Map.set on an existing key keeps the newest value: last entry wins.
        members.delete(name);
        members.set(name, {
          name,
          method: entry.compressionMethod,
          compressedSize: entry.compressedSize,
          uncompressedSize: entry.uncompressedSize,
          crc32: entry.crc32,
        });
        entries.delete(name);
        entries.set(name, entry);
      }
      zip.readEntry();
    });
    zip.once('end', () => resolve({ members, entries }));
    zip.once('error', (e: unknown) => reject(truncated(label, e)));
    zip.readEntry();
  });
}

function makeEvalZip(
  zip: ZipFile,
  label: string,
  lim: EvalZipLimits,
  members: Map<string, ZipMember>,
  entries: Map<string, Entry>,
): EvalZip {
  let totalRead = 0;
  return {
    members,
    close: () => zip.close(),
    async read(name: string): Promise<Buffer> {
      const member = members.get(name);
      const entry = entries.get(name);
      if (!member || !entry) throw new AirlockError('evals.log-invalid', `${label} has no member ${name}.`);
      checkLimits(label, member, lim);
      if (totalRead + member.uncompressedSize > lim.maxTotalBytes) {
        throw new AirlockError(
          'evals.log-member-too-large',
          `${label} expands to more than ${lim.maxTotalBytes} bytes in total, over the import limit; split the evaluation into smaller logs.`,
          { member: name },
        );
      }
      if (entry.isEncrypted()) {
        throw new AirlockError('evals.log-unsupported-compression', `${label}: member ${name} is encrypted; Inspect never encrypts logs.`);
      }
      let data: Buffer;
      if (member.method === ZIP_METHOD_STORED || member.method === ZIP_METHOD_DEFLATE) {
        data = await readStream(zip, entry, true, label, name);
      } else if (member.method === ZIP_METHOD_ZSTD) {
        const raw = await readStream(zip, entry, false, label, name);
        data = decodeZstdMember(raw, member, label, lim);
      } else {
        throw new AirlockError(
          'evals.log-unsupported-compression',
          `${label}: member ${name} uses ZIP compression method ${member.method}; Inspect logs use stored (0), deflate (8) or zstd (93). Re-save the log with Inspect.`,
          { member: name, method: member.method },
        );
      }
      if (data.length !== member.uncompressedSize || crc32(data) !== member.crc32) {
        throw corrupt(label, name, 'its size or CRC-32 does not match the ZIP entry');
      }
      totalRead += data.length;
      return data;
    },
  };
}

function checkLimits(label: string, m: ZipMember, lim: EvalZipLimits): void {
  if (m.uncompressedSize > lim.maxMemberBytes) {
    throw new AirlockError(
      'evals.log-member-too-large',
      `${label}: member ${m.name} expands to ${m.uncompressedSize} bytes, over the ${lim.maxMemberBytes}-byte import limit. A sample this large cannot be imported; ask for a log without that sample, or raise the limit.`,
      { member: m.name, size: m.uncompressedSize, limit: lim.maxMemberBytes },
    );
  }
  if (m.uncompressedSize > lim.ratioFloorBytes && m.uncompressedSize > m.compressedSize * lim.maxCompressionRatio) {
    throw new AirlockError(
      'evals.log-zip-bomb',
      `${label}: member ${m.name} would expand ${Math.round(m.uncompressedSize / Math.max(1, m.compressedSize))}× (${m.compressedSize} → ${m.uncompressedSize} bytes), far beyond real logs; the file was not imported. Do not trust its source.`,
      { member: m.name, compressed: m.compressedSize, uncompressed: m.uncompressedSize },
    );
  }
}

function corrupt(label: string, name: string, why: string): AirlockError {
  return new AirlockError(
    'evals.log-member-corrupt',
    `${label}: member ${name} is damaged (${why}). Copy the .eval file again from its source.`,
    { member: name },
  );
}

function readStream(zip: ZipFile, entry: Entry, decompress: boolean, label: string, name: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // decodeFileData: false hands over the raw bytes of a method yauzl does not know (zstd).
    const options = (decompress ? {} : { decodeFileData: false }) as yauzl.ZipFileOptions;
    const onStream = (err: Error | null, stream?: Readable) => {
      if (err || !stream) {
        reject(corrupt(label, name, err?.message ?? 'no data'));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.once('error', (e: Error) => reject(corrupt(label, name, e.message)));
      stream.once('end', () => resolve(Buffer.concat(chunks)));
    };
    try {
      zip.openReadStream(entry, options, onStream);
    } catch (e) {
      reject(corrupt(label, name, e instanceof Error ? e.message : String(e)));
    }
  });
}

/**
 * Decode a zstd member. fzstd allocates each frame's declared content size (or its window) up front, so the frame
 * headers and block headers are walked first to bound what decoding could produce; only then is fzstd called.
 */
function decodeZstdMember(raw: Buffer, m: ZipMember, label: string, lim: EvalZipLimits): Buffer {
  const bound = zstdOutputBound(raw, m.name, label);
  if (bound.maxAllocation > lim.maxMemberBytes || bound.maxOutput > lim.maxMemberBytes) {
    throw new AirlockError(
      'evals.log-member-too-large',
      `${label}: zstd member ${m.name} could expand to ${bound.maxOutput} bytes, over the ${lim.maxMemberBytes}-byte import limit; the file was not imported.`,
      { member: m.name },
    );
  }
  let out: Uint8Array;
  try {
    out = zstdDecompress(raw);
  } catch (e) {
    throw corrupt(label, m.name, `zstd: ${e instanceof Error ? e.message : String(e)}`);
  }
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

const ZSTD_MAGIC = 0xfd2fb528;
const ZSTD_BLOCK_MAX = 128 * 1024;

/** Upper bounds from the zstd framing (RFC 8878 §3.1) alone: total output and the largest single allocation. */
function zstdOutputBound(d: Buffer, name: string, label: string): { maxOutput: number; maxAllocation: number } {
  let p = 0;
  let maxOutput = 0;
  let maxAllocation = 0;
  const bad = (why: string) => corrupt(label, name, `zstd framing: ${why}`);
  while (p < d.length) {
    if (p + 4 > d.length) throw bad('truncated frame magic');
    const magic = d.readUInt32LE(p);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      if (p + 8 > d.length) throw bad('truncated skippable frame');
      p += 8 + d.readUInt32LE(p + 4);
      continue;
    }
    if (magic !== ZSTD_MAGIC) throw bad('not a zstd frame');
    p += 4;
    const fhd = d[p++];
    if (fhd === undefined) throw bad('truncated frame header');
    const fcsFlag = fhd >> 6;
    const singleSegment = (fhd >> 5) & 1;
    const checksum = (fhd >> 2) & 1;
    const dictFlag = fhd & 3;
    let window = 0;
    if (!singleSegment) {
      const wd = d[p++];
      if (wd === undefined) throw bad('truncated window descriptor');
      const base = 2 ** (10 + (wd >> 3));
      window = base + (base / 8) * (wd & 7);
    }
    p += [0, 1, 2, 4][dictFlag]!;
    const fcsBytes = fcsFlag === 0 ? singleSegment : 1 << fcsFlag;
    if (p + fcsBytes > d.length) throw bad('truncated frame header');
    let fcs = -1;
    if (fcsBytes === 1) fcs = d[p]!;
    else if (fcsBytes === 2) fcs = d.readUInt16LE(p) + 256;
    else if (fcsBytes === 4) fcs = d.readUInt32LE(p);
    else if (fcsBytes === 8) fcs = d.readUInt32LE(p) + d.readUInt32LE(p + 4) * 2 ** 32;
    p += fcsBytes;
    if (singleSegment) window = fcs;
    let frameOutput = 0;
    for (;;) {
      if (p + 3 > d.length) throw bad('truncated block header');
      const bh = d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16);
      p += 3;
      const last = bh & 1;
      const type = (bh >> 1) & 3;
      const size = bh >>> 3;
      if (type === 3) throw bad('reserved block type');
      // Raw: `size` bytes in and out. RLE: one byte in, `size` out. Compressed: `size` in, at most one block out.
      frameOutput += type === 2 ? ZSTD_BLOCK_MAX : size;
      p += type === 1 ? 1 : size;
      if (p > d.length) throw bad('truncated block');
      if (last) break;
    }
    p += checksum * 4;
    if (p > d.length) throw bad('truncated checksum');
    maxOutput += fcs >= 0 ? Math.min(frameOutput, fcs) : frameOutput;
    maxAllocation = Math.max(maxAllocation, fcs > 0 ? fcs : window);
  }
  return { maxOutput, maxAllocation };
}
