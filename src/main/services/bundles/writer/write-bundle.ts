/**
 * The bundle writer (spec §1–§3, §5): files in, a signed bundle out, as a
 * directory or a deterministic POSIX tar.
 *
 *   bundle.json  the metadata as canonical JSON (RFC 8785), checked with the
 *                reader's own schema first
 *   SHA384SUMS   sha384sum's format, bytewise-sorted, covering bundle.json
 *                and every file
 *   SHA384SUMS.p7s  detached CMS SignedData over SHA384SUMS (pki/cms-sign)
 *
 * Tar layout: SHA384SUMS, SHA384SUMS.p7s, bundle.json, then the files in
 * bytewise path order; fixed mode/owner/mtime (tar-format.ts); no directory
 * members (tar creates parents on extraction). One pass over the files:
 * every size is known up front, and so is the signature's (cms-sign gives it
 * a fixed length), so the three head members' extent is known before any
 * file is hashed. The files are streamed into place after that extent —
 * hashed and written in the same read — and the head is written last.
 *
 * Determinism: the same files, metadata, identity and time give the same
 * bytes, except for the signature value when it is randomised. RSA PKCS#1
 * v1.5 (the default for RSA keys) is deterministic: such bundles are
 * byte-identical (and their SHA384SUMS.p7s equals `openssl cms -sign`'s at
 * the same signingTime). RSA-PSS and ECDSA draw randomness (OpenSSL 3.0 /
 * Node 20 sign ECDSA with a random nonce), so two runs differ in the
 * signature bytes only — never in length or in any offset. What issue 11
 * (byte-identical exports) must choose: deterministic ECDSA (RFC 6979;
 * OpenSSL ≥ 3.2 has it as `nonce-type=1`, Node 20's crypto.sign cannot ask
 * for it, and a JS implementation would need the raw private scalar out of
 * the keystore's KeyObject), RSA PKCS#1 v1.5 identities, or "identical
 * except the signature value", which anyone can check by comparing the two
 * tars outside the last 104 (P-384) / 139 (P-521) bytes of SHA384SUMS.p7s.
 *
 * Nothing half-written is left behind: output goes to a hidden temporary
 * name beside the target, is fsynced and renamed into place, and is removed
 * on any error or cancellation.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AirlockError } from '../../../../shared/errors';
import { prepareSigner, signDetached, signedDataLength, type PreparedSigner, type SigningDigest, type SigningIdentity } from '../../pki';
import { canonicalJsonBytes } from '../canonical-json';
import { META, SIG, SUMS } from '../container';
import { MetadataError, parseMetadata, referencedPaths } from '../metadata';
import { cancelled, copyRange, writeAt } from './copy';
import { byteOrder, checkPaths, formatSums, sumsLength, type BundleSource } from './layout';
import { TempDirectory, TempFile, ioFailure, refuseExisting } from './output';
import { END_OF_ARCHIVE, memberHeader, memberLength, padding } from './tar-format';

export interface WriteProgress {
  bytesDone: number;
  bytesTotal: number;
}

export interface WriteBundleOptions {
  /** Where the bundle goes: a tar file or a directory that must not exist yet. */
  out: string;
  format: 'tar' | 'directory';
  /** bundle.json, as plain JSON data; written canonically. */
  metadata: Record<string, unknown>;
  /** The bundle's files (not bundle.json, SHA384SUMS or SHA384SUMS.p7s). */
  files: BundleSource[];
  signer: SigningIdentity;
  /** The bundle's time: the signingTime attribute and every tar member's mtime (whole seconds). */
  time: Date;
  digest?: SigningDigest;
  signal?: AbortSignal;
  onProgress?: (p: WriteProgress) => void;
}

export interface WrittenFile {
  path: string;
  sha384: string;
  size: number;
}

export interface WrittenBundle {
  out: string;
  format: 'tar' | 'directory';
  /** The exact SHA384SUMS bytes. */
  sums: Buffer;
  /** SHA-384 of SHA384SUMS (what a result bundle's `inputs` name). */
  sumsSha384: string;
  /** bundle.json and every file, as listed in SHA384SUMS. */
  files: WrittenFile[];
  /** Bytes written: the tar's size, or the sum of the directory's files. */
  bytes: number;
}

const sha384Hex = (b: Uint8Array): string => crypto.createHash('sha384').update(b).digest('hex');

interface Planned {
  path: string;
  size: number;
  source: BundleSource;
}

