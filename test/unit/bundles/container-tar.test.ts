import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstFailure } from '../../../src/shared/verification';
import { verifyBundle } from '../../../src/main/services/bundles/verify';
import { minimalSpec } from '../../helpers/corpus/fixtures';
import { craftTar, entriesFromDir, paxRecords, type CraftEntry, type CraftOptions } from '../../helpers/corpus/tar-craft';
import { makeFixture, type Fixture } from './fixture';

let fx: Fixture;
/** SHA384SUMS, SHA384SUMS.p7s, bundle.json, payload/readme.txt */
let base: CraftEntry[];
beforeAll(async () => {
  fx = await makeFixture();
  base = entriesFromDir(await fx.build('tarbase', minimalSpec()), { directories: false });
});

const tar = (entries: CraftEntry[], opts?: CraftOptions): Buffer => Buffer.from(craftTar(entries, opts));
const bytes = (s: string): Uint8Array => Buffer.from(s);

async function verdictOf(buf: Buffer) {
  const p = path.join(fx.work, `t-${Math.random().toString(36).slice(2)}.tar`);
  fs.writeFileSync(p, buf);
  const r = await verifyBundle(p, fx.opts());
  return { r, code: firstFailure(r)?.code, container: r.checks.find((c) => c.id === 'container')! };
}

describe('strict tar reader', () => {
  it('accepts the raw-built baseline, with a directory entry and record padding', async () => {
    const members = [...base.slice(0, 3), { name: 'payload/', type: '5' }, ...base.slice(3)];
    const { r } = await verdictOf(tar(members, { recordSize: 10240 }));
    expect(firstFailure(r)).toBeUndefined();
    expect(r.verdict).toBe('accepted');
  });

  const cases: [string, () => Buffer, string][] = [
    ['symlink', () => tar([...base, { name: 'payload/link', type: '2', linkname: '/etc/passwd' }]), 'container.member-type'],
    ['hard link', () => tar([...base, { name: 'payload/hl', type: '1', linkname: 'bundle.json' }]), 'container.member-type'],
    ['char device', () => tar([...base, { name: 'payload/dev', type: '3' }]), 'container.member-type'],
    ['fifo', () => tar([...base, { name: 'payload/fifo', type: '6' }]), 'container.member-type'],
    ['GNU long name', () => tar([...base.slice(0, 3), { name: '././@LongLink', type: 'L', data: bytes('payload/readme.txt\0'), gnuMagic: true }, ...base.slice(3)]), 'container.member-type'],
    ['sparse via pax', () => tar([...base.slice(0, 3), { name: 'PaxHeader', type: 'x', data: paxRecords({ 'GNU.sparse.major': '1' }) }, ...base.slice(3)]), 'container.member-type'],
    ['global pax', () => tar([{ name: 'pax_global_header', type: 'g', data: paxRecords({ comment: 'x' }) }, ...base]), 'container.pax-global'],
    ['pax path mismatch', () => tar([...base.slice(0, 3), { name: 'PaxHeader', type: 'x', data: paxRecords({ path: 'payload/other.md' }) }, ...base.slice(3)]), 'container.pax-path'],
    ['pax size mismatch', () => tar([...base.slice(0, 3), { name: 'PaxHeader', type: 'x', data: paxRecords({ size: '1' }) }, ...base.slice(3)]), 'container.pax-invalid'],
    ['bad checksum', () => tar([...base.slice(0, 3), { ...base[3]!, checksum: 1234 }]), 'container.checksum'],
    ['duplicate name', () => tar([...base, base[3]!]), 'container.duplicate'],
    ['case-insensitive duplicate', () => tar([...base, { ...base[3]!, name: 'payload/README.txt' }]), 'container.duplicate'],
    ['wrong order', () => tar([base[1]!, base[0]!, ...base.slice(2)]), 'container.order'],
    ['dotdot path', () => tar([...base, { name: 'payload/../x', data: bytes('x') }]), 'container.path'],
    ['absolute path', () => tar([...base, { name: '/etc/x', data: bytes('x') }]), 'container.path'],
    ['./ prefix', () => tar([...base, { name: './payload/x', data: bytes('x') }]), 'container.path'],
    ['reserved name', () => tar([...base, { name: 'payload/aux.json', data: bytes('x') }]), 'container.path'],
    ['trailing dot', () => tar([...base, { name: 'payload/x.', data: bytes('x') }]), 'container.path'],
    ['too deep', () => tar([...base, { name: 'a/b/c/d/e/f/g/h/i', data: bytes('x') }]), 'container.path'],
    ['truncated member', () => tar(base, { eofBlocks: 0 }).subarray(0, tar(base, { eofBlocks: 0 }).length - 600), 'container.truncated'],
    ['missing end blocks', () => tar(base, { eofBlocks: 0 }), 'container.truncated'],
    ['single end block', () => tar(base, { eofBlocks: 1 }), 'container.truncated'],
    ['trailing data after EOF', () => tar(base, { trailing: Buffer.concat([Buffer.alloc(1024), Buffer.from('hidden')]) }), 'container.trailing-data'],
    ['gzip', () => zlib.gzipSync(tar(base)), 'container.not-bundle'],
    ['zip magic', () => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(2000)]), 'container.not-bundle'],
    ['not a tar', () => Buffer.alloc(4096, 0x41), 'container.not-bundle'],
  ];
  for (const [name, make, code] of cases)
    it(`rejects ${name} with ${code} and stops there`, async () => {
      const { r, code: got, container } = await verdictOf(make());
      expect(got).toBe(code);
      expect(container.status).toBe('fail');
      expect(r.checks.filter((c) => c.id !== 'container').every((c) => c.status === 'skip')).toBe(true);
    });

  it('accepts the GNU/Python long-name form (pax path, header name = first 100 bytes)', async () => {
    const long = `payload/${'a'.repeat(120)}/${'b'.repeat(100)}.txt`;
    // not signed over: expect rejection only on sums (unlisted), never on the container
    const members = [...base, { name: 'PaxHeader', type: 'x', data: paxRecords({ path: long }) }, { name: long.slice(0, 100), data: bytes('x') }];
    const { container, code } = await verdictOf(tar(members));
    expect(container.status).toBe('pass');
    expect(code).toBe('sums.unlisted-file');
  });
});
