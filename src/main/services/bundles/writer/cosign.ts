/**
 * Co-signing a written bundle (spec §3; issue 11's supervisor
 * countersignature): a new bundle in the same form whose SHA384SUMS.p7s has
 * one more SignerInfo, added as `openssl cms -resign` does (cms-sign's
 * addSigner keeps the existing SignerInfos byte for byte).
 *
 * Everything else is copied as it is — a tar keeps every header and byte of
 * its other members, only the signature member's size field and data change
 * — and every listed file is re-hashed while it is copied: a co-signer
 * countersigns exactly the bytes SHA384SUMS names, or nothing is written.
 * (Trust in the first signer is the caller's business: verify the bundle
 * against the lab's anchors before asking a supervisor to co-sign it.)
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AirlockError } from '../../../../shared/errors';
import { addSigner, prepareSigner, type SigningDigest, type SigningIdentity } from '../../pki';
import { ContainerError, SIG, SUMS, openBundle, readSmall, type BundleFile } from '../container';
import { SumsError, parseSums } from '../sums';
import { cancelled, copyRange, writeAt } from './copy';
import { BLOCK, padding, withSize } from './tar-format';
import type { WriteProgress } from './write-bundle';
import { TempDirectory, TempFile, ioFailure, refuseExisting } from './output';

export interface CosignBundleOptions {
  /** The signed bundle (tar or directory). It is never modified. */
  source: string;
  /** The co-signed bundle, in the same form; must not exist yet. */
  out: string;
  signer: SigningIdentity;
  /** The co-signature's signingTime. */
  time: Date;
  digest?: SigningDigest;
  signal?: AbortSignal;
  onProgress?: (p: WriteProgress) => void;
}

export interface CosignedBundle {
  out: string;
  format: 'tar' | 'directory';
  /** SHA384SUMS (unchanged by co-signing) and its SHA-384. */
  sums: Buffer;
  sumsSha384: string;
  /** The new SHA384SUMS.p7s. */
  signature: Buffer;
}

function notBundle(source: string, why: string): AirlockError {
  return new AirlockError('writer.not-bundle', `${source} cannot be co-signed: ${why}`, { path: source });
}

export async function cosignBundle(opts: CosignBundleOptions): Promise<CosignedBundle> {
  const signer = prepareSigner(opts.signer, { signingTime: opts.time, digest: opts.digest });
  const source = path.resolve(opts.source);
  const out = path.resolve(opts.out);
  let opened;
  try {
    opened = await openBundle(source);
  } catch (e) {
    if (e instanceof ContainerError) throw notBundle(source, e.message);
    throw e;
  }
  const sumsFile = opened.files.find((f) => f.path === SUMS);
  const sigFile = opened.files.find((f) => f.path === SIG);
  if (!sumsFile || !sigFile) throw notBundle(source, `it has no ${sumsFile ? SIG : SUMS}; sign it first.`);
  const sums = await readSmall(sumsFile);
  let listed;
  try {
    listed = new Map(parseSums(sums).map((l) => [l.path, l.sha384]));
  } catch (e) {
    if (e instanceof SumsError) throw notBundle(source, `SHA384SUMS is malformed: ${e.message}`);
    throw e;
  }
  const others = opened.files.filter((f) => f !== sumsFile && f !== sigFile);
  for (const f of others) if (!listed.has(f.path)) throw mismatch(source, `"${f.path}" is in the bundle but not in SHA384SUMS.`);
  for (const p of listed.keys()) if (!others.some((f) => f.path === p)) throw mismatch(source, `"${p}" is listed in SHA384SUMS but missing from the bundle.`);

  const signature = addSigner(await readSmall(sigFile), sums, signer);
  await refuseExisting(out);
  if (opts.signal?.aborted) throw cancelled();
  const ctx: CosignContext = { source, out, sums, signature, sumsFile, sigFile, others, listed, signal: opts.signal, progress: progress(opened.bytes, opts.onProgress) };
  if (opened.kind === 'tar') await cosignTar(ctx);
  else await cosignDirectory(ctx);
  return { out, format: opened.kind, sums, sumsSha384: crypto.createHash('sha384').update(sums).digest('hex'), signature };
}

