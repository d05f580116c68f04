import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IdentityStore, type IdentityInfo } from '../../../src/main/services/identities';
import { TrustStore } from '../../../src/main/services/trust';
import { getPki, type TestPki } from '../../helpers/corpus/pki';
import { auditActions, installTrust, makeVault, type TestVault } from '../intake/helpers';
import { FAST_SEAL, P12_PASSWORD, allFiles, makeP12, openssl, p12Info, pkcs8Der, sha256Fingerprint, workDir } from './helpers';

let pki: TestPki;
let dir: string;
let tv: TestVault;
let store: IdentityStore;

beforeAll(async () => {
  pki = await getPki();
  dir = workDir();
}, 180_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

beforeEach(async () => {
  tv = await makeVault();
  installTrust(new TrustStore(tv.vault), pki);
  store = new IdentityStore(tv.vault, { kdf: FAST_SEAL });
});
afterEach(() => tv.cleanup());

const p12 = (file: string, password = P12_PASSWORD) => ({ kind: 'pkcs12' as const, bytes: fs.readFileSync(file), password });
const codeOf = async (p: Promise<unknown>) => p.then(() => 'no error', (e: { code?: string }) => e.code ?? String(e));

describe('identity import', () => {
  it('imports the default PKCS#12 form (AES-256-CBC, PBKDF2, SHA-256 MAC) with its chain', async () => {
    const file = makeP12(pki, dir, 'labSigner');
    const algs = p12Info(file, P12_PASSWORD);
    expect(algs).toMatch(/PBES2, PBKDF2, AES-256-CBC/);
    expect(algs).toMatch(/MAC: sha256/);
    const info = await store.import(p12(file));
    expect(info.id).toBe(sha256Fingerprint(pki.certs.labSigner.pem));
    expect(info.subject).toContain('Test Lab Evaluator');
    expect(info.issuer).toContain('Test Lab Root');
    expect(info.keyType).toBe('ECDSA P-384');
    expect(info.purposes).toEqual(['signing']);
    expect(info.status).toBe('valid');
    expect(info.statusReason).toBeUndefined();
    expect(info.chainLength).toBe(1); // the lab root came along in the file
    expect(info.source).toBe('pkcs12');
    expect(auditActions(tv.vault)).toContain('identity.imported');
  });

  it('imports the legacy PKCS#12 form (3DES key, RC2-40 certificates, SHA-1 MAC); keyAgreement means credential decryption', async () => {
    const file = makeP12(pki, dir, 'labEnc', { legacy: true });
    const algs = p12Info(file, P12_PASSWORD, true);
    expect(algs).toMatch(/MAC: sha1/);
    expect(algs).toMatch(/pbeWithSHA1And40BitRC2-CBC/);
    expect(algs).toMatch(/pbeWithSHA1And3-KeyTripleDES-CBC/);
    const info = await store.import(p12(file));
    expect(info.subject).toContain('Test Lab Credential Vault');
    expect(info.purposes).toEqual(['credential-decryption']);
    expect(info.status).toBe('valid');
  });

  it('imports an RSA-3072 PKCS#12 (forge parses RSA itself) keeping the exact certificate bytes', async () => {
    const info = await store.import(p12(makeP12(pki, dir, 'rsa3072')));
    expect(info.id).toBe(sha256Fingerprint(pki.certs.rsa3072.pem));
    expect(info.keyType).toBe('RSA 3072');
    expect(info.chainLength).toBe(2); // intermediate and root
    expect(store.certificates(info.id).certificate).toEqual(pki.certs.rsa3072.der);
  });

  it('imports a PEM key with --cert and --chain', async () => {
    const info = await store.import({
      kind: 'pem',
      key: fs.readFileSync(pki.certs.cosigner.key),
      certificate: fs.readFileSync(pki.certs.cosigner.pem),
      chain: fs.readFileSync(pki.certs.int.pem),
      password: 'pem-holder-password',
    });
    expect(info.source).toBe('pem');
    expect(info.chainLength).toBe(1);
    expect(info.purposes).toEqual(['signing']);
    // the clearinghouse root is an anchor, but only for model-access and eval-package bundles
    expect(info.status).toBe('not-chained');
    expect(info.statusReason).toMatch(/result/);
  });

  it('imports an encrypted PEM key (PKCS#8, AES-256) with its password; a wrong one is identity.bad-password', async () => {
    const enc = path.join(dir, 'cosigner-enc.pem');
    openssl(['pkcs8', '-topk8', '-in', pki.certs.cosigner.key, '-out', enc, '-v2', 'aes-256-cbc', '-passout', 'pass:enc-pass-1']);
    const input = { kind: 'pem' as const, key: fs.readFileSync(enc), certificate: fs.readFileSync(pki.certs.cosigner.pem) };
    expect(await codeOf(store.import({ ...input, password: 'not-it' }))).toBe('identity.bad-password');
    expect((await store.import({ ...input, password: 'enc-pass-1' })).subject).toContain('Test Co-Signer');
  });

  it('opens PKCS#12 files whose password is not ASCII (both forms: BMPString MAC, UTF-8 PBES2)', async () => {
    const pw = 'pässwörd-ünïcode-Ω';
    const def = await store.import(p12(makeP12(pki, dir, 'labSigner', { password: pw }), pw));
    expect((await store.unseal(def.id, pw)).type).toBe('private');
    const legacy = await store.import(p12(makeP12(pki, dir, 'labEnc', { password: pw, legacy: true }), pw));
    expect(legacy.status).toBe('valid');
    expect(await codeOf(store.import(p12(makeP12(pki, dir, 'cosigner', { password: pw }), 'passwörd-ünïcode-Ω')))).toBe('identity.bad-password');
  });

  it('refuses a wrong PKCS#12 password (both forms), and audits the refusal', async () => {
    expect(await codeOf(store.import(p12(makeP12(pki, dir, 'labSigner'), 'wrong')))).toBe('identity.bad-password');
    expect(await codeOf(store.import(p12(makeP12(pki, dir, 'labEnc', { legacy: true }), 'wrong')))).toBe('identity.bad-password');
    const refused = tv.vault.audit.list().filter((r) => r.action === 'identity.import-refused');
    expect(refused).toHaveLength(2);
    expect(refused[0]!.outcome).toBe('failure');
    expect(refused[0]!.detail.code).toBe('identity.bad-password');
    expect(store.list().identities).toHaveLength(0);
  });

  it('refuses a P-256 key (below the CNSA floor) and RSA-2048, naming the key', async () => {
    const e = await store.import(p12(makeP12(pki, dir, 'p256'))).catch((x: Error & { code: string }) => x);
    expect((e as { code: string }).code).toBe('identity.weak-key');
    expect((e as Error).message).toMatch(/P-256.*CNSA floor/);
    expect(await codeOf(store.import(p12(makeP12(pki, dir, 'rsa2048'))))).toBe('identity.weak-key');
  });

  it('refuses a certificate that does not match the key', async () => {
    // openssl pkcs12 -export refuses to pair them, so the mismatch is built as PEM: the evaluator's key with another certificate
    const e = await store
      .import({ kind: 'pem', key: fs.readFileSync(pki.certs.labSigner.key), certificate: fs.readFileSync(pki.certs.signer.pem), password: 'x-password' })
      .catch((x: Error & { code: string }) => x);
    expect((e as { code: string }).code).toBe('identity.key-mismatch');
    expect((e as Error).message).toContain('Test Signer');
  });

  it('refuses a PKCS#12 without a key, a PEM file with two keys, a CA certificate, malformed bytes, an empty password and a duplicate', async () => {
    expect(await codeOf(store.import(p12(makeP12(pki, dir, 'labSigner', { noKeys: true }))))).toBe('identity.no-private-key');
    const two = Buffer.concat([fs.readFileSync(pki.certs.labSigner.key), fs.readFileSync(pki.certs.signer.key)]);
    expect(await codeOf(store.import({ kind: 'pem', key: two, certificate: fs.readFileSync(pki.certs.labSigner.pem), password: 'pw' }))).toBe('identity.several-keys');
    expect(await codeOf(store.import(p12(makeP12(pki, dir, 'int'))))).toBe('identity.ca-certificate');
    expect(await codeOf(store.import({ kind: 'pkcs12', bytes: crypto.randomBytes(600), password: 'pw' }))).toBe('identity.malformed');
    expect(await codeOf(store.import({ kind: 'pkcs12', bytes: Buffer.from('-----BEGIN CERTIFICATE-----\n'), password: 'pw' }))).toBe('identity.malformed');
    expect(await codeOf(store.import(p12(makeP12(pki, dir, 'labSigner'), '')))).toBe('identity.empty-password');
    expect(await codeOf(store.import({ kind: 'pem', key: fs.readFileSync(pki.certs.labSigner.key), certificate: Buffer.from('nope'), password: 'pw' }))).toBe('identity.malformed');
    await store.import(p12(makeP12(pki, dir, 'labSigner')));
    expect(await codeOf(store.import(p12(makeP12(pki, dir, 'labSigner'))))).toBe('identity.duplicate');
  });
});

describe('identity list statuses', () => {
  const byName = (list: IdentityInfo[], cn: string) => list.find((i) => i.subject.split(', ').includes(`CN=${cn}`))!;

  it('valid, expired, revoked (by the vault CRL) and not-chained', async () => {
    await store.import(p12(makeP12(pki, dir, 'labSigner')));
    await store.import(p12(makeP12(pki, dir, 'expired')));
    await store.import(p12(makeP12(pki, dir, 'revoked')));
    await store.import(p12(makeP12(pki, dir, 'signer')));
    await store.import(p12(makeP12(pki, dir, 'rogueSigner')));
    const l = store.list();
    expect(l.at).toBe('2027-01-01T00:00:00.000Z');
    expect(byName(l.identities, 'Test Lab Evaluator').status).toBe('valid');
    expect(byName(l.identities, 'Test Signer Expired').status).toBe('expired');
    const revoked = byName(l.identities, 'Test Signer Revoked');
    expect(revoked.status).toBe('revoked');
    expect(revoked.statusReason).toMatch(/revoked by its issuer on 2026-03-01/);
    expect(byName(l.identities, 'Test Signer').status).toBe('not-chained'); // chains to a root bound to model-access only
    expect(byName(l.identities, 'Rogue Signer').status).toBe('not-chained');
    const lab = byName(l.identities, 'Test Lab Evaluator');
    for (const k of ['id', 'subject', 'issuer', 'serial', 'keyType', 'notAfter', 'purposes', 'status'] as const) expect(lab[k]).toBeDefined();
  });

  it('turns not-chained into valid when the issuing root becomes an anchor for result bundles', async () => {
    const info = await store.import(p12(makeP12(pki, dir, 'cosigner')));
    expect(info.status).toBe('not-chained');
    const trust = new TrustStore(tv.vault);
    trust.removeAnchor(pki.certs.root.der ? sha256Fingerprint(pki.certs.root.pem) : '');
    trust.addAnchor(pki.certs.root.der, { types: ['result'] });
    expect(store.info(info.id).status).toBe('valid');
  });

  it('reports expiry by the vault clock (a vault whose trusted clock is past notAfter)', async () => {
    const later = await makeVault(new Date('2028-06-01T00:00:00Z'));
    try {
      const s = new IdentityStore(later.vault, { kdf: FAST_SEAL });
      const info = await s.import(p12(makeP12(pki, dir, 'labSigner')));
      expect(info.status).toBe('expired');
      expect(info.statusReason).toContain('2028-01-01');
    } finally {
      later.cleanup();
    }
  });
});

describe('sealed keys', () => {
  it('unseals with the right password into a key that signs for the certificate; a wrong password is identity.bad-password (audited)', async () => {
    const info = await store.import(p12(makeP12(pki, dir, 'labSigner')));
    const key = await store.unseal(info.id, P12_PASSWORD);
    expect(key.type).toBe('private');
    const sig = crypto.sign('sha384', Buffer.from('approve F-001'), key);
    const cert = new crypto.X509Certificate(Buffer.from(store.certificates(info.id).certificate));
    expect(crypto.verify('sha384', Buffer.from('approve F-001'), cert.publicKey, sig)).toBe(true);
    expect(await codeOf(store.unseal(info.id, 'wrong-password'))).toBe('identity.bad-password');
    expect(auditActions(tv.vault)).toContain('identity.unseal-failed');
    expect(await codeOf(store.unseal('00'.repeat(32), P12_PASSWORD))).toBe('identity.not-found');
  });

  it('changes the password: the old one stops working, the new one works, a wrong old one is refused', async () => {
    const info = await store.import(p12(makeP12(pki, dir, 'labEnc', { legacy: true })));
    const before = tv.vault.db.prepare('SELECT sealed_key, kdf_salt FROM identities').get() as { sealed_key: Buffer; kdf_salt: Buffer };
    expect(await codeOf(store.changePassword(info.id, 'wrong', 'new-password-2'))).toBe('identity.bad-password');
    expect(await codeOf(store.changePassword(info.id, P12_PASSWORD, ''))).toBe('identity.empty-password');
    await store.changePassword(info.id, P12_PASSWORD, 'new-password-2');
    const after = tv.vault.db.prepare('SELECT sealed_key, kdf_salt, password_changed_at FROM identities').get() as { sealed_key: Buffer; kdf_salt: Buffer; password_changed_at: string };
    expect(after.kdf_salt.equals(before.kdf_salt)).toBe(false);
    expect(after.sealed_key.equals(before.sealed_key)).toBe(false);
    expect(after.password_changed_at).toBe('2027-01-01T00:00:00.000Z');
    expect(await codeOf(store.unseal(info.id, P12_PASSWORD))).toBe('identity.bad-password');
    expect((await store.unseal(info.id, 'new-password-2')).asymmetricKeyType).toBe('ec');
    expect(auditActions(tv.vault)).toEqual(expect.arrayContaining(['identity.password-changed', 'identity.password-change-failed']));
  });

  it('a sealed key moved onto another identity row does not open (bound to its id)', async () => {
    const a = await store.import(p12(makeP12(pki, dir, 'labSigner')));
    const b = await store.import(p12(makeP12(pki, dir, 'labEnc')));
    tv.vault.db.prepare('UPDATE identities SET sealed_key = (SELECT sealed_key FROM identities WHERE id = ?), kdf_salt = (SELECT kdf_salt FROM identities WHERE id = ?) WHERE id = ?').run(a.id, a.id, b.id);
    expect(await codeOf(store.unseal(b.id, P12_PASSWORD))).toBe('identity.bad-password');
  });

  it('stores the scrypt parameters with each identity (production default 2^17)', async () => {
    const prod = new IdentityStore(tv.vault);
    const info = await prod.import(p12(makeP12(pki, dir, 'labSigner')));
    const row = tv.vault.db.prepare('SELECT kdf_n, kdf_r, kdf_p, length(kdf_salt) AS salt FROM identities WHERE id = ?').get(info.id);
    expect(row).toEqual({ kdf_n: 2 ** 17, kdf_r: 8, kdf_p: 1, salt: 32 });
    // a store configured with other parameters still opens it: they come from the row
    expect((await store.unseal(info.id, P12_PASSWORD)).type).toBe('private');
  });

  it('plaintext scan: neither the PKCS#8 key nor the PKCS#12 password is in any file of the vault folder', async () => {
    const vaultDir = tv.dir;
    await store.import(p12(makeP12(pki, dir, 'labSigner')));
    await store.import(p12(makeP12(pki, dir, 'rsa3072', { legacy: true })));
    tv.vault.lock();
    const needles = [pkcs8Der(pki, 'labSigner'), pkcs8Der(pki, 'rsa3072'), Buffer.from(P12_PASSWORD, 'utf8'), Buffer.from(P12_PASSWORD, 'utf16le')];
    // and the raw private scalar of the EC key (the part that matters), in case it were stored outside PKCS#8
    const jwk = crypto.createPrivateKey(fs.readFileSync(pki.certs.labSigner.key)).export({ format: 'jwk' });
    needles.push(Buffer.from(jwk.d!, 'base64url'));
    const files = allFiles(vaultDir);
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) {
      const bytes = fs.readFileSync(f);
      for (const n of needles) expect(bytes.includes(n), `${path.relative(vaultDir, f)} contains a secret`).toBe(false);
    }
  });
});
