import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BlobOpener, BlobSealer, HEADER_SIZE, sealedSize } from '../../../src/main/services/vault/blob-cipher.mjs';

const key = crypto.randomBytes(32);

function seal(plain: Buffer, chunk: number, piece = 7777, k = key): Buffer {
  const s = new BlobSealer(k, chunk);
  const out: Buffer[] = [];
  for (let i = 0; i < plain.length; i += piece) out.push(s.push(plain.subarray(i, i + piece)));
  out.push(s.final());
  return Buffer.concat(out);
}
function open(sealed: Buffer, piece = 5003, k = key): Buffer {
  const o = new BlobOpener(k);
  const out: Buffer[] = [];
  for (let i = 0; i < sealed.length; i += piece) out.push(o.push(sealed.subarray(i, i + piece)));
  o.final();
  return Buffer.concat(out);
}
function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('blob-cipher chunk format', () => {
  it.each([0, 1, 4095, 4096, 4097, 3 * 4096, 50_000])('round-trips %i bytes with exact sealed size', (n) => {
    const plain = crypto.randomBytes(n);
    const sealed = seal(plain, 4096);
    expect(sealed.length).toBe(sealedSize(n, 4096));
    expect(open(sealed).equals(plain)).toBe(true);
    expect(open(sealed, 1).equals(plain)).toBe(true);
  });

  it('uses a fresh salt per blob (same plaintext → different ciphertext)', () => {
    const p = Buffer.alloc(10_000, 7);
    expect(seal(p, 4096).equals(seal(p, 4096))).toBe(false);
  });

  it('detects truncation at every frame boundary and inside frames', () => {
    const sealed = seal(crypto.randomBytes(3 * 4096 + 10), 4096);
    const frame = 4 + 4096 + 16;
    for (const cut of [0, 10, HEADER_SIZE, HEADER_SIZE + 3, HEADER_SIZE + frame, HEADER_SIZE + 2 * frame, HEADER_SIZE + 3 * frame, sealed.length - 1]) {
      expect(code(() => open(sealed.subarray(0, cut))), `cut at ${cut}`).toBe('blob.truncated');
    }
  });

  it('detects a flipped bit in header, frame word, ciphertext and tag', () => {
    const sealed = seal(crypto.randomBytes(2 * 4096 + 100), 4096);
    for (const pos of [20, HEADER_SIZE + 1, HEADER_SIZE + 100, HEADER_SIZE + 4 + 4096 + 3, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[pos]! ^= 0x01;
      expect(code(() => open(bad)), `flip at ${pos}`).toBe('blob.corrupt');
    }
  });

  it('detects reordered chunks, appended data, chunks from another blob and a wrong key', () => {
    const plain = crypto.randomBytes(3 * 4096 + 5);
    const a = seal(plain, 4096);
    const frame = 4 + 4096 + 16;
    const f = (buf: Buffer, i: number) => buf.subarray(HEADER_SIZE + i * frame, HEADER_SIZE + (i + 1) * frame);
    const swapped = Buffer.concat([a.subarray(0, HEADER_SIZE), f(a, 1), f(a, 0), a.subarray(HEADER_SIZE + 2 * frame)]);
    expect(code(() => open(swapped))).toBe('blob.corrupt');
    expect(code(() => open(Buffer.concat([a, Buffer.from([1, 2, 3])])))).toBe('blob.corrupt');
    const b = seal(plain, 4096);
    const mixed = Buffer.concat([a.subarray(0, HEADER_SIZE + frame), f(b, 1), a.subarray(HEADER_SIZE + 2 * frame)]);
    expect(code(() => open(mixed))).toBe('blob.corrupt');
    // Dropping a middle chunk then ending normally: index mismatch.
    const dropped = Buffer.concat([a.subarray(0, HEADER_SIZE + frame), a.subarray(HEADER_SIZE + 2 * frame)]);
    expect(code(() => open(dropped))).toBe('blob.corrupt');
    expect(code(() => open(a, 5003, crypto.randomBytes(32)))).toBe('blob.corrupt');
  });

  it('refuses a final frame that is then followed by more frames (extension)', () => {
    const a = seal(Buffer.from('short'), 4096);
    const b = seal(Buffer.from('other'), 4096);
    expect(code(() => open(Buffer.concat([a, b.subarray(HEADER_SIZE)])))).toBe('blob.corrupt');
  });
});
