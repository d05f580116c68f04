/**
 * CMS signing (pki/cms-sign.ts) against the independent reference, OpenSSL
 * 3.0: what it signs verifies with `openssl cms -verify`, RSA PKCS#1 v1.5
 * output is byte-identical to `openssl cms -sign`/`-resign` at the same
 * signing time, ECDSA output differs from OpenSSL's only in the signature
 * value, and every identity a verifier would refuse is refused up front.
 */
import crypto from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asn1js, pkijs } from '../../../src/main/services/pki/asn1';
import { checkSigner, parseSignedData } from '../../../src/main/services/pki/cms';
import { addSigner, prepareSigner, signDetached, signedDataLength, type SigningIdentity } from '../../../src/main/services/pki/cms-sign';
import { AirlockError } from '../../../src/shared/errors';
import { run } from '../../helpers/corpus/exec';
import { AT } from '../../helpers/corpus/pki';
import { opensslCmsVerify, writerFixture, type WriterFixture } from './fixture';

const TIME = new Date('2026-12-01T10:20:30Z');
const CONTENT = Buffer.from(`${'a'.repeat(96)}  bundle.json\n${'b'.repeat(96)}  payload/readme.txt\n`);

let fx: WriterFixture;
afterAll(() => fx.dispose());
beforeAll(async () => {
  fx = await writerFixture();
});

/** A directory holding SHA384SUMS and the given SHA384SUMS.p7s, as `openssl cms -verify` wants them. */
function bundleDir(p7s: Uint8Array, content = CONTENT): string {
  const d = fx.fresh('sig');
  writeFileSync(join(d, 'SHA384SUMS'), content);
  writeFileSync(join(d, 'SHA384SUMS.p7s'), p7s);
  return d;
}

async function opensslSign(dir: string, name: 'rsa3072' | 'signer', extra: string[] = []): Promise<Buffer> {
  const inter = join(dir, 'inter.pem');
  writeFileSync(inter, readFileSync(fx.pki.certs.int.pem));
  await run('openssl', ['cms', '-sign', '-binary', '-in', 'SHA384SUMS', '-signer', fx.pki.certs[name].pem, '-inkey', fx.pki.certs[name].key,
    '-certfile', inter, '-md', 'sha384', '-nosmimecap', '-outform', 'DER', '-out', 'ref.p7s', ...extra], { cwd: dir });
  return readFileSync(join(dir, 'ref.p7s'));
}

/** The signingTime OpenSSL put into signer #i (it always uses the current time). */
function signingTimeOf(p7s: Uint8Array, i = 0): Date {
  const sd = parseSignedData(p7s);
  const o = checkSigner(sd.signerInfos[i]!, i, sd.certificates, CONTENT);
  expect(o.signature).toBeUndefined();
  return new Date(o.signingTime!);
}

function refusal(f: () => unknown, code: string): AirlockError {
  try {
    f();
  } catch (e) {
    expect(e, (e as Error).message).toBeInstanceOf(AirlockError);
    expect((e as AirlockError).code, (e as Error).message).toBe(code);
    return e as AirlockError;
  }
  throw new Error(`expected ${code}`);
}

/** Every field of a SignedData except the signature values, as DER, for comparison. */
function allButSignatures(p7s: Uint8Array): string[] {
  const ci = new pkijs.ContentInfo({ schema: asn1js.fromBER(p7s).result });
  const sd = new pkijs.SignedData({ schema: ci.content });
  const der = (x: { toSchema(): asn1js.AsnType }) => Buffer.from(x.toSchema().toBER(false)).toString('hex');
  return [
    String(sd.version),
    ...sd.digestAlgorithms.map(der),
    der(sd.encapContentInfo),
    ...(sd.certificates ?? []).map((c) => der(c as pkijs.Certificate)),
    ...sd.signerInfos.flatMap((si) => [String(si.version), der(si.sid as pkijs.IssuerAndSerialNumber), der(si.digestAlgorithm), Buffer.from(si.signedAttrs!.encodedValue).toString('hex'), der(si.signatureAlgorithm)]),
  ];
}

