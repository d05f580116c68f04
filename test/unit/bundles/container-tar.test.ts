import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstFailure } from '../../../src/shared/verification';
import { verifyBundle } from '../../../src/main/services/bundles/verify';
import { makeFixture, type Fixture } from './fixture';
import { buildTar, makeBundle, membersOf, paxData, type RawMember } from './helpers';

let fx: Fixture;
let base: RawMember[];
beforeAll(() => {
  fx = makeFixture();
  base = membersOf(makeBundle(fx.fresh('tarbase'), { signers: [{ party: fx.signer, chain: [fx.inter] }] }));
});

async function verdictOf(buf: Buffer) {
  const p = path.join(fx.work, `t-${Math.random().toString(36).slice(2)}.tar`);
  fs.writeFileSync(p, buf);
  const r = await verifyBundle(p, fx.opts());
  return { r, code: firstFailure(r)?.code, container: r.checks.find((c) => c.id === 'container')! };
}

describe('strict tar reader', () => {
  it('accepts the raw-built baseline, with a directory entry and record padding', async () => {
    const members = [...base.slice(0, 3), { name: 'payload/', type: '5' }, ...base.slice(3)];
    const { r } = await verdictOf(buildTar(members, { trailer: Buffer.alloc(8192) }));
    expect(firstFailure(r)).toBeUndefined();
    expect(r.verdict).toBe('accepted');
  });

  const cases: [string, () => Buffer, string][] = [
    ['symlink', () => buildTar([...base, { name: 'payload/link', type: '2', linkname: '/etc/passwd' }]), 'container.member-type'],
    ['hard link', () => buildTar([...base, { name: 'payload/hl', type: '1', linkname: 'bundle.json' }]), 'container.member-type'],
    ['char device', () => buildTar([...base, { name: 'payload/dev', type: '3' }]), 'container.member-type'],
    ['fifo', () => buildTar([...base, { name: 'payload/fifo', type: '6' }]), 'container.member-type'],
    ['GNU long name', () => buildTar([...base.slice(0, 3), { name: '././@LongLink', type: 'L', data: 'payload/card.md\0', magic: 'gnu' }, ...base.slice(3)]), 'container.member-type'],
    ['sparse via pax', () => buildTar([...base.slice(0, 3), { name: 'PaxHeader', type: 'x', data: paxData({ 'GNU.sparse.major': '1' }) }, ...base.slice(3)]), 'container.member-type'],
    ['global pax', () => buildTar([{ name: 'pax_global_header', type: 'g', data: paxData({ comment: 'x' }) }, ...base]), 'container.pax-global'],
    ['pax path mismatch', () => buildTar([...base.slice(0, 3), { name: 'PaxHeader', type: 'x', data: paxData({ path: 'payload/other.md' }) }, ...base.slice(3)]), 'container.pax-path'],
    ['pax size mismatch', () => buildTar([...base.slice(0, 3), { name: 'PaxHeader', type: 'x', data: paxData({ size: '1' }) }, ...base.slice(3)]), 'container.pax-invalid'],
    ['bad checksum', () => buildTar([...base.slice(0, 3), { ...base[3]!, corruptChecksum: true }]), 'container.checksum'],
    ['duplicate name', () => buildTar([...base, base[3]!]), 'container.duplicate'],
    ['case-insensitive duplicate', () => buildTar([...base, { ...base[3]!, name: 'payload/CARD.md' }]), 'container.duplicate'],
    ['wrong order', () => buildTar([base[1]!, base[0]!, ...base.slice(2)]), 'container.order'],
    ['dotdot path', () => buildTar([...base, { name: 'payload/../x', data: 'x' }]), 'container.path'],
    ['absolute path', () => buildTar([...base, { name: '/etc/x', data: 'x' }]), 'container.path'],
    ['./ prefix', () => buildTar([...base, { name: './payload/x', data: 'x' }]), 'container.path'],
    ['reserved name', () => buildTar([...base, { name: 'payload/aux.json', data: 'x' }]), 'container.path'],
    ['trailing dot', () => buildTar([...base, { name: 'payload/x.', data: 'x' }]), 'container.path'],
    ['too deep', () => buildTar([...base, { name: 'a/b/c/d/e/f/g/h/i', data: 'x' }]), 'container.path'],
    ['truncated member', () => buildTar(base, { noEof: true }).subarray(0, buildTar(base, { noEof: true }).length - 600), 'container.truncated'],
    ['missing end blocks', () => buildTar(base, { noEof: true }), 'container.truncated'],
    ['single end block', () => Buffer.concat([buildTar(base, { noEof: true }), Buffer.alloc(512)]), 'container.truncated'],
    ['trailing data after EOF', () => buildTar(base, { trailer: Buffer.concat([Buffer.alloc(1024), Buffer.from('hidden')]) }), 'container.trailing-data'],
    ['gzip', () => zlib.gzipSync(buildTar(base)), 'container.not-bundle'],
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
    const members = [...base, { name: 'PaxHeader', type: 'x', data: paxData({ path: long }) }, { name: long.slice(0, 100), data: 'x' }];
    const { container, code } = await verdictOf(buildTar(members));
    expect(container.status).toBe('pass');
    expect(code).toBe('sums.unlisted-file');
  });
});
