/**
 * The one trust-anchor rule (services/pki/anchors.ts) on certificates made
 * with stock openssl: the corpus PKI, plus roots made here with `openssl req
 * -x509` for the refusals the corpus does not carry.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorRefusal, parseAnchors, parseCertificate, readPemOrDer } from '../../../src/main/services/pki';
import { isAirlockError } from '../../../src/shared/errors';
import { run } from '../../helpers/corpus/exec';
import { AT, getPki, type TestPki } from '../../helpers/corpus/pki';

let pki: TestPki;
let work: string;
const made: Record<string, Uint8Array> = {};

/** A self-signed root from `openssl req -x509` with the given extensions (P-384 unless `curve`). */
async function root(name: string, exts: string[], opts: { curve?: string } = {}): Promise<void> {
  const key = path.join(work, `${name}.key`);
  const pem = path.join(work, `${name}.pem`);
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${opts.curve ?? 'P-384'}`, '-nodes', '-keyout', key, '-out', pem, '-subj', `/O=Airlock Test PKI/CN=${name}`, '-sha384'];
  args.push('-days', '3650');
  for (const e of exts) args.push('-addext', e);
  await run('openssl', args);
  made[name] = readPemOrDer(fs.readFileSync(pem))[0]!;
}

beforeAll(async () => {
  pki = await getPki();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'airlock-anchors-'));
  const ca = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'];
  await root('Good Root', ca);
  await root('P-256 Root', ca, { curve: 'P-256' });
  await root('Root Without keyCertSign', ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,cRLSign']);
  await root('Root With Unknown Critical Extension', [...ca, '1.3.6.1.4.1.55555.1.1=critical,ASN1:UTF8String:x']);
  await root('Root With Critical Policy Constraints', [...ca, 'policyConstraints=critical,requireExplicitPolicy:0']);
  await root('Root With Non-Critical Policies', [...ca, 'certificatePolicies=1.3.6.1.4.1.55555.2.1']);
  await root('Self-Signed End Entity', ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature']);
}, 60_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const refusal = (der: Uint8Array, at?: Date) => anchorRefusal(parseCertificate(der), at);

describe('anchorRefusal: the one rule for trust anchors', () => {
  it('accepts a self-signed CA root (structure, and at a time inside its validity)', () => {
    expect(refusal(pki.certs.root.der)).toBeUndefined();
    expect(refusal(pki.certs.root.der, AT)).toBeUndefined();
    expect(refusal(made['Good Root']!, AT)).toBeUndefined();
    // non-critical policy extensions on an anchor are simply not used (RFC 5280 §6.1.1)
    expect(refusal(made['Root With Non-Critical Policies']!, AT)).toBeUndefined();
  });

  it('refuses an end-entity certificate, naming it and saying what to install instead', () => {
    const r = refusal(pki.certs.signer.der, AT);
    expect(r?.code).toBe('trust.not-ca');
    expect(r?.message).toContain('"CN=Test Signer, O=Airlock Test PKI"');
    expect(r?.message).toMatch(/end-entity certificate .*install the root that issued it/);
    expect(r?.detail).toMatchObject({ subject: 'CN=Test Signer, O=Airlock Test PKI', serialNumber: expect.stringMatching(/^[0-9a-f]+$/), fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // self-signed but not a CA is still an end-entity certificate
    expect(refusal(made['Self-Signed End Entity']!)?.code).toBe('trust.not-ca');
  });

  it('refuses an intermediate, naming its issuer', () => {
    const r = refusal(pki.certs.int.der, AT);
    expect(r?.code).toBe('trust.not-self-signed');
    expect(r?.message).toContain('"CN=Test Clearinghouse Intermediate, O=Airlock Test PKI"');
    expect(r?.message).toContain('issued by "CN=Test Clearinghouse Root, O=Airlock Test PKI"');
  });

  it('judges the certificate, not its name: a self-signed root with a copied name passes (trust is the officer installing it)', () => {
    expect(refusal(pki.certs.fakeRoot.der)).toBeUndefined();
  });

  it('refuses a CA without keyCertSign, a key below the CNSA floor, and critical extensions it does not process', () => {
    expect(refusal(made['Root Without keyCertSign']!)?.code).toBe('trust.not-ca');
    const weak = refusal(made['P-256 Root']!);
    expect(weak?.code).toBe('trust.weak-key');
    expect(weak?.message).toContain('ECDSA P-256');
    const crit = refusal(made['Root With Unknown Critical Extension']!);
    expect(crit?.code).toBe('trust.critical-extension');
    expect(crit?.message).toContain('1.3.6.1.4.1.55555.1.1');
    const pol = refusal(made['Root With Critical Policy Constraints']!);
    expect(pol?.code).toBe('trust.critical-extension');
    expect(pol?.message).toContain('policyConstraints (2.5.29.36)');
  });

  it('judges validity only when given a time', () => {
    expect(refusal(pki.certs.root.der, new Date('2031-01-01T00:00:00Z'))?.code).toBe('trust.expired');
    expect(refusal(pki.certs.root.der, new Date('2025-01-01T00:00:00Z'))?.code).toBe('trust.not-yet-valid');
    expect(refusal(pki.certs.root.der)).toBeUndefined();
  });
});

describe('parseAnchors (the verifier\'s anchor input)', () => {
  const codeOf = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      if (isAirlockError(e)) return e.code;
      throw e;
    }
    return undefined;
  };

  it('keeps types, labels and positions of valid anchors', () => {
    const a = parseAnchors(pki.anchors());
    expect(a.map((x) => [x.index, x.label, x.types, x.cert.subject])).toEqual([
      [0, 'Test Clearinghouse Root', ['model-access', 'eval-package'], 'CN=Test Clearinghouse Root, O=Airlock Test PKI'],
      [1, 'Test Lab Root', ['result'], 'CN=Test Lab Root, O=Airlock Test PKI'],
    ]);
  });

  it('refuses garbage (trust.bad-anchor) and a leaf or an intermediate with the rule\'s own codes', () => {
    expect(codeOf(() => parseAnchors([{ certificate: new Uint8Array([0x30, 0x03, 1, 2, 3]), types: 'any' }]))).toBe('trust.bad-anchor');
    expect(codeOf(() => parseAnchors([...pki.anchors(), { certificate: pki.certs.signer.der, types: 'any', label: 'oops' }]))).toBe('trust.not-ca');
    expect(codeOf(() => parseAnchors([{ certificate: pki.certs.int.der, types: 'any' }]))).toBe('trust.not-self-signed');
    expect(() => parseAnchors([{ certificate: pki.certs.signer.der, types: 'any', label: 'oops' }])).toThrow(
      /^Trust anchor "oops": "CN=Test Signer, O=Airlock Test PKI" \(serial [0-9a-f]+\) cannot be a trust anchor: it is an end-entity certificate/,
    );
  });

  it('does not refuse an installed anchor that has since expired (the chain reports it at verification)', () => {
    expect(codeOf(() => parseAnchors([{ certificate: pki.certs.root.der, types: 'any' }]))).toBeUndefined();
  });
});