function mismatch(source: string, why: string): AirlockError {
  return new AirlockError('writer.bundle-mismatch', `${source} does not match its SHA384SUMS, so it is not co-signed: ${why} Verify the bundle; it changed after it was signed.`, { path: source });
}

function progress(bytesTotal: number, cb?: (p: WriteProgress) => void): (n: number) => void {
  let bytesDone = 0;
  return (n) => {
    bytesDone += n;
    cb?.({ bytesDone, bytesTotal });
  };
}

interface CosignContext {
  source: string;
  out: string;
  sums: Buffer;
  signature: Buffer;
  sumsFile: BundleFile;
  sigFile: BundleFile;
  others: BundleFile[];
  listed: Map<string, string>;
  signal: AbortSignal | undefined;
  progress: (n: number) => void;
}

/** Copy one listed file's bytes, checking them against SHA384SUMS on the way. */
async function copyListed(ctx: CosignContext, f: BundleFile, src: fs.FileHandle, dst: fs.FileHandle, dstPos: number): Promise<void> {
  const hash = crypto.createHash('sha384');
  const n = await copyRange(src, f.offset, f.size, dst, dstPos, { hash, signal: ctx.signal, onBytes: ctx.progress });
  if (n !== f.size) throw mismatch(ctx.source, `"${f.path}" ended after ${n} of ${f.size} bytes.`);
  if (hash.digest('hex') !== ctx.listed.get(f.path)) throw mismatch(ctx.source, `"${f.path}" has another SHA-384 than SHA384SUMS lists.`);
}

async function cosignTar(ctx: CosignContext): Promise<void> {
  const tar = await TempFile.create(ctx.out);
  let src: fs.FileHandle | undefined;
  try {
    src = await fs.open(ctx.source, 'r');
    const srcSize = (await src.stat()).size;
    // The signature member's ustar header is the block right before its data (a pax header, if any, precedes it and stays).
    const sigHeaderAt = ctx.sigFile.offset - BLOCK;
    const oldHeader = Buffer.alloc(BLOCK);
    await src.read(oldHeader, 0, BLOCK, sigHeaderAt);
    let dstPos = await copyRange(src, 0, sigHeaderAt, tar.fh, 0, { signal: ctx.signal });
    const member = Buffer.concat([withSize(oldHeader, ctx.signature.length), ctx.signature, Buffer.alloc(padding(ctx.signature.length))]);
    await writeAt(tar.fh, member, dstPos);
    dstPos += member.length;
    let cursor = ctx.sigFile.offset + ctx.sigFile.size + padding(ctx.sigFile.size);
    for (const f of [...ctx.others].sort((a, b) => a.offset - b.offset)) {
      dstPos += await copyRange(src, cursor, f.offset - cursor, tar.fh, dstPos, { signal: ctx.signal });
      await copyListed(ctx, f, src, tar.fh, dstPos);
      dstPos += f.size;
      cursor = f.offset + f.size;
    }
    // padding, end-of-archive blocks and any record padding after them, as they were
    await copyRange(src, cursor, srcSize - cursor, tar.fh, dstPos, { signal: ctx.signal });
    if (ctx.signal?.aborted) throw cancelled();
    await tar.commit();
  } catch (e) {
    await tar.discard();
    throw ioFailure(ctx.out, e);
  } finally {
    await src?.close().catch(() => undefined);
  }
}

async function cosignDirectory(ctx: CosignContext): Promise<void> {
  const dir = await TempDirectory.create(ctx.out);
  try {
    for (const f of ctx.others) {
      const src = await fs.open(f.file, 'r');
      try {
        await dir.put(f.path, (dst) => copyListed(ctx, f, src, dst, 0));
      } finally {
        await src.close();
      }
    }
    await dir.put(SUMS, (fh) => writeAt(fh, ctx.sums, 0));
    await dir.put(SIG, (fh) => writeAt(fh, ctx.signature, 0));
    if (ctx.signal?.aborted) throw cancelled();
    await dir.commit();
  } catch (e) {
    await dir.discard();
    throw ioFailure(ctx.out, e);
  }
}