describe('signDetached', () => {
  it('RSA-3072 PKCS#1 v1.5: byte-identical to openssl cms -sign at the same signing time, and deterministic', async () => {
    const d = bundleDir(Buffer.alloc(0));
    const ref = await opensslSign(d, 'rsa3072');
    const signer = prepareSigner(fx.identity('rsa3072'), { signingTime: signingTimeOf(ref) });
    const ours = signDetached(CONTENT, signer);
    expect(ours.toString('hex')).toBe(ref.toString('hex'));
    expect(signDetached(CONTENT, signer).equals(ours)).toBe(true);
  });

  it('ECDSA P-384: equal to openssl cms -sign in every field but the signature value; openssl verifies it', async () => {
    const d = bundleDir(Buffer.alloc(0));
    const ref = await opensslSign(d, 'signer');
    const ours = signDetached(CONTENT, prepareSigner(fx.identity('signer'), { signingTime: signingTimeOf(ref) }));
    expect(allButSignatures(ours)).toEqual(allButSignatures(ref));
    const v = await opensslCmsVerify(fx.pki, bundleDir(ours), AT);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stderr).toMatch(/Verification successful/);
  });

  it('the signature always has its fixed length, so signedDataLength is exact (P-384, P-521, RSA PKCS#1 and PSS)', () => {
    const cases: [string, SigningIdentity, 'sha384' | 'sha512'][] = [
      ['P-384', fx.identity('signer'), 'sha384'],
      ['P-521', fx.identity('p521'), 'sha512'],
      ['RSA-3072 PKCS#1', fx.identity('rsa3072'), 'sha384'],
      ['RSA-3072 PSS', fx.identity('rsa3072', { rsaPadding: 'pss' }), 'sha512'],
    ];
    for (const [what, id, digest] of cases) {
      const signer = prepareSigner(id, { signingTime: TIME, digest });
      const expected = signedDataLength(signer);
      const sizes = new Set<number>();
      for (let i = 0; i < 24; i++) sizes.add(signDetached(crypto.randomBytes(64 + i), signer).length);
      expect([...sizes], what).toEqual([expected]);
    }
  });

  it('P-521 with SHA-512 and RSA-PSS verify with openssl and with Airlock’s own signer check', async () => {
    for (const [id, digest] of [
      [fx.identity('p521'), 'sha512'],
      [fx.identity('rsa3072', { rsaPadding: 'pss' }), 'sha384'],
    ] as const) {
      const p7s = signDetached(CONTENT, prepareSigner(id, { signingTime: TIME, digest }));
      const v = await opensslCmsVerify(fx.pki, bundleDir(p7s), AT);
      expect(v.code, v.stderr).toBe(0);
      const sd = parseSignedData(p7s);
      const o = checkSigner(sd.signerInfos[0]!, 0, sd.certificates, CONTENT);
      expect(o.signature ?? o.algorithms).toBeUndefined();
      expect(o.signingTime).toBe(TIME.toISOString());
    }
  });

  it('signingTime keeps whole seconds', () => {
    const sd = parseSignedData(signDetached(CONTENT, prepareSigner(fx.identity('rsa3072'), { signingTime: new Date('2026-12-01T10:20:30.999Z') })));
    const attr = sd.signerInfos[0]!.signedAttrs!.attributes.find((a) => a.type === '1.2.840.113549.1.9.5')!;
    expect(attr.values[0]).toBeInstanceOf(asn1js.UTCTime);
    expect((attr.values[0] as asn1js.UTCTime).toDate().toISOString()).toBe('2026-12-01T10:20:30.000Z');
  });
});

describe('prepareSigner refuses identities a verifier would refuse', () => {
  it('keys below the CNSA floor: P-256 and RSA-2048', () => {
    expect(refusal(() => prepareSigner(fx.identity('p256'), { signingTime: TIME }), 'signing.key-floor').message).toMatch(/ECDSA P-256.*CNSA floor/);
    expect(refusal(() => prepareSigner(fx.identity('rsa2048'), { signingTime: TIME }), 'signing.key-floor').message).toMatch(/RSA 2048.*CNSA floor/);
  });

  it('a private key that does not belong to the certificate', () => {
    const e = refusal(() => prepareSigner(fx.identity('signer', { privateKey: fx.key('cosigner') }), { signingTime: TIME }), 'signing.key-mismatch');
    expect(e.message).toMatch(/does not belong to the signer certificate.*Test Signer/);
  });

  it('a public key, a CA certificate, a certificate without digitalSignature, outside its validity', () => {
    refusal(() => prepareSigner(fx.identity('signer', { privateKey: crypto.createPublicKey(fx.key('signer')) }), { signingTime: TIME }), 'signing.key');
    expect(refusal(() => prepareSigner(fx.identity('caSigner'), { signingTime: TIME }), 'signing.certificate').message).toMatch(/CA certificate/);
    expect(refusal(() => prepareSigner(fx.identity('keyEncSigner'), { signingTime: TIME }), 'signing.certificate').message).toMatch(/digitalSignature/);
    expect(refusal(() => prepareSigner(fx.identity('expired'), { signingTime: TIME }), 'signing.certificate').message).toMatch(/not at the signing time 2026-12-01/);
    expect(refusal(() => prepareSigner(fx.identity('notYet'), { signingTime: TIME }), 'signing.certificate').message).toMatch(/valid from 2027-06-01/);
  });

  it('a TLS-only certificate (extendedKeyUsage serverAuth)', async () => {
    const d = fx.fresh('eku');
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-subj', '/CN=TLS only',
      '-days', '30', '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'keyUsage=critical,digitalSignature', '-addext', 'extendedKeyUsage=serverAuth'], { cwd: d });
    const der = new crypto.X509Certificate(readFileSync(join(d, 'c.pem'))).raw;
    const id = { certificate: der, privateKey: crypto.createPrivateKey(readFileSync(join(d, 'k.pem'))) };
    expect(refusal(() => prepareSigner(id, { signingTime: new Date() }), 'signing.certificate').message).toMatch(/serverAuth only.*cannot sign bundles/);
  });

  it('a digest below the floor and a broken time', () => {
    refusal(() => prepareSigner(fx.identity('signer'), { signingTime: TIME, digest: 'sha256' as 'sha384' }), 'signing.digest');
    refusal(() => prepareSigner(fx.identity('signer'), { signingTime: new Date('nope') }), 'signing.time');
  });
});

