import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustStore } from '../../../src/main/services/trust/trust-store';
import { isAirlockError } from '../../../src/shared/errors';
import { run } from '../../helpers/corpus/exec';
import { getPki, type TestPki } from '../../helpers/corpus/pki';
import { auditActions, makeVault, tempDir, type TestVault } from '../intake/helpers';

let pki: TestPki;
let work: string;
beforeAll(async () => {
  pki = await getPki();
  work = tempDir('airlock-trust-');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isAirlockError(e)) return e.code;
    throw e;
  }
  return undefined;
}

const sha256 = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');

/** A CRL from `ca` with a chosen CRL number (hex), made with `openssl ca -gencrl` on a copy of the CA's state. */
async function crlWithNumber(ca: 'int' | 'root', numberHex: string, last: string, next: string): Promise<string> {
  const src = path.join(pki.dir, `ca-${ca}`);
  const copy = path.join(work, `ca-${ca}-${crypto.randomBytes(4).toString('hex')}`);
  fs.cpSync(src, copy, { recursive: true });
  fs.writeFileSync(path.join(copy, 'crlnumber'), `${numberHex}\n`);
  fs.writeFileSync(path.join(copy, 'ca.cnf'), fs.readFileSync(path.join(src, 'ca.cnf'), 'utf8').replaceAll(src, copy));
  const out = path.join(copy, 'crl.pem');
  await run('openssl', ['ca', '-batch', '-gencrl', '-config', path.join(copy, 'ca.cnf'), '-keyfile', path.join(pki.dir, `${ca}.key`), '-cert', pki.certs[ca].pem,
    '-crlexts', 'crl_ext', '-crl_lastupdate', last, '-crl_nextupdate', next, '-out', out]);
  return out;
}

