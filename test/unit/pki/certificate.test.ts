/**
 * Certificate extensions the validator acts on (services/pki/certificate.ts):
 * decoded from certificates made with `openssl req -x509 -addext`, well-formed
 * and malformed (openssl writes raw `DER:` values for any OID). A malformed
 * value makes the whole certificate unusable, whatever its criticality.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DerError, EKU, EXT, parseCertificate, readPemOrDer } from '../../../src/main/services/pki';
import { PROCESSED_CRITICAL, unprocessedCritical } from '../../../src/main/services/pki/certificate';
import { run } from '../../helpers/corpus/exec';

let work: string;
let n = 0;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'airlock-certext-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A self-signed P-384 certificate with these -addext values (DER). */
async function cert(...exts: string[]): Promise<Uint8Array> {
  const base = path.join(work, `c${++n}`);
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.pem`, '-subj', '/CN=Extension Test', '-days', '30', '-sha384'];
  for (const e of exts) args.push('-addext', e);
  await run('openssl', args);
  return readPemOrDer(fs.readFileSync(`${base}.pem`))[0]!;
}

const P1 = '1.3.6.1.4.1.55555.2.1';
const P2 = '1.3.6.1.4.1.55555.2.2';

describe('extensions the validator acts on', () => {
  it('decodes extendedKeyUsage, certificatePolicies, policyMappings, policyConstraints and inhibitAnyPolicy', async () => {
    const c = parseCertificate(
      await cert(
        'extendedKeyUsage=critical,codeSigning,emailProtection',
        `certificatePolicies=${P1},2.5.29.32.0`,
        `policyMappings=critical,${P1}:${P2}`,
        'policyConstraints=critical,requireExplicitPolicy:2,inhibitPolicyMapping:0',
        'inhibitAnyPolicy=critical,1',
        'subjectAltName=critical,DNS:signer.example.test',
      ),
    );
    expect(c.extendedKeyUsage).toEqual([EKU.codeSigning, EKU.emailProtection]);
    expect(c.policies).toEqual([P1, '2.5.29.32.0']);
    expect(c.policyMappings).toEqual([[P1, P2]]);
    expect([c.requireExplicitPolicy, c.inhibitPolicyMapping, c.inhibitAnyPolicy]).toEqual([2, 0, 1]);
    // every critical extension here is one the validator processes
    expect(unprocessedCritical(c)).toBeUndefined();
  });

  it('calls processed exactly what it processes: a critical nameConstraints or unknown extension is not', async () => {
    const c = parseCertificate(await cert('nameConstraints=critical,permitted;DNS:example.test'));
    expect(unprocessedCritical(c)).toBe(EXT.nameConstraints);
    expect(PROCESSED_CRITICAL.has(EXT.nameConstraints)).toBe(false);
    for (const o of [EXT.crlDistributionPoints, EXT.aia, '1.3.6.1.4.1.55555.1.1']) expect(PROCESSED_CRITICAL.has(o), o).toBe(false);
    // a non-critical extension we do not process is allowed
    expect(unprocessedCritical(parseCertificate(await cert('nameConstraints=permitted;DNS:example.test')))).toBeUndefined();
  });

  const malformed: [string, string, RegExp][] = [
    ['extendedKeyUsage that is a NULL', '2.5.29.37=DER:05:00', /extendedKeyUsage/],
    ['empty extendedKeyUsage', '2.5.29.37=DER:30:00', /extendedKeyUsage is empty/],
    ['empty certificatePolicies', '2.5.29.32=DER:30:00', /certificatePolicies is empty/],
    ['a policy listed twice', '2.5.29.32=DER:30:1c:30:0c:06:0a:2b:06:01:04:01:83:b2:03:02:01:30:0c:06:0a:2b:06:01:04:01:83:b2:03:02:01', /lists .* twice/],
    ['policyMappings with a lone OID', '2.5.29.33=DER:30:05:30:03:06:01:2a', /not a pair of OIDs/],
    ['empty policyConstraints', '2.5.29.36=critical,DER:30:00', /policyConstraints is empty/],
    ['negative inhibitAnyPolicy', '2.5.29.54=DER:02:01:ff', /inhibitAnyPolicy is negative/],
    ['inhibitAnyPolicy not minimally encoded', '2.5.29.54=DER:02:02:00:01', /not minimally encoded/],
    ['a policyConstraints element out of order', '2.5.29.36=DER:30:06:81:01:00:80:01:00', /unexpected element/],
  ];
  for (const [what, ext, msg] of malformed) {
    it(`makes the certificate unusable: ${what} (even when not critical)`, async () => {
      const der = await cert(ext);
      expect(() => parseCertificate(der)).toThrow(DerError);
      expect(() => parseCertificate(der)).toThrow(msg);
    });
  }
});
