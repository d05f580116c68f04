import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AirlockError } from '../../../src/shared/errors';
import { verifyBundleDetailed, type FileSink, type StagedFile } from '../../../src/main/services/bundles/verify';
import { summarizeCertificate } from '../../../src/main/services/pki';
import { BlobOpener } from '../../../src/main/services/vault/blob-cipher.mjs';
import { verifyCommand } from '../../../src/main/cli/commands/verify';
import { runCli } from '../../../src/main/cli/cli';
import type { CliIO } from '../../../src/main/cli/command';
import { tarBundle } from '../../helpers/corpus/build';
import { minimalSpec } from '../../helpers/corpus/fixtures';
import { AT } from '../../helpers/corpus/pki';
import { makeFixture, type Fixture } from './fixture';

let fx: Fixture;
let dir: string;
let tar: string;
const big = crypto.randomBytes(3 * 1024 * 1024 + 17);
beforeAll(async () => {
  fx = await makeFixture();
  dir = await fx.build('sink', minimalSpec({ files: { 'payload/card.md': '# card\n', 'payload/big.bin': big, 'payload/empty': '' } }, { audience: undefined }));
  tar = await tarBundle(dir, path.join(fx.work, 'sink.tar'));
});

class FakeSink implements FileSink {
  opened: string[] = [];
  committed?: StagedFile[];
  discarded?: StagedFile[];
  key = crypto.randomBytes(32);
  constructor(private root: string) {}
  async open(p: string) {
    this.opened.push(p);
    return { tempPath: path.join(this.root, `stage-${this.opened.length}`), blobKey: this.key };
  }
  async commit(s: StagedFile[]) {
    this.committed = s;
  }
  async discard(s: StagedFile[]) {
    this.discarded = s;
    for (const f of s) fs.rmSync(f.tempPath, { force: true });
  }
  open_(f: StagedFile): Buffer {
    const o = new BlobOpener(this.key);
    const plain = o.push(fs.readFileSync(f.tempPath));
    o.final();
    return plain;
  }
}

describe('quarantine sink, progress, cancellation', () => {
  for (const form of ['directory', 'tar'] as const)
    it(`seals exactly the verified bytes and commits on acceptance (${form})`, async () => {
      const sink = new FakeSink(fx.fresh('stage'));
      const seen: number[] = [];
      const { report, staged } = await verifyBundleDetailed(form === 'tar' ? tar : dir, fx.opts({ sink, onProgress: (p) => seen.push(p.bytesDone) }));
      expect(report.verdict).toBe('accepted');
      expect(sink.discarded).toBeUndefined();
      expect(sink.committed?.map((s) => s.path).sort()).toEqual(['bundle.json', 'payload/big.bin', 'payload/card.md', 'payload/empty']);
      expect(staged).toBe(sink.committed);
      const bigStaged = sink.committed!.find((s) => s.path === 'payload/big.bin')!;
      expect(bigStaged.sha384).toBe(crypto.createHash('sha384').update(big).digest('hex'));
      expect(bigStaged.size).toBe(big.length);
      expect(sink.open_(bigStaged).equals(big)).toBe(true);
      expect(seen.at(-1)).toBe(big.length + fs.statSync(path.join(dir, 'bundle.json')).size + 7);
    });

  it('discards everything when rejected', async () => {
    const sink = new FakeSink(fx.fresh('stage'));
    const { report } = await verifyBundleDetailed(dir, fx.opts({ sink, crls: [] }));
    expect(report.verdict).toBe('rejected');
    expect(sink.committed).toBeUndefined();
    expect(sink.discarded).toHaveLength(4);
    expect(sink.discarded!.every((s) => !fs.existsSync(s.tempPath))).toBe(true);
  });

  it('throws AirlockError(cancelled) and discards on abort', async () => {
    const sink = new FakeSink(fx.fresh('stage'));
    const ac = new AbortController();
    const p = verifyBundleDetailed(dir, fx.opts({ sink, signal: ac.signal, onProgress: () => ac.abort() }));
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    await expect(p).rejects.toBeInstanceOf(AirlockError);
    expect(sink.committed).toBeUndefined();
    expect(sink.discarded).toBeDefined();
  });
});

describe('summarizeCertificate', () => {
  it('summarizes a certificate', () => {
    const der = fx.pki.certs.signer.der;
    const s = summarizeCertificate(der);
    expect(s.subject).toBe('CN=Test Signer, O=Airlock Test PKI');
    expect(s.issuer).toBe('CN=Test Clearinghouse Intermediate, O=Airlock Test PKI');
    expect(s.keyAlgorithm).toBe('ECDSA P-384');
    expect(s.sha256Fingerprint).toBe(crypto.createHash('sha256').update(der).digest('hex'));
    expect(new Date(s.notAfter) > new Date(s.notBefore)).toBe(true);
  });
});