describe('TrustStore anchors', () => {
  let tv: TestVault;
  let trust: TrustStore;
  beforeAll(async () => {
    tv = await makeVault();
    trust = new TrustStore(tv.vault);
  });
  afterAll(() => tv.cleanup());

  it('adds a root from PEM, lists it, and audits with the fingerprint', () => {
    const info = trust.addAnchor(fs.readFileSync(pki.certs.root.pem), { types: ['eval-package', 'model-access'], label: 'CH root' });
    expect(info.fingerprint).toBe(sha256(pki.certs.root.der));
    expect(info.types).toEqual(['model-access', 'eval-package']);
    const list = trust.list();
    expect(list.anchors).toHaveLength(1);
    expect(list.anchors[0]).toMatchObject({ label: 'CH root', subject: 'CN=Test Clearinghouse Root, O=Airlock Test PKI', expired: false, keyAlgorithm: 'ECDSA P-384', crl: null });
    expect(list.anchors[0]!.notAfter).toBe('2030-01-01T00:00:00.000Z');
    const rec = tv.vault.audit.list({ limit: 1 })[0]!;
    expect(rec.action).toBe('trust.anchor-added');
    expect(rec.detail.fingerprint).toBe(info.fingerprint);
    expect(rec.actor).toBe('officer-test');
    expect(trust.verifyOptions().anchors).toEqual([{ certificate: pki.certs.root.der, types: ['model-access', 'eval-package'], label: 'CH root' }]);
  });

  it('refuses a duplicate, a non-CA, a non-self-signed cert, bad types, and audits refusals', () => {
    expect(codeOf(() => trust.addAnchor(pki.certs.root.der, { types: 'any' }))).toBe('trust.duplicate');
    expect(codeOf(() => trust.addAnchor(pki.certs.signer.der, { types: 'any' }))).toBe('trust.not-ca');
    expect(codeOf(() => trust.addAnchor(pki.certs.int.der, { types: 'any' }))).toBe('trust.not-self-signed');
    expect(codeOf(() => trust.addAnchor(pki.certs.labRoot.der, { types: ['model-acces'] }))).toBe('trust.bad-types');
    expect(codeOf(() => trust.addAnchor(Buffer.from('hello'), { types: 'any' }))).toBe('trust.bad-certificate');
    expect(codeOf(() => trust.addAnchor(fs.readFileSync(pki.caFile), { types: 'any' }))).toBe('trust.bad-certificate');
    const refused = tv.vault.audit.list({ limit: 20 }).filter((r) => r.action === 'trust.anchor-refused').map((r) => r.detail.code);
    expect(refused).toEqual(expect.arrayContaining(['trust.duplicate', 'trust.not-ca', 'trust.not-self-signed']));
    expect(trust.list().anchors).toHaveLength(1);
  });

  it('applies the one anchor rule (services/pki): refusals name the certificate, say why, and are audited with the code', async () => {
    let err: unknown;
    try {
      trust.addAnchor(fs.readFileSync(pki.certs.signer.pem), { types: 'any' });
    } catch (e) {
      err = e;
    }
    expect(isAirlockError(err) && err.code).toBe('trust.not-ca');
    expect((err as Error).message).toMatch(/^"CN=Test Signer, O=Airlock Test PKI" \(serial [0-9a-f]+\) cannot be a trust anchor: it is an end-entity certificate/);
    const rec = tv.vault.audit.list({ limit: 1 })[0]!;
    expect(rec).toMatchObject({ action: 'trust.anchor-refused', outcome: 'failure', detail: { code: 'trust.not-ca', subject: 'CN=Test Signer, O=Airlock Test PKI' } });
    // a root with a critical extension nothing here processes would fail every chain: refused at install
    const key = path.join(work, 'crit.key');
    const pem = path.join(work, 'crit.pem');
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', key, '-out', pem, '-subj', '/CN=Constrained Root',
      '-days', '3650', '-sha384', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-addext', 'nameConstraints=critical,permitted;DNS:example.test']);
    expect(codeOf(() => trust.addAnchor(fs.readFileSync(pem), { types: 'any' }))).toBe('trust.critical-extension');
    expect(trust.list().anchors.map((a) => a.subject)).toEqual(['CN=Test Clearinghouse Root, O=Airlock Test PKI']);
  });

  it('refuses a P-256 root (below the CNSA floor)', async () => {
    const key = path.join(work, 'p256.key');
    const pem = path.join(work, 'p256.pem');
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', pem, '-subj', '/CN=Weak Root',
      '-days', '3650', '-sha384', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    expect(codeOf(() => trust.addAnchor(fs.readFileSync(pem), { types: 'any' }))).toBe('trust.weak-key');
  });

  it('removes an anchor (fingerprint with colons/uppercase) and audits it; unknown → not-found', () => {
    const fp = sha256(pki.certs.root.der);
    const colons = fp.toUpperCase().match(/../g)!.join(':');
    trust.removeAnchor(colons);
    expect(trust.list().anchors).toHaveLength(0);
    const rec = tv.vault.audit.list({ limit: 1 })[0]!;
    expect(rec.action).toBe('trust.anchor-removed');
    expect(rec.detail.fingerprint).toBe(fp);
    expect(codeOf(() => trust.removeAnchor(fp))).toBe('trust.anchor-not-found');
  });

  it('refuses an expired root at the trusted clock time', async () => {
    const later = await makeVault(new Date('2031-01-01T00:00:00Z'));
    try {
      expect(codeOf(() => new TrustStore(later.vault).addAnchor(pki.certs.root.der, { types: 'any' }))).toBe('trust.expired');
    } finally {
      later.cleanup();
    }
  });
});

