/**
 * The bundle writer end to end. Every bundle it writes is judged by the
 * stock tools of spec §4 — `openssl cms -verify … -crl_check_all
 * -x509_strict`, `sha384sum --strict -c` in the unpacked tar, `tar -tvf` —
 * and by Airlock's own verifier with the corpus PKI's anchors and CRLs.
 */
import { appendFileSync, existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosignBundle, writeBundle, type BundleSource, type WriteBundleOptions } from '../../../src/main/services/bundles/writer';
import { verifyBundle, type VerifyOptions } from '../../../src/main/services/bundles/verify';
import { AirlockError } from '../../../src/shared/errors';
import { LAB_ID, minimalSpec, resultMeta } from '../../helpers/corpus/fixtures';
import { AT, type CertName } from '../../helpers/corpus/pki';
import { entries, opensslCmsVerify, sha384sumCheck, tarList, untar, writerFixture, type WriterFixture } from './fixture';

const TIME = new Date('2026-12-01T00:00:00Z');

let fx: WriterFixture;
afterAll(() => fx.dispose());
beforeAll(async () => {
  fx = await writerFixture();
});

function verifyOpts(over: Partial<VerifyOptions> = {}): VerifyOptions {
  return { anchors: fx.pki.anchors(), crls: fx.pki.defaultCrls(), at: AT, labId: LAB_ID, concurrency: 2, ...over };
}

/** A model-access bundle (clearinghouse anchor) with a few payload files, one of them streamed from disk. */
function modelAccess(dir: string): { metadata: Record<string, unknown>; files: BundleSource[] } {
  const big = join(dir, 'weights.bin');
  writeFileSync(big, Buffer.alloc(3 * 1024 * 1024 + 17, 7));
  return {
    metadata: minimalSpec().metadata as Record<string, unknown>,
    files: [
      { path: 'payload/readme.txt', data: Buffer.from('minimal\n') },
      { path: 'payload/weights/model.bin', file: big },
      { path: 'payload/Zeta.txt', data: Buffer.from('upper case sorts first in C locale\n') },
      { path: 'payload/empty', data: Buffer.alloc(0) },
    ],
  };
}

async function write(signer: CertName, format: 'tar' | 'directory', over: Partial<WriteBundleOptions> = {}) {
  const d = fx.fresh(`${signer}-${format}`);
  const src = fx.fresh('src');
  const out = join(d, format === 'tar' ? 'bundle.tar' : 'bundle');
  const written = await writeBundle({ out, format, signer: fx.identity(signer), time: TIME, ...modelAccess(src), ...over });
  return { d, out, written };
}

/** Everything spec §4 and Airlock check, for a bundle on disk. */
async function expectGood(out: string, format: 'tar' | 'directory', signerCount = 1) {
  const dir = format === 'tar' ? await untar(out, fx.fresh('untar')) : out;
  const cms = await opensslCmsVerify(fx.pki, dir, AT);
  expect(cms.code, cms.stderr).toBe(0);
  expect(cms.signers.match(/BEGIN CERTIFICATE/g)).toHaveLength(signerCount);
  const sums = await sha384sumCheck(dir);
  expect(sums.code, sums.stderr + sums.stdout).toBe(0);
  const report = await verifyBundle(out, verifyOpts());
  expect(report.checks.filter((c) => c.status !== 'pass' && c.id !== 'rollback'), JSON.stringify(report.checks, null, 1)).toEqual([]);
  expect(report.verdict).toBe('accepted');
  expect(report.signers).toHaveLength(signerCount);
  return report;
}

function refusal(p: Promise<unknown>, code: string): Promise<AirlockError> {
  return p.then(
    () => {
      throw new Error(`expected ${code}`);
    },
    (e) => {
      expect(e, (e as Error).stack).toBeInstanceOf(AirlockError);
      expect((e as AirlockError).code, (e as Error).message).toBe(code);
      return e as AirlockError;
    },
  );
}

