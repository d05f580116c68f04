/**
 * Putting a finished bundle in place, all or nothing: a hidden temporary
 * name beside the target, fsync, rename, fsync of the parent directory; on
 * any failure the temporary file or folder is removed. An existing target is
 * never replaced.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AirlockError, isAirlockError } from '../../../../shared/errors';

export function tempName(out: string): string {
  return path.join(path.dirname(out), `.${path.basename(out)}.${crypto.randomBytes(6).toString('hex')}.tmp`);
}

/** A file-system failure as a writer.io error naming the target; AirlockErrors and bugs pass unchanged. */
export function ioFailure(out: string, e: unknown): unknown {
  const err = e as NodeJS.ErrnoException;
  if (isAirlockError(e) || typeof err?.code !== 'string' || typeof err.syscall !== 'string') return e;
  return new AirlockError('writer.io', `Could not write ${out} (${err.syscall}: ${err.code}). Check the destination's free space and permissions.`, { path: out });
}

export async function refuseExisting(out: string): Promise<void> {
  try {
    await fs.lstat(out);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw ioFailure(out, e);
  }
  throw new AirlockError('writer.exists', `${out} already exists; a bundle is never written over another file. Choose a new name or remove the old one.`, { path: out });
}

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } catch (e) {
    // some file systems cannot fsync a directory; the rename is still atomic there
    if (!['EINVAL', 'EPERM', 'EISDIR', 'EBADF'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
  } finally {
    await fh.close();
  }
}

/** A single output file written at explicit positions under a temporary name. */
export class TempFile {
  private constructor(
    readonly out: string,
    readonly tmp: string,
    readonly fh: fs.FileHandle,
  ) {}

  static async create(out: string): Promise<TempFile> {
    const tmp = tempName(out);
    try {
      return new TempFile(out, tmp, await fs.open(tmp, 'wx', 0o644));
    } catch (e) {
      throw ioFailure(out, e);
    }
  }

  /** fsync, then rename into place (refused if the target appeared meanwhile). */
  async commit(): Promise<void> {
    await this.fh.sync();
    await this.fh.close();
    await refuseExisting(this.out);
    await fs.rename(this.tmp, this.out);
    await fsyncDir(path.dirname(this.out));
  }

  async discard(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await fs.rm(this.tmp, { force: true }).catch(() => undefined);
  }
}

/** An output directory built under a temporary name. */
export class TempDirectory {
  private readonly dirs: Set<string>;

  private constructor(
    readonly out: string,
    readonly tmp: string,
  ) {
    this.dirs = new Set([tmp]);
  }

  static async create(out: string): Promise<TempDirectory> {
    const tmp = tempName(out);
    try {
      await fs.mkdir(tmp, { mode: 0o755 });
    } catch (e) {
      throw ioFailure(out, e);
    }
    return new TempDirectory(out, tmp);
  }

  /** Create the bundle file `rel` ('/'-separated, already validated), let `write` fill it, fsync it. */
  async put(rel: string, write: (fh: fs.FileHandle) => Promise<void>): Promise<void> {
    const target = path.join(this.tmp, ...rel.split('/'));
    for (let d = path.dirname(target); !this.dirs.has(d); d = path.dirname(d)) this.dirs.add(d);
    await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
    const fh = await fs.open(target, 'wx', 0o644);
    try {
      await write(fh);
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  /** fsync every directory made, then rename into place (refused if the target appeared meanwhile). */
  async commit(): Promise<void> {
    for (const d of [...this.dirs].sort((a, b) => b.length - a.length)) await fsyncDir(d);
    await refuseExisting(this.out);
    await fs.rename(this.tmp, this.out);
    await fsyncDir(path.dirname(this.out));
  }

  async discard(): Promise<void> {
    await fs.rm(this.tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}