describe('airlock verify (CLI)', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    const cio: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, promptSecret: () => Promise.reject(new Error('no tty')), cwd: fx.work };
    return { cio, out, err };
  };
  // The corpus PKI is valid around AT, so every run passes --at (the machine clock is not used).
  const at = AT.toISOString();
  const pemFile = (name: string, crls: boolean) => {
    const p = path.join(fx.work, name);
    const pems = [fx.pki.certs.root.pem, ...(crls ? [fx.pki.crls.root.pem, fx.pki.crls.int.pem] : [])];
    fs.writeFileSync(p, pems.map((f) => fs.readFileSync(f, 'utf8')).join(''));
    return p;
  };

  it('accepts with anchors and CRLs in one PEM file (exit 0), human output', async () => {
    const { cio, out } = io();
    const code = await verifyCommand.run({ values: { anchors: pemFile('all.pem', true), at }, positionals: ['sink.tar'], json: false }, cio);
    expect(code).toBe(0);
    const text = out.join('');
    expect(text).toMatch(/^ACCEPTED: /);
    expect(text).toContain('UNCLASSIFIED//FOR TESTING');
    expect(text).toMatch(/✓ signature/);
    expect(text).toMatch(/– rollback +Not applicable without a vault/);
    expect(text).toContain('CN=Test Signer, O=Airlock Test PKI');
  });

  it('rejects without CRLs (exit 1) and prints JSON with --json', async () => {
    const { cio, out } = io();
    const code = await verifyCommand.run({ values: { anchors: pemFile('roots.pem', false), at }, positionals: [tar], json: true }, cio);
    expect(code).toBe(1);
    const r = JSON.parse(out.join(''));
    expect(r.verdict).toBe('rejected');
    expect(r.checks.find((c: { id: string }) => c.id === 'revocation').code).toBe('revocation.missing-crl');
  });

  it('takes CRLs from a directory and an --at time', async () => {
    const crlDir = fx.fresh('crls');
    fx.pki.crlsDer('root', 'int').forEach((d, i) => fs.writeFileSync(path.join(crlDir, `c${i}.crl`), d));
    const { cio } = io();
    expect(await verifyCommand.run({ values: { anchors: pemFile('r.pem', false), crls: crlDir, at }, positionals: [tar], json: false }, cio)).toBe(0);
    const { cio: c2, out } = io();
    expect(await verifyCommand.run({ values: { anchors: pemFile('r.pem', false), crls: crlDir, at: '2099-01-01T00:00:00Z' }, positionals: [tar], json: false }, c2)).toBe(1);
    expect(out.join('')).toMatch(/✗ chain +\[chain\.expired\]/);
  });

  it('--anchors: an end-entity or intermediate certificate is refused by the anchor rule (exit 2, JSON error naming it)', async () => {
    const program = { name: 'airlock', version: 'test', commands: [verifyCommand] };
    const leafPem = path.join(fx.work, 'leaf-anchor.pem');
    fs.writeFileSync(leafPem, fs.readFileSync(pemFile('mixed.pem', true)).toString() + fs.readFileSync(fx.pki.certs.signer.pem, 'utf8'));
    const a = io();
    expect(await runCli(program, ['verify', 'sink.tar', '--anchors', 'leaf-anchor.pem', '--at', at, '--json'], a.cio)).toBe(2);
    const doc = JSON.parse(a.out.join(''));
    expect(doc).toMatchObject({ ok: false, error: { code: 'trust.not-ca', detail: { object: 4, subject: 'CN=Test Signer, O=Airlock Test PKI' } } });
    // names the file, the object in it and the certificate, and says what to do
    expect(doc.error.message).toMatch(/^--anchors leaf-anchor\.pem \(object 4\): "CN=Test Signer, O=Airlock Test PKI" \(serial [0-9a-f]+\) cannot be a trust anchor: .*install the root that issued it/);

    const intDir = fx.fresh('anchor-dir');
    fs.copyFileSync(fx.pki.certs.root.pem, path.join(intDir, 'a-root.pem'));
    fs.copyFileSync(fx.pki.certs.int.pem, path.join(intDir, 'b-int.pem'));
    const b = io();
    expect(await runCli(program, ['verify', 'sink.tar', '--anchors', intDir, '--at', at], b.cio)).toBe(2);
    expect(b.err.join('')).toMatch(/b-int\.pem \(object 1\): "CN=Test Clearinghouse Intermediate, O=Airlock Test PKI" .* not a self-signed root.* \[trust\.not-self-signed\]$/);
    expect(b.out).toEqual([]);
  });

  it('--anchors: a root that expired by the verification time is a rejected chain (exit 1), not a usage error', async () => {
    const { cio, out } = io();
    const code = await verifyCommand.run({ values: { anchors: pemFile('late.pem', true), at: '2030-06-01T00:00:00Z' }, positionals: ['sink.tar'], json: true }, cio);
    expect(code).toBe(1);
    expect(JSON.parse(out.join('')).checks.find((c: { id: string }) => c.id === 'chain')).toMatchObject({ status: 'fail', code: 'chain.expired' });
  });

  it('usage and IO errors are AirlockErrors (exit 2)', async () => {
    const { cio } = io();
    await expect(verifyCommand.run({ values: {}, positionals: [tar], json: false }, cio)).rejects.toMatchObject({ code: 'usage' });
    await expect(verifyCommand.run({ values: { anchors: 'nope.pem' }, positionals: [tar], json: false }, cio)).rejects.toBeInstanceOf(AirlockError);
    await expect(verifyCommand.run({ values: { anchors: pemFile('x.pem', false), at: 'soon' }, positionals: [tar], json: false }, cio)).rejects.toMatchObject({ code: 'usage' });
    await expect(verifyCommand.run({ values: { anchors: pemFile('x.pem', false) }, positionals: ['missing.tar'], json: false }, cio)).rejects.toMatchObject({ code: 'io.not-found' });
  });
});