describe('addSigner (co-signing as openssl cms -resign)', () => {
  it('RSA co-signer: byte-identical to openssl cms -resign at the same signing time; the first SignerInfo is kept byte for byte', async () => {
    const d = bundleDir(Buffer.alloc(0));
    const first = await opensslSign(d, 'signer');
    writeFileSync(join(d, 'SHA384SUMS.p7s'), first);
    await run('openssl', ['cms', '-resign', '-binary', '-inform', 'DER', '-in', 'SHA384SUMS.p7s', '-content', 'SHA384SUMS', '-signer', fx.pki.certs.rsa3072.pem,
      '-inkey', fx.pki.certs.rsa3072.key, '-md', 'sha384', '-nosmimecap', '-outform', 'DER', '-out', 'resigned.p7s'], { cwd: d });
    const ref = readFileSync(join(d, 'resigned.p7s'));
    const sd = parseSignedData(ref);
    const rsaIndex = sd.signerInfos.findIndex((si) => si.signatureAlgorithm.algorithmId === '1.2.840.113549.1.1.1');
    const ours = addSigner(first, CONTENT, prepareSigner(fx.identity('rsa3072', { intermediates: [] }), { signingTime: signingTimeOf(ref, rsaIndex) }));
    expect(ours.toString('hex')).toBe(ref.toString('hex'));
    const firstSignerInfo = Buffer.from(parseSignedData(first).signerInfos[0]!.toSchema().toBER(false));
    expect(ours.includes(firstSignerInfo)).toBe(true);
  });

  it('ECDSA co-signer on an Airlock signature: both signers verify with openssl, the evaluator’s SignerInfo unchanged', async () => {
    const first = signDetached(CONTENT, prepareSigner(fx.identity('signer'), { signingTime: TIME }));
    const firstSi = Buffer.from(parseSignedData(first).signerInfos[0]!.toSchema().toBER(false));
    const both = addSigner(first, CONTENT, prepareSigner(fx.identity('cosigner'), { signingTime: new Date('2026-12-02T08:00:00Z') }));
    expect(both.includes(firstSi)).toBe(true);
    const sd = parseSignedData(both);
    expect(sd.signerInfos).toHaveLength(2);
    // the intermediate both share is carried once
    const carried = sd.certificates.map((c) => Buffer.from(c.der).toString('hex')).sort();
    expect(carried).toEqual(([fx.pki.certs.signer, fx.pki.certs.cosigner, fx.pki.certs.int] as const).map((c) => Buffer.from(c.der).toString('hex')).sort());
    const v = await opensslCmsVerify(fx.pki, bundleDir(both), AT);
    expect(v.code, v.stderr).toBe(0);
    expect(v.signers.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  });

  it('refuses the same certificate twice, a signature over other content, and something that is not a SignedData', () => {
    const first = signDetached(CONTENT, prepareSigner(fx.identity('signer'), { signingTime: TIME }));
    expect(refusal(() => addSigner(first, CONTENT, prepareSigner(fx.identity('signer'), { signingTime: TIME })), 'signing.already-signed').message).toMatch(/already signed/);
    const other = Buffer.from(CONTENT.toString().replace('a', 'c'));
    expect(refusal(() => addSigner(first, other, prepareSigner(fx.identity('cosigner'), { signingTime: TIME })), 'signing.existing-signature').message).toMatch(/messageDigest does not match/);
    refusal(() => addSigner(Buffer.from('not der'), CONTENT, prepareSigner(fx.identity('cosigner'), { signingTime: TIME })), 'signing.malformed-signature');
  });
});