describe('TrustStore CRLs and lab id', () => {
  let tv: TestVault;
  let trust: TrustStore;
  beforeAll(async () => {
    tv = await makeVault();
    trust = new TrustStore(tv.vault);
    trust.addAnchor(pki.certs.root.der, { types: ['model-access', 'eval-package'] });
  });
  afterAll(() => tv.cleanup());

  it('imports a CRL signed by an anchor (verified) and shows freshness on the anchor', () => {
    const r = trust.addCrls(fs.readFileSync(pki.crls.root.pem));
    expect(r.added).toHaveLength(1);
    expect(r.added[0]!.verifiedBy).toBe(sha256(pki.certs.root.der));
    const a = trust.list().anchors[0]!;
    expect(a.crl).toMatchObject({ thisUpdate: '2026-06-01T00:00:00.000Z', nextUpdate: '2027-06-01T00:00:00.000Z', fresh: true });
    expect(tv.vault.audit.list({ limit: 1 })[0]!.action).toBe('trust.crl-added');
  });

  it('refuses a CRL under the anchor name signed by another key', () => {
    expect(codeOf(() => trust.addCrls(pki.crls.fakeRootAsRoot.der))).toBe('trust.crl-bad-signature');
    expect(trust.list().crls.map((c) => c.sha256)).toEqual([sha256(pki.crls.root.der)]);
  });

  it('enforces CRL-number monotonicity per issuer and keeps the latest', async () => {
    // int is not an anchor and not yet known: stored unverified (the verifier checks it against the chain).
    const cur = trust.addCrls(pki.crls.int.der).added[0]!;
    expect(cur.verifiedBy).toBeNull();
    expect(codeOf(() => trust.addCrls(pki.crls.intStale.der))).toBe('trust.crl-rollback');
    const sameNumber = await crlWithNumber('int', cur.number === '17' ? '11' : BigInt(cur.number!).toString(16), '20260615000000Z', '20270615000000Z');
    expect(codeOf(() => trust.addCrls(fs.readFileSync(sameNumber)))).toBe('trust.crl-rollback');
    // Re-importing the identical CRL is a no-op, not a refusal.
    expect(trust.addCrls(pki.crls.int.der).added[0]!.sha256).toBe(sha256(pki.crls.int.der));
    const newer = await crlWithNumber('int', '40', '20260701000000Z', '20270701000000Z');
    const n = trust.addCrls(fs.readFileSync(newer)).added[0]!;
    expect(n.number).toBe('64');
    const crls = trust.list().crls;
    expect(crls).toHaveLength(2);
    expect(crls.find((c) => c.issuer.includes('Intermediate'))!.number).toBe('64');
    const refused = tv.vault.audit.list({ limit: 50 }).filter((r) => r.action === 'trust.crl-refused');
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(refused.every((r) => typeof r.detail.issuer === 'string')).toBe(true);
    expect(trust.verifyOptions().crls).toHaveLength(2);
  });

  it('verifies CRLs of intermediates recorded from accepted bundles', () => {
    expect(trust.recordIntermediates([pki.certs.int.der, pki.certs.rogueInt.der, pki.certs.signer.der])).toBe(1);
    expect(trust.list().intermediates.map((i) => i.subject)).toEqual(['CN=Test Clearinghouse Intermediate, O=Airlock Test PKI']);
  });

  it('imports a PEM holding several CRLs, all or nothing', () => {
    const pem = [pki.crls.labRoot.pem, pki.crls.intStale.pem].map((p) => fs.readFileSync(p, 'utf8')).join('');
    const before = trust.list().crls.length;
    expect(codeOf(() => trust.addCrls(Buffer.from(pem)))).toBe('trust.crl-rollback');
    expect(trust.list().crls.length).toBe(before);
    const ok = [pki.crls.labRoot.pem, pki.crls.rogueRoot.pem].map((p) => fs.readFileSync(p, 'utf8')).join('');
    expect(trust.addCrls(Buffer.from(ok)).added).toHaveLength(2);
    expect(trust.list().crls.length).toBe(before + 2);
    expect(codeOf(() => trust.addCrls(Buffer.from('not a crl')))).toBe('trust.bad-crl');
  });

  it('sets the lab id (validated, audited) and exposes it in verifyOptions', () => {
    expect(codeOf(() => trust.setLabId('bad id with spaces'))).toBe('trust.bad-lab-id');
    trust.setLabId('lab-test-1');
    expect(trust.verifyOptions().labId).toBe('lab-test-1');
    expect(trust.list().labId).toBe('lab-test-1');
    const rec = tv.vault.audit.list({ limit: 1 })[0]!;
    expect(rec).toMatchObject({ action: 'trust.lab-id-set', detail: { labId: 'lab-test-1', previous: null } });
    expect(auditActions(tv.vault)).toContain('trust.crl-added');
  });
});
