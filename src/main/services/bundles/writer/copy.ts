/**
 * Copy bytes from one file to a position in another, hashing them on the
 * way: each byte is read once, hashed once and written once, through two
 * 1 MiB buffers (the next read runs while the current chunk is hashed and
 * written). Nothing larger than a chunk is ever held in memory.
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

/**
 * Copy `length` bytes from `src` at `srcPos` to `dst` at `dstPos`. Returns
 * how many bytes were copied: less than `length` only when `src` ended first.
 */
export async function copyRange(src: FileHandle, srcPos: number, length: number, dst: FileHandle, dstPos: number, hooks: CopyHooks = {}): Promise<number> {
  if (length === 0) return 0;
  const bufs = [Buffer.allocUnsafe(Math.min(CHUNK, length)), Buffer.allocUnsafe(Math.min(CHUNK, length))] as const;
  let done = 0;
  let which = 0;
  let pending = readAt(src, bufs[0], Math.min(CHUNK, length), srcPos);
  for (;;) {
    if (hooks.signal?.aborted) {
      await pending.catch(() => undefined);
      throw cancelled();
    }
    const n = await pending;
    const buf = bufs[which]!;
    const last = n === 0 || done + n >= length;
    which ^= 1;
    // Start the next read into the other buffer (its previous write has finished) while this chunk is hashed and written.
    if (!last) pending = readAt(src, bufs[which]!, Math.min(CHUNK, length - done - n), srcPos + done + n);
    if (n > 0) {
      const chunk = buf.subarray(0, n);
      hooks.hash?.update(chunk);
      try {
        await writeAt(dst, chunk, dstPos + done);
      } catch (e) {
        if (!last) await pending.catch(() => undefined);
        throw e;
      }
      done += n;
      hooks.onBytes?.(n);
    }
    if (last) return done;
  }
}
