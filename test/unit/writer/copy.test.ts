/** The writer's streaming copy: exact bytes and hash across chunk boundaries, early end, failures while other I/O is in flight. */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK, copyRange } from '../../../src/main/services/bundles/writer/copy';
import { AirlockError } from '../../../src/shared/errors';
import { writerFixture, type WriterFixture } from './fixture';

let fx: WriterFixture;
let srcFile: string;
let data: Buffer;
afterAll(() => fx.dispose());
beforeAll(async () => {
  fx = await writerFixture();
  data = crypto.randomBytes(3 * CHUNK + 123);
  srcFile = join(fx.fresh('copy'), 'src.bin');
  await fs.writeFile(srcFile, data);
});

async function withFiles<T>(dstFlags: string, f: (src: fs.FileHandle, dst: fs.FileHandle, dstFile: string) => Promise<T>): Promise<T> {
  const dstFile = join(fx.fresh('dst'), 'dst.bin');
  await fs.writeFile(dstFile, '');
  const src = await fs.open(srcFile, 'r');
  const dst = await fs.open(dstFile, dstFlags);
  try {
    return await f(src, dst, dstFile);
  } finally {
    await src.close();
    await dst.close();
  }
}

describe('copyRange', () => {
  it('copies a range at an offset into a position, hashing exactly those bytes, in chunk order', async () => {
    const start = 7;
    const length = 2 * CHUNK + CHUNK / 2;
    const seen: number[] = [];
    await withFiles('r+', async (src, dst, dstFile) => {
      const hash = crypto.createHash('sha384');
      expect(await copyRange(src, start, length, dst, 512, { hash, onBytes: (n) => seen.push(n) })).toBe(length);
      const want = data.subarray(start, start + length);
      expect(hash.digest('hex')).toBe(crypto.createHash('sha384').update(want).digest('hex'));
      const out = await fs.readFile(dstFile);
      expect(out.subarray(512).equals(want)).toBe(true);
      expect(out.subarray(0, 512).every((b) => b === 0)).toBe(true);
    });
    expect(seen).toEqual([CHUNK, CHUNK, CHUNK / 2]);
  });

  it('stops where the source ends and says how much it copied', async () => {
    await withFiles('r+', async (src, dst) => {
      expect(await copyRange(src, CHUNK * 3, CHUNK, dst, 0)).toBe(123);
      expect(await copyRange(src, data.length, 10, dst, 0)).toBe(0);
    });
  });

  it('a failing write rejects cleanly while a read is in flight (no unhandled rejection)', async () => {
    await withFiles('r', async (src, dst) => {
      const e = await copyRange(src, 0, data.length, dst, 0).catch((x: unknown) => x);
      expect((e as NodeJS.ErrnoException).code).toBe('EBADF');
    });
  });

  it('an abort between chunks is a cancelled error', async () => {
    const ac = new AbortController();
    await withFiles('r+', async (src, dst) => {
      const e = await copyRange(src, 0, data.length, dst, 0, { signal: ac.signal, onBytes: () => ac.abort() }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AirlockError);
      expect((e as AirlockError).code).toBe('cancelled');
    });
  });
});
