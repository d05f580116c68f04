/**
 * evaluateSignatures (services/pki/evaluate.ts): bounded path building, with
 * the deterministic work counters as the measure (no timed assertions), and
 * the structured-clone contract that lets it run in a worker thread. Bundles
 * are signed with stock openssl from the corpus PKI.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PATH_LIMITS, evaluateSignatures, type SignatureEvaluation, type SignatureEvaluationInput } from '../../../src/main/services/pki';
import { buildBundleDir, type BuildSpec } from '../../helpers/corpus/build';
import { minimalSpec } from '../../helpers/corpus/fixtures';
import { AT, LOOP_CROSS, getPki, loopCerts, meshCerts, type TestPki } from '../../helpers/corpus/pki';

let pki: TestPki;
let work: string;
const signed: Record<string, { signature: Uint8Array; content: Uint8Array }> = {};

async function sign(name: string, spec: BuildSpec): Promise<void> {
  const dir = await buildBundleDir(pki, spec, path.join(work, name));
  signed[name] = { signature: new Uint8Array(fs.readFileSync(path.join(dir, 'SHA384SUMS.p7s'))), content: new Uint8Array(fs.readFileSync(path.join(dir, 'SHA384SUMS'))) };
}

beforeAll(async () => {
  pki = await getPki();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'airlock-evaluate-'));
  await sign('plain', minimalSpec());
  await sign('cosigned', minimalSpec({ signers: ['signer', 'cosigner'] }));
  await sign('loop', minimalSpec({ signers: ['loopSigner'], certfile: loopCerts() }));
  await sign('mesh', minimalSpec({ signers: ['meshSigner'], certfile: meshCerts() }));
}, 120_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function input(name: string, over: Partial<SignatureEvaluationInput> = {}): SignatureEvaluationInput {
  return { ...signed[name]!, anchors: pki.anchors(), crls: pki.defaultCrls(), at: AT.toISOString(), requireCrls: true, ...over };
}

describe('bounded path building', () => {
  it('a loop of two CA names cross-certifying each other: no anchor, found by loop detection with linear work', () => {
    const ev = evaluateSignatures(input('loop'));
    expect(ev.signers[0]!.chain).toMatchObject({ status: 'fail', code: 'chain.no-anchor', reason: expect.stringContaining('("CN=Loop CA A, O=Airlock Test PKI", "CN=Loop CA B, O=Airlock Test PKI") only certify each other in a cycle') });
    // leaf -> any of the A certificates -> any of the B certificates; A again would be a loop (same name and key)
    expect(ev.work.candidatePaths).toBe(LOOP_CROSS + LOOP_CROSS ** 2);
    // one check per distinct (certificate, issuer key): the leaf and the A-by-B certificates; the rest are memo hits
    expect(ev.work.signatureChecks).toBe(1 + LOOP_CROSS);
    expect(ev.work.signatureMemoHits).toBeGreaterThan(ev.work.signatureChecks);
  });

  it('a mesh of cross-certified CA names: gives up at the candidate-path budget with chain.search-limit', () => {
    const ev = evaluateSignatures(input('mesh'));
    const chain = ev.signers[0]!.chain;
    expect(chain).toMatchObject({ status: 'fail', code: 'chain.search-limit' });
    expect(chain.status === 'fail' && chain.reason).toMatch(/gave up after 1000 candidate paths .* carries 30 CA certificates/);
    expect(ev.work.candidatePaths).toBe(DEFAULT_PATH_LIMITS.maxCandidatePaths);
    // memoised: at most one check per certificate in the signature
    expect(ev.work.signatureChecks).toBeLessThanOrEqual(meshCerts().length + 1);
    // the other groups say what they could not check instead of passing
    expect(ev.signers[0]!.revocation.status).toBe('skip');
    expect(ev.signers[0]!.signature.status).toBe('pass');
  });

  it('every budget is a hard bound', () => {
    const sigs = evaluateSignatures(input('mesh', { limits: { maxSignatureChecks: 5 } }));
    expect(sigs.signers[0]!.chain).toMatchObject({ code: 'chain.search-limit' });
    expect(sigs.work.signatureChecks).toBe(5);
    const paths = evaluateSignatures(input('mesh', { limits: { maxCandidatePaths: 10 } }));
    expect(paths.signers[0]!.chain).toMatchObject({ code: 'chain.search-limit' });
    expect(paths.work.candidatePaths).toBe(10);
    const certs = evaluateSignatures(input('mesh', { limits: { maxCertificates: 10 } }));
    expect(certs.malformed).toMatchObject({ code: 'signature.malformed', reason: expect.stringMatching(/carries 31 certificates; Airlock reads at most 10/) });
    const signers = evaluateSignatures(input('cosigned', { limits: { maxSigners: 1 } }));
    expect(signers.malformed).toMatchObject({ code: 'signature.malformed', reason: expect.stringMatching(/has 2 signers; Airlock checks at most 1/) });
  });

  it('the depth limit is reported as a search limit, not as "no path"', () => {
    const ev = evaluateSignatures(input('plain', { limits: { maxIntermediates: 0 } }));
    expect(ev.signers[0]!.chain).toMatchObject({ status: 'fail', code: 'chain.search-limit', reason: expect.stringMatching(/at most 0 intermediate CA certificates/) });
    expect(evaluateSignatures(input('plain', { limits: { maxIntermediates: 1 } })).signers[0]!.chain.status).toBe('pass');
  });

  it('co-signers share the signature memo: the common intermediate and CRLs are checked once', () => {
    const ev = evaluateSignatures(input('cosigned'));
    expect(ev.signers.map((s) => s.chain.status)).toEqual(['pass', 'pass']);
    // signer->int, int->root, int CRL, root CRL; then only cosigner->int is new
    expect(ev.work.signatureChecks).toBe(5);
    expect(ev.work.signatureMemoHits).toBeGreaterThanOrEqual(3);
    expect(ev.work.completePaths).toBe(2);
  });
});

describe('evaluation result', () => {
  it('reports every group of a good signer as pass, with its anchor and the path below it', () => {
    const ev = evaluateSignatures(input('plain'));
    const s = ev.signers[0]!;
    expect([s.signature, s.algorithms, s.chain, s.signer, s.revocation].map((g) => g.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    expect(s.revocation).toMatchObject({ note: expect.stringContaining('not revoked') });
    expect(s.anchor).toMatchObject({ index: 0, label: 'Test Clearinghouse Root', types: ['model-access', 'eval-package'], certificate: { subject: 'CN=Test Clearinghouse Root, O=Airlock Test PKI' } });
    expect(s.path?.map((d) => Buffer.from(d).equals(Buffer.from(pki.certs.signer.der)) || Buffer.from(d).equals(Buffer.from(pki.certs.int.der)))).toEqual([true, true]);
    expect(s.certificate?.subject).toBe('CN=Test Signer, O=Airlock Test PKI');
  });

  it('prefers a valid path to an anchor bound to the bundle type', () => {
    const anchors = [
      { certificate: pki.certs.root.der, types: ['result' as const], label: 'root for results' },
      { certificate: pki.certs.root.der, types: ['model-access' as const], label: 'root for model access' },
    ];
    expect(evaluateSignatures(input('plain', { anchors })).signers[0]!.anchor?.index).toBe(0);
    expect(evaluateSignatures(input('plain', { anchors, bundleType: 'model-access' })).signers[0]!.anchor?.index).toBe(1);
  });

  it('reports a bad CMS as malformed and a bad anchor as a configuration error, without throwing', () => {
    expect(evaluateSignatures(input('plain', { signature: new Uint8Array([0x30, 0x00]) })).malformed).toMatchObject({ code: 'signature.malformed' });
    const bad = evaluateSignatures(input('plain', { anchors: [{ certificate: pki.certs.signer.der, types: 'any' }] }));
    expect(bad.anchorError).toMatchObject({ code: 'trust.not-ca', message: expect.stringContaining('CN=Test Signer') });
    expect(bad.signers).toEqual([]);
  });

  it('lists unreadable CRLs instead of failing on them', () => {
    const ev = evaluateSignatures(input('plain', { crls: [...pki.defaultCrls(), new Uint8Array([1, 2, 3])] }));
    expect(ev.ignoredCrls).toEqual([expect.stringMatching(/^CRL #4: /)]);
    expect(ev.signers[0]!.revocation.status).toBe('pass');
  });
});

/** Every value is a primitive, a plain object, an array or a Uint8Array: nothing a structured clone would change. */
function assertPlain(v: unknown, where = 'output'): void {
  if (v === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof v)) return;
  if (v instanceof Uint8Array) {
    expect(Object.getPrototypeOf(v), where).toBe(Uint8Array.prototype);
    return;
  }
  expect(typeof v, where).toBe('object');
  const proto = Object.getPrototypeOf(v);
  expect([Object.prototype, Array.prototype].includes(proto), `${where} is a ${proto?.constructor?.name}`).toBe(true);
  for (const [k, x] of Object.entries(v as object)) assertPlain(x, `${where}.${k}`);
}

describe('structured-clone contract (worker-thread readiness)', () => {
  for (const name of ['plain', 'cosigned', 'loop', 'mesh']) {
    it(`${name}: input and output survive structuredClone unchanged`, () => {
      const inp = input(name, { bundleType: 'model-access' });
      const cloned = structuredClone(inp);
      const out: SignatureEvaluation = evaluateSignatures(cloned);
      assertPlain(out);
      expect(structuredClone(out)).toEqual(out);
      expect(evaluateSignatures(inp)).toEqual(out);
    });
  }
});
