/**
 * The writer's tar headers, read back by GNU tar (the reference) and by
 * Airlock's strict reader (what the verifier uses): ustar name/prefix split,
 * pax path records at every length the path grammar allows, checksums,
 * fixed fields, and base-256 sizes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanTar } from '../../../src/main/services/bundles/tar';
import { BLOCK, END_OF_ARCHIVE, memberHeader, memberLength, padding, ustarSplit, withSize } from '../../../src/main/services/bundles/writer/tar-format';
import { run } from '../../helpers/corpus/exec';
import { writerFixture, type WriterFixture } from './fixture';

let fx: WriterFixture;
afterAll(() => fx.dispose());
beforeAll(async () => {
  fx = await writerFixture();
});

const MTIME = Date.UTC(2026, 11, 1) / 1000;

function tarOf(members: { path: string; data: Buffer }[]): Buffer {
  return Buffer.concat([...members.flatMap((m) => [memberHeader(m.path, m.data.length, MTIME), m.data, Buffer.alloc(padding(m.data.length))]), END_OF_ARCHIVE]);
}

async function readBack(tar: Buffer): Promise<{ gnu: string[]; strict: { path: string; size: number }[] }> {
  const file = join(fx.fresh('tar'), 't.tar');
  writeFileSync(file, tar);
  const gnu = (await run('tar', ['-tvf', file])).stdout.toString('utf8').trimEnd().split('\n');
  const strict = (await scanTar(file, tar.length)).map((m) => ({ path: m.path, size: m.size }));
  return { gnu, strict };
}

describe('tar headers', () => {
  it('fixed fields and a valid checksum, as GNU tar shows them', async () => {
    const h = memberHeader('payload/readme.txt', 8, MTIME);
    expect(h.length).toBe(BLOCK);
    expect(h.subarray(257, 265).toString('latin1')).toBe('ustar\u000000');
    expect(h.subarray(100, 108).toString('latin1')).toBe('0000644\0');
    expect(h.subarray(124, 136).toString('latin1')).toBe('00000000010\0');
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
    expect(h.subarray(148, 156).toString('latin1')).toBe(`${sum.toString(8).padStart(6, '0')}\0 `);
    const { gnu } = await readBack(tarOf([{ path: 'payload/readme.txt', data: Buffer.from('minimal\n') }]));
    expect(gnu).toEqual(['-rw-r--r-- 0/0               8 2026-12-01 00:00 payload/readme.txt']);
  });

  it('ustar split: the shortest prefix that lets the name fit, as GNU tar splits', () => {
    expect(ustarSplit('a'.repeat(100))).toEqual({ name: 'a'.repeat(100), prefix: '' });
    const three = ['a', 'b', 'c'].map((c) => c.repeat(60)).join('/');
    expect(ustarSplit(three)).toEqual({ prefix: `${'a'.repeat(60)}/${'b'.repeat(60)}`, name: 'c'.repeat(60) });
    expect(ustarSplit(`${'p'.repeat(155)}/${'n'.repeat(100)}`)).toEqual({ prefix: 'p'.repeat(155), name: 'n'.repeat(100) });
    expect(ustarSplit(`${'p'.repeat(156)}/${'n'.repeat(100)}`)).toBeUndefined();
    expect(ustarSplit(`p/${'n'.repeat(101)}`)).toBeUndefined();
  });

  it('pax paths at every record length around the digit boundaries; GNU tar and the strict reader agree', async () => {
    // 8 segments of up to 128 bytes: record lengths cross from 3 to 4 digits near 990 bytes of path
    const pathOfLength = (len: number): string => {
      const total = len - 7; // 8 segments, 7 slashes
      return Array.from({ length: 8 }, (_, i) => String.fromCharCode(97 + i).repeat(Math.floor(total / 8) + (i < total % 8 ? 1 : 0))).join('/');
    };
    const lengths = [256, 300, 500, 700, 900];
    for (let len = 980; len <= 1031; len++) lengths.push(len);
    const paths = lengths.map(pathOfLength);
    paths.forEach((p, i) => expect(p.length).toBe(lengths[i]));
    expect(paths.length).toBeGreaterThan(40);
    const members = paths.map((p, i) => ({ path: p, data: Buffer.from(`file ${i}\n`) }));
    const tar = tarOf(members);
    const { gnu, strict } = await readBack(tar);
    expect(strict).toEqual(members.map((m) => ({ path: m.path, size: m.data.length })));
    expect(gnu.map((l) => l.split(/\s+/).pop())).toEqual(paths);
    for (const p of paths) {
      const h = memberHeader(p, 0, MTIME);
      const rec = h.subarray(BLOCK, h.indexOf(0x0a, BLOCK) + 1).toString('latin1');
      expect(Number(rec.split(' ')[0])).toBe(rec.length);
      expect(memberLength(p, 5)).toBe(h.length + 5 + padding(5));
    }
  });

  it('sizes from 8 GiB use base-256, which GNU tar reads', async () => {
    const size = 8 * 1024 ** 3 + 3;
    const h = memberHeader('payload/huge.bin', size, MTIME);
    expect(h[124]).toBe(0x80);
    const file = join(fx.fresh('huge'), 'h.tar');
    writeFileSync(file, h); // header only: tar lists the member, then reports the missing data
    const r = await run('tar', ['-tvf', file], { allowFail: true });
    expect(r.stdout.toString()).toContain(`${size} 2026-12-01 00:00 payload/huge.bin`);
  });

  it('withSize rewrites only the size and the checksum of an existing header', () => {
    const h = memberHeader('SHA384SUMS.p7s', 2048, MTIME);
    const g = withSize(h, 2100);
    expect(g.subarray(124, 136).toString('latin1')).toBe(`${(2100).toString(8).padStart(11, '0')}\0`);
    for (let i = 0; i < BLOCK; i++) if (i < 124 || (i >= 136 && (i < 148 || i >= 156))) expect(g[i], `byte ${i}`).toBe(h[i]);
    expect(withSize(g, 2048).equals(h)).toBe(true);
  });
});