describe('writeBundle: tar', () => {
  it('ECDSA P-384: openssl, sha384sum, tar -tvf and Airlock’s verifier all accept it', async () => {
    const { out, written } = await write('signer', 'tar');
    await expectGood(out, 'tar');
    const list = await tarList(out);
    expect(list.map((l) => l.split(/\s+/).pop())).toEqual([
      'SHA384SUMS',
      'SHA384SUMS.p7s',
      'bundle.json',
      'payload/Zeta.txt',
      'payload/empty',
      'payload/readme.txt',
      'payload/weights/model.bin',
    ]);
    // fixed mode, owner and time on every member
    for (const l of list) expect(l).toMatch(/^-rw-r--r-- 0\/0 +\d+ 2026-12-01 00:00 /);
    expect(statSync(out).size).toBe(written.bytes);
    expect(written.files.map((f) => f.path)).toEqual(['bundle.json', 'payload/Zeta.txt', 'payload/empty', 'payload/readme.txt', 'payload/weights/model.bin']);
    expect(written.sums.toString()).toBe(written.files.map((f) => `${f.sha384}  ${f.path}\n`).join(''));
  });

  it('RSA-3072: accepted by the same checks; a result bundle signed by the lab (its own anchor) too', async () => {
    await expectGood((await write('rsa3072', 'tar')).out, 'tar');
    const report = await expectGood(
      (
        await write('labSigner', 'tar', {
          metadata: resultMeta(),
          files: [
            { path: 'report/report.md', data: Buffer.from('# Results\n') },
            { path: 'report/findings.jsonl', data: Buffer.from('{"id":"f1"}\n') },
            { path: 'logs/run-1.json', data: Buffer.from('{"samples":2}\n') },
          ],
        })
      ).out,
      'tar',
    );
    expect(report.bundle?.type).toBe('result');
  });

  it('bundle.json is written canonically (RFC 8785), whatever the key order given', async () => {
    const meta = minimalSpec().metadata as Record<string, unknown>;
    const reversed = Object.fromEntries(Object.entries(meta).reverse());
    const { out } = await write('signer', 'directory', { metadata: reversed });
    const text = readFileSync(join(out, 'bundle.json'), 'utf8');
    expect(text.startsWith('{"audience":')).toBe(true);
    expect(text).not.toMatch(/\n|": /);
  });

  it('deterministic: RSA PKCS#1 v1.5 bundles are byte-identical; ECDSA ones differ only inside the signature value', async () => {
    const twice = async (signer: CertName) => {
      const a = await write(signer, 'tar');
      const b = await write(signer, 'tar');
      return [readFileSync(a.out), readFileSync(b.out)] as const;
    };
    const [r1, r2] = await twice('rsa3072');
    expect(r1.equals(r2)).toBe(true);

    const [e1, e2] = await twice('signer');
    expect(e1.length).toBe(e2.length);
    const differing: number[] = [];
    for (let i = 0; i < e1.length; i++) if (e1[i] !== e2[i]) differing.push(i);
    expect(differing.length).toBeGreaterThan(0);
    // all differences lie in the last 104 bytes of SHA384SUMS.p7s: the DER ECDSA-Sig-Value (P-384, fixed length)
    const sig = membersOf(e1).find((m) => m.path === 'SHA384SUMS.p7s')!;
    const sigEnd = sig.offset + sig.size;
    expect(Math.min(...differing)).toBeGreaterThanOrEqual(sigEnd - 104);
    expect(Math.max(...differing)).toBeLessThan(sigEnd);
  });

  it('a path longer than ustar holds gets a pax header that GNU tar, sha384sum and the strict reader accept', async () => {
    const seg = (c: string) => c.repeat(120);
    const long = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map(seg).join('/'); // 8 × 120 + 7 = 967 bytes
    const split = `${seg('p')}/${'q'.repeat(100)}`; // 221 bytes: fits ustar's prefix (155) + name (100), no pax
    const { out } = await write('signer', 'tar', {
      files: [...modelAccess(fx.fresh('src')).files, { path: long, data: Buffer.from('deep\n') }, { path: split, data: Buffer.from('split\n') }],
    });
    await expectGood(out, 'tar');
    const raw = readFileSync(out);
    const names = (await tarList(out)).map((l) => l.split(/\s+/).pop());
    expect(names).toContain(long);
    expect(names).toContain(split);
    expect(raw.includes(Buffer.from(`path=${long}\n`))).toBe(true);
    expect(raw.includes(Buffer.from(`path=${split}`))).toBe(false);
  });
});

/** Members of a tar held in memory; enough for the writer's own short-named ustar and GNU pax members. */
function membersOf(tar: Buffer): { path: string; offset: number; size: number }[] {
  const out: { path: string; offset: number; size: number }[] = [];
  for (let pos = 0; pos + 512 <= tar.length; ) {
    const h = tar.subarray(pos, pos + 512);
    if (h.every((b) => b === 0)) break;
    const name = h.subarray(0, 100).toString('latin1').replace(/\0.*$/s, '');
    const size = parseInt(h.subarray(124, 136).toString('latin1'), 8);
    out.push({ path: name, offset: pos + 512, size });
    pos += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

describe('writeBundle: directory', () => {
  it('ECDSA P-384 and RSA-3072: the same checks pass in place', async () => {
    for (const signer of ['signer', 'rsa3072'] as const) {
      const { out } = await write(signer, 'directory');
      await expectGood(out, 'directory');
      expect(entries(out)).toEqual(['SHA384SUMS', 'SHA384SUMS.p7s', 'bundle.json', 'payload']);
    }
  });
});

describe('cosignBundle', () => {
  const pairs: [CertName, CertName, string, string][] = [
    ['signer', 'cosigner', 'Test Signer', 'Test Co-Signer'],
    ['rsa3072', 'cosigner', 'Test Signer RSA-3072', 'Test Co-Signer'],
    ['signer', 'rsa3072', 'Test Signer', 'Test Signer RSA-3072'],
  ];
  for (const format of ['tar', 'directory'] as const) for (const [first, second, firstCn, secondCn] of pairs) {
    it(`${format}, ${first} co-signed by ${second}: both verify with openssl and Airlock; the first SignerInfo and every other byte kept`, async () => {
      const { d, out } = await write(first, format);
      const co = join(d, format === 'tar' ? 'cosigned.tar' : 'cosigned');
      const result = await cosignBundle({ source: out, out: co, signer: fx.identity(second), time: new Date('2026-12-02T09:00:00Z') });
      const report = await expectGood(co, format, 2);
      expect(report.signers.map((s) => s.certificate.subject).sort()).toEqual([`CN=${firstCn}, O=Airlock Test PKI`, `CN=${secondCn}, O=Airlock Test PKI`].sort());
      if (format === 'tar') expect((await tarList(co)).slice(0, 3).map((l) => l.split(/\s+/).pop())).toEqual(['SHA384SUMS', 'SHA384SUMS.p7s', 'bundle.json']);
      const p7s = (f: string) => (format === 'tar' ? extractMember(readFileSync(f), 'SHA384SUMS.p7s') : readFileSync(join(f, 'SHA384SUMS.p7s')));
      const before = p7s(out);
      const after = p7s(co);
      expect(after.equals(result.signature)).toBe(true);
      // the evaluator's SignerInfo is the last element of the original p7s: find it verbatim in the new one
      const firstSignerInfo = before.subarray(before.length - signerInfoLength(before));
      expect(after.includes(firstSignerInfo)).toBe(true);
      if (format === 'tar') {
        const a = readFileSync(out);
        const b = readFileSync(co);
        const sigA = membersOf(a).find((m) => m.path === 'SHA384SUMS.p7s')!;
        const sigB = membersOf(b).find((m) => m.path === 'SHA384SUMS.p7s')!;
        // before the signature member: identical; after it: identical, shifted
        expect(b.subarray(0, sigB.offset - 512).equals(a.subarray(0, sigA.offset - 512))).toBe(true);
        const restA = a.subarray(sigA.offset + Math.ceil(sigA.size / 512) * 512);
        const restB = b.subarray(sigB.offset + Math.ceil(sigB.size / 512) * 512);
        expect(restB.equals(restA)).toBe(true);
      }
    });
  }

  it('co-signs a bundle made by stock tools (GNU tar, pax format) without disturbing its headers', async () => {
    const { out: dirBundle } = await write('signer', 'directory');
    const d = fx.fresh('gnu');
    const gnuTar = join(d, 'gnu.tar');
    const { run } = await import('../../helpers/corpus/exec');
    await run('tar', ['--format=pax', '-cf', gnuTar, 'SHA384SUMS', 'SHA384SUMS.p7s', 'bundle.json', 'payload'], { cwd: dirBundle });
    const co = join(d, 'co.tar');
    await cosignBundle({ source: gnuTar, out: co, signer: fx.identity('cosigner'), time: TIME });
    await expectGood(co, 'tar', 2);
  });

  it('refuses a bundle whose files no longer match SHA384SUMS, and leaves nothing behind', async () => {
    const { d, out } = await write('signer', 'directory');
    appendFileSync(join(out, 'payload', 'readme.txt'), 'tampered\n');
    const e = await refusal(cosignBundle({ source: out, out: join(d, 'co'), signer: fx.identity('cosigner'), time: TIME }), 'writer.bundle-mismatch');
    expect(e.message).toMatch(/payload\/readme.txt.*another SHA-384/);
    expect(entries(d)).toEqual(['bundle']);
  });

  it('refuses co-signing with the certificate that signed already', async () => {
    const { d, out } = await write('signer', 'tar');
    await refusal(cosignBundle({ source: out, out: join(d, 'co.tar'), signer: fx.identity('signer'), time: TIME }), 'signing.already-signed');
    expect(entries(d)).toEqual(['bundle.tar']);
  });
});

/** The data of a member of an in-memory tar. */
function extractMember(tar: Buffer, name: string): Buffer {
  const m = membersOf(tar).find((x) => x.path === name)!;
  return tar.subarray(m.offset, m.offset + m.size);
}

/** Length of the last SignerInfo of a single-signer SignedData (the final element of the SET at its end). */
function signerInfoLength(p7s: Buffer): number {
  // the SignerInfos SET is the last element; with one signer its content is exactly one SignerInfo
  for (let i = p7s.length - 4; i > 0; i--) {
    if (p7s[i] !== 0x31) continue;
    const lenByte = p7s[i + 1]!;
    const [len, hdr] = lenByte < 0x80 ? [lenByte, 2] : lenByte === 0x81 ? [p7s[i + 2]!, 3] : lenByte === 0x82 ? [p7s.readUInt16BE(i + 2), 4] : [-1, 0];
    if (len > 0 && i + hdr + len === p7s.length && p7s[i + hdr] === 0x30) return len;
  }
  throw new Error('no SignerInfos SET found');
}

describe('writeBundle refuses bad input and leaves nothing behind', () => {
  const cases: [string, (src: string) => Partial<WriteBundleOptions>, string, RegExp][] = [
    ['a path outside the grammar', () => ({ files: [{ path: 'payload/../x', data: Buffer.from('x') }] }), 'writer.path', /segment "\.\."/],
    ['a Windows reserved name', () => ({ files: [{ path: 'payload/aux.txt', data: Buffer.from('x') }] }), 'writer.path', /Windows reserved name/],
    ['one of the files the writer makes', () => ({ files: [{ path: 'Bundle.json', data: Buffer.from('{}') }] }), 'writer.path', /written by the bundle writer itself/],
    [
      'two paths equal case-insensitively',
      () => ({ files: [{ path: 'payload/Readme.txt', data: Buffer.from('a') }, { path: 'payload/README.txt', data: Buffer.from('b') }] }),
      'writer.duplicate',
      /same path compared case-insensitively/,
    ],
    ['a file where a directory is needed', () => ({ files: [{ path: 'payload', data: Buffer.from('a') }, { path: 'payload/x', data: Buffer.from('b') }] }), 'writer.duplicate', /lies under "payload", which is a file/],
    ['a key below the CNSA floor', () => ({ signer: fx.identity('p256') }), 'signing.key-floor', /P-256/],
    ['a certificate that does not match the key', () => ({ signer: fx.identity('signer', { privateKey: fx.key('rsa3072') }) }), 'signing.key-mismatch', /does not belong/],
    ['metadata the reader would refuse', () => ({ metadata: { ...(minimalSpec().metadata as object), sequence: -1 } }), 'writer.metadata', /sequence/],
    ['metadata naming a file that is not there', () => ({ metadata: resultMeta() }), 'writer.metadata', /report\/report.md.*not among/],
    ['a source that does not exist', (src) => ({ files: [{ path: 'payload/x', file: join(src, 'missing') }] }), 'writer.source', /ENOENT/],
    ['a source that is a directory', (src) => ({ files: [{ path: 'payload/x', file: src }] }), 'writer.source', /not a regular file/],
  ];
  for (const [what, over, code, message] of cases) {
    it(what, async () => {
      const d = fx.fresh('bad');
      const src = fx.fresh('src');
      const e = await refusal(writeBundle({ out: join(d, 'b.tar'), format: 'tar', signer: fx.identity('signer'), time: TIME, ...modelAccess(src), ...over(src) }), code);
      expect(e.message).toMatch(message);
      expect(entries(d)).toEqual([]);
    });
  }

  it('an existing output is never overwritten', async () => {
    const { d, out } = await write('signer', 'tar');
    const before = readFileSync(out);
    await refusal(writeBundle({ out, format: 'tar', signer: fx.identity('signer'), time: TIME, ...modelAccess(fx.fresh('src')) }), 'writer.exists');
    expect(readFileSync(out).equals(before)).toBe(true);
    expect(entries(d)).toEqual(['bundle.tar']);
  });

  for (const format of ['tar', 'directory'] as const) {
    for (const change of ['grows', 'shrinks', 'is rewritten'] as const) {
      it(`${format}: a source file that ${change} while it is being written`, async () => {
        const d = fx.fresh('changing');
        const src = fx.fresh('src');
        const { metadata, files } = modelAccess(src);
        const big = join(src, 'weights.bin');
        let done = false;
        const e = await refusal(
          writeBundle({
            out: join(d, format === 'tar' ? 'b.tar' : 'b'),
            format,
            signer: fx.identity('signer'),
            time: TIME,
            metadata,
            files,
            onProgress: (p) => {
              // after the first 1 MiB chunk of the 3 MiB file
              if (done || p.bytesDone < 1 << 20) return;
              done = true;
              if (change === 'grows') appendFileSync(big, 'more');
              else if (change === 'shrinks') truncateSync(big, 1 << 20);
              else writeFileSync(big, Buffer.alloc(statSync(big).size, 8));
            },
          }),
          'writer.source-changed',
        );
        expect(e.message).toMatch(change === 'grows' ? /grew/ : change === 'shrinks' ? /shrank/ : /was modified/);
        expect(entries(d)).toEqual([]);
      });
    }
  }

  it('cancellation leaves nothing behind', async () => {
    const d = fx.fresh('cancel');
    const ac = new AbortController();
    await refusal(
      writeBundle({ out: join(d, 'b.tar'), format: 'tar', signer: fx.identity('signer'), time: TIME, ...modelAccess(fx.fresh('src')), signal: ac.signal, onProgress: () => ac.abort() }),
      'cancelled',
    );
    expect(entries(d)).toEqual([]);
  });

  it('an unwritable destination is a writer.io error naming it', async () => {
    const d = fx.fresh('ro');
    const target = join(d, 'missing-dir', 'b.tar');
    const e = await refusal(writeBundle({ out: target, format: 'tar', signer: fx.identity('signer'), time: TIME, ...modelAccess(fx.fresh('src')) }), 'writer.io');
    expect(e.message).toContain(target);
    expect(existsSync(join(d, 'missing-dir'))).toBe(false);
  });
});
