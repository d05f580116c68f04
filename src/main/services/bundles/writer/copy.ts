/**
 * Copy bytes from one file to a position in another, hashing them on the
 * way: each byte is read once, hashed once and written once. Three 1 MiB
 * buffers rotate so that reading chunk i+1, hashing chunk i and writing
 * chunk i-1 overlap (reads and writes run on libuv's threads, hashing on
 * this one); nothing larger than a chunk is ever held in memory.
 */
import type { Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { AirlockError } from '../../../../shared/errors';

export const CHUNK = 1 << 20;

export interface CopyHooks {
  hash?: Hash;
  signal?: AbortSignal;
  /** Called after each chunk is written, with its length. */
  onBytes?: (n: number) => void;
}

export function cancelled(): AirlockError {
  return new AirlockError('cancelled', 'Writing the bundle was cancelled; nothing was left behind.');
}

async function readAt(fh: FileHandle, buf: Buffer, len: number, pos: number): Promise<number> {
  let got = 0;
  while (got < len) {
    const { bytesRead } = await fh.read(buf, got, len - got, pos + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

export async function writeAt(fh: FileHandle, data: Uint8Array, pos: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, pos + done);
    done += bytesWritten;
  }
}

/** The same promise, marked as handled: it may fail while another is awaited (its error surfaces when it is awaited). */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/**
 * Copy `length` bytes from `src` at `srcPos` to `dst` at `dstPos`. Returns
 * how many bytes were copied: less than `length` only when `src` ended first.
 */
export async function copyRange(src: FileHandle, srcPos: number, length: number, dst: FileHandle, dstPos: number, hooks: CopyHooks = {}): Promise<number> {
  if (length === 0) return 0;
  const size = Math.min(CHUNK, length);
  const bufs = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
  let requested = 0;
  let written = 0;
  const startRead = (i: number): Promise<number> => {
    const len = Math.min(size, length - requested);
    const p = readAt(src, bufs[i % 3]!, len, srcPos + requested);
    requested += len;
    return handled(p);
  };
  let read: Promise<number> | undefined = startRead(0);
  let write: Promise<void> = Promise.resolve();
  try {
    for (let i = 0; read; i++) {
      if (hooks.signal?.aborted) throw cancelled();
      const n: number = await read;
      // Buffer (i+1)%3 last held chunk i-2, whose write finished before chunk i-1's began.
      read = n === size && requested < length ? startRead(i + 1) : undefined;
      if (n === 0) break;
      const chunk = bufs[i % 3]!.subarray(0, n);
      hooks.hash?.update(chunk);
      await write;
      const at = dstPos + written;
      write = handled(writeAt(dst, chunk, at).then(() => hooks.onBytes?.(n)));
      written += n;
      if (n < size) break; // the source ended early
    }
    await write;
    return written;
  } finally {
    // settle whatever is still in flight before the caller closes the files
    await Promise.allSettled([read, write]);
  }
}