/** bundle.json bytes, refused unless Airlock's own reader would accept them and every path they name is a file of the bundle. */
function metadataBytes(metadata: Record<string, unknown>, files: Set<string>): Buffer {
  const bytes = canonicalJsonBytes(metadata);
  let parsed;
  try {
    parsed = parseMetadata(bytes);
  } catch (e) {
    if (e instanceof MetadataError) throw new AirlockError('writer.metadata', `${e.message} Fix the metadata before writing the bundle.`, { code: e.code });
    throw e;
  }
  for (const ref of referencedPaths(parsed))
    if (!files.has(ref.path)) throw new AirlockError('writer.metadata', `bundle.json field ${ref.field} names "${ref.path}", which is not among the bundle's files.`, { path: ref.path });
  return bytes;
}

async function plan(files: BundleSource[]): Promise<Planned[]> {
  checkPaths(files.map((f) => f.path));
  const out: Planned[] = [];
  for (const f of files) {
    if ('data' in f) {
      if (!(f.data instanceof Uint8Array)) throw new AirlockError('writer.source', `"${f.path}" has no bytes (data must be a Buffer or Uint8Array).`, { path: f.path });
      out.push({ path: f.path, size: f.data.byteLength, source: f });
      continue;
    }
    let st;
    try {
      st = await fs.stat(f.file);
    } catch (e) {
      throw new AirlockError('writer.source', `Cannot read ${f.file} for "${f.path}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, { path: f.path });
    }
    if (!st.isFile()) throw new AirlockError('writer.source', `${f.file} (for "${f.path}") is not a regular file.`, { path: f.path });
    out.push({ path: f.path, size: st.size, source: f });
  }
  return out.sort((a, b) => byteOrder(a.path, b.path));
}

/**
 * Stream one planned file to `dst` at `pos`, hashing it. A source file that
 * changes size or is modified while it is read is refused: what is hashed
 * must be what is stored.
 */
async function streamFile(f: Planned, dst: fs.FileHandle, pos: number, signal: AbortSignal | undefined, onBytes: (n: number) => void): Promise<string> {
  const hash = crypto.createHash('sha384');
  if ('data' in f.source) {
    hash.update(f.source.data);
    await writeAt(dst, f.source.data, pos);
    onBytes(f.size);
    return hash.digest('hex');
  }
  const file = f.source.file;
  const changed = (how: string) =>
    new AirlockError('writer.source-changed', `${file} (for "${f.path}") ${how} while the bundle was being written; write the bundle again once nothing else is changing it.`, { path: f.path });
  let src: fs.FileHandle;
  try {
    src = await fs.open(file, 'r');
  } catch (e) {
    throw new AirlockError('writer.source', `Cannot read ${file} for "${f.path}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, { path: f.path });
  }
  try {
    const before = await src.stat();
    if (!before.isFile() || before.size !== f.size) throw changed(`changed size (${f.size} → ${before.size} bytes)`);
    const copied = await copyRange(src, 0, f.size, dst, pos, { hash, signal, onBytes });
    if (copied < f.size) throw changed(`shrank (${f.size} → ${copied} bytes)`);
    const extra = Buffer.alloc(1);
    const { bytesRead } = await src.read(extra, 0, 1, f.size);
    const after = await src.stat();
    if (bytesRead > 0 || after.size !== f.size) throw changed(`grew (${f.size} → ${Math.max(after.size, f.size + bytesRead)} bytes)`);
    if (after.mtimeMs !== before.mtimeMs || after.ino !== before.ino) throw changed('was modified');
    return hash.digest('hex');
  } finally {
    await src.close();
  }
}

export async function writeBundle(opts: WriteBundleOptions): Promise<WrittenBundle> {
  if (opts.format !== 'tar' && opts.format !== 'directory') throw new AirlockError('usage', `Bundle format must be "tar" or "directory", not ${JSON.stringify(opts.format)}.`);
  const digest = opts.digest ?? 'sha384';
  // Everything that can be refused is refused before the disk is touched.
  const signer = prepareSigner(opts.signer, { signingTime: opts.time, digest });
  const planned = await plan(opts.files);
  const meta = metadataBytes(opts.metadata, new Set(planned.map((p) => p.path)));
  const out = path.resolve(opts.out);
  await refuseExisting(out);
  if (opts.signal?.aborted) throw cancelled();

  const bytesTotal = planned.reduce((n, p) => n + p.size, 0);
  let bytesDone = 0;
  const onBytes = (n: number) => {
    bytesDone += n;
    opts.onProgress?.({ bytesDone, bytesTotal });
  };
  const ctx: WriteContext = { planned, meta, signer, out, signal: opts.signal, onBytes, mtime: Math.floor(opts.time.getTime() / 1000) };
  return opts.format === 'tar' ? writeTar(ctx) : writeDirectory(ctx);
}

interface WriteContext {
  planned: Planned[];
  meta: Buffer;
  signer: PreparedSigner;
  out: string;
  signal: AbortSignal | undefined;
  onBytes: (n: number) => void;
  mtime: number;
}

function sumsFor(ctx: WriteContext, hashes: Map<string, string>): { sums: Buffer; files: WrittenFile[] } {
  const files: WrittenFile[] = [
    { path: META, sha384: sha384Hex(ctx.meta), size: ctx.meta.length },
    ...ctx.planned.map((p) => ({ path: p.path, sha384: hashes.get(p.path)!, size: p.size })),
  ].sort((a, b) => byteOrder(a.path, b.path));
  return { sums: formatSums(files), files };
}

async function writeTar(ctx: WriteContext): Promise<WrittenBundle> {
  const sumsLen = sumsLength([META, ...ctx.planned.map((p) => p.path)]);
  const sigLen = signedDataLength(ctx.signer);
  const headLen = memberLength(SUMS, sumsLen) + memberLength(SIG, sigLen) + memberLength(META, ctx.meta.length);
  const tar = await TempFile.create(ctx.out);
  try {
    const hashes = new Map<string, string>();
    let pos = headLen;
    for (const p of ctx.planned) {
      const h = memberHeader(p.path, p.size, ctx.mtime);
      await writeAt(tar.fh, h, pos);
      pos += h.length;
      hashes.set(p.path, await streamFile(p, tar.fh, pos, ctx.signal, ctx.onBytes));
      pos += p.size;
      const pad = padding(p.size);
      if (pad) await writeAt(tar.fh, Buffer.alloc(pad), pos);
      pos += pad;
    }
    await writeAt(tar.fh, END_OF_ARCHIVE, pos);
    pos += END_OF_ARCHIVE.length;

    const { sums, files } = sumsFor(ctx, hashes);
    const p7s = signDetached(sums, ctx.signer);
    const member = (name: string, data: Buffer) => [memberHeader(name, data.length, ctx.mtime), data, Buffer.alloc(padding(data.length))];
    const head = Buffer.concat([...member(SUMS, sums), ...member(SIG, p7s), ...member(META, ctx.meta)]);
    // cannot happen unless cms-sign's fixed signature length breaks; the payload offsets depend on it
    if (head.length !== headLen) throw new Error(`tar head is ${head.length} bytes, planned ${headLen} (SHA384SUMS ${sums.length}/${sumsLen}, p7s ${p7s.length}/${sigLen})`);
    await writeAt(tar.fh, head, 0);
    if (ctx.signal?.aborted) throw cancelled();
    await tar.commit();
    return { out: ctx.out, format: 'tar', sums, sumsSha384: sha384Hex(sums), files, bytes: pos };
  } catch (e) {
    await tar.discard();
    throw ioFailure(ctx.out, e);
  }
}

async function writeDirectory(ctx: WriteContext): Promise<WrittenBundle> {
  const dir = await TempDirectory.create(ctx.out);
  try {
    const hashes = new Map<string, string>();
    for (const p of ctx.planned) await dir.put(p.path, async (fh) => void hashes.set(p.path, await streamFile(p, fh, 0, ctx.signal, ctx.onBytes)));
    const { sums, files } = sumsFor(ctx, hashes);
    const p7s = signDetached(sums, ctx.signer);
    await dir.put(META, (fh) => writeAt(fh, ctx.meta, 0));
    await dir.put(SUMS, (fh) => writeAt(fh, sums, 0));
    await dir.put(SIG, (fh) => writeAt(fh, p7s, 0));
    if (ctx.signal?.aborted) throw cancelled();
    await dir.commit();
    const bytes = files.reduce((n, f) => n + f.size, 0) + sums.length + p7s.length;
    return { out: ctx.out, format: 'directory', sums, sumsSha384: sha384Hex(sums), files, bytes };
  } catch (e) {
    await dir.discard();
    throw ioFailure(ctx.out, e);
  }
}
