import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstFailure, type VerificationReport } from '../../../src/shared/verification';
import { verifyBundle, verifyBundleDetailed } from '../../../src/main/services/bundles/verify';
import { evaluateSignatures, type SignatureEvaluationInput } from '../../../src/main/services/pki';
import { canonicalJson, opensslVerify, tarBundle } from '../../helpers/corpus/build';
import { evalSpec, minimalSpec } from '../../helpers/corpus/fixtures';
import { AT } from '../../helpers/corpus/pki';
import { makeFixture, type Fixture } from './fixture';

let fx: Fixture;
beforeAll(async () => {
  fx = await makeFixture();
});

const sha384 = (b: Buffer): string => crypto.createHash('sha384').update(b).digest('hex');
const DAY = 86400e3;
const SIGNER = 'CN=Test Signer, O=Airlock Test PKI';

function check(r: VerificationReport, id: string) {
  return r.checks.find((c) => c.id === id);
}
function failCode(r: VerificationReport) {
  return firstFailure(r)?.code;
}

describe('valid bundles', () => {
  it('accepts a directory bundle made with sha384sum + openssl cms, and openssl agrees', async () => {
    const dir = await fx.build('ok', minimalSpec());
    // independent reference (spec §4 command)
    const ref = await opensslVerify(fx.pki, dir, AT);
    expect(ref.cms).toMatchObject({ code: 0 });
    expect(ref.sums).toMatchObject({ code: 0 });

    const { report, metadata, sums } = await verifyBundleDetailed(dir, fx.opts());
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.verdict).toBe('accepted');
    expect(report.checks.map((c) => c.id)).toEqual(['container', 'sums', 'digests', 'signature', 'algorithms', 'chain', 'signer', 'anchor-scope', 'revocation', 'metadata', 'references', 'window', 'audience', 'rollback']);
    expect(check(report, 'rollback')).toMatchObject({ status: 'skip', required: false, reason: expect.stringMatching(/^Not applicable without a vault/) });
    expect(report.sumsSha384).toBe(sha384(fs.readFileSync(path.join(dir, 'SHA384SUMS'))));
    expect(report.signers).toHaveLength(1);
    expect(report.signers[0]).toMatchObject({ ok: true, digestAlgorithm: 'SHA-384', signatureAlgorithm: 'ECDSA with SHA-384' });
    expect(report.signers[0]!.certificate.subject).toBe(SIGNER);
    expect(report.signers[0]!.certificate.keyAlgorithm).toBe('ECDSA P-384');
    expect(report.signers[0]!.anchor?.subject).toBe('CN=Test Clearinghouse Root, O=Airlock Test PKI');
    expect(report.bundle).toMatchObject({ type: 'model-access', id: 'ma-minimal-0001', classification: 'UNCLASSIFIED//FOR TESTING' });
    expect(metadata?.type).toBe('model-access');
    expect(sums?.map((s) => s.path)).toEqual(['bundle.json', 'payload/readme.txt']);
    expect(report.files.count).toBe(4);
  });

  it('accepts the same bundle as a GNU tar --format=posix archive', async () => {
    const dir = await fx.build('tar', minimalSpec({ files: { 'payload/card.md': 'card', 'payload/a/b/c.bin': Buffer.alloc(5000, 7) } }));
    const tar = await tarBundle(dir, path.join(fx.work, 'ok.tar'), { format: 'pax' });
    const r = await verifyBundle(tar, fx.opts());
    expect(firstFailure(r)).toBeUndefined();
    expect(r.verdict).toBe('accepted');
    expect(check(r, 'container')?.reason).toMatch(/POSIX tar/);
  });

  it('accepts co-signed bundles (openssl cms -resign) and rejects when one co-signer is untrusted', async () => {
    const dir = await fx.build('cosign', minimalSpec({ signers: ['signer', 'cosigner'] }));
    const r = await verifyBundle(dir, fx.opts());
    expect(r.verdict).toBe('accepted');
    expect(r.signers.map((s) => s.certificate.subject).sort()).toEqual(['CN=Test Co-Signer, O=Airlock Test PKI', SIGNER]);

    const dir2 = await fx.build('cosign-bad', minimalSpec({ signers: ['signer', 'rogueSigner'] }));
    const r2 = await verifyBundle(dir2, fx.opts());
    expect(r2.verdict).toBe('rejected');
    expect(check(r2, 'chain')?.code).toBe('chain.no-anchor');
    expect(check(r2, 'signature')?.status).toBe('pass');
    expect(Object.fromEntries(r2.signers.map((s) => [s.certificate.subject, s.ok]))).toEqual({ [SIGNER]: true, 'CN=Rogue Signer, O=Airlock Test PKI': false });
  });

  it('accepts RSA-3072 PSS signers and reports the clock note', async () => {
    const dir = await fx.build('pss', minimalSpec({ signers: ['rsa3072'], signArgs: ['-keyopt', 'rsa_padding_mode:pss'] }));
    const r = await verifyBundle(dir, fx.opts({ clockBehindMs: 90_000 }));
    expect(firstFailure(r)).toBeUndefined();
    expect(r.signers[0]!.signatureAlgorithm).toBe('RSA-PSS with SHA-384');
    expect(check(r, 'clock')).toMatchObject({ status: 'pass' });
    expect(check(r, 'clock')?.reason).toMatch(/90 s behind/);
  });
});

describe('digests and sums', () => {
  it('reports a digest mismatch and still reports the signature result', async () => {
    const dir = await fx.build('tamper', minimalSpec({ after: (d) => fs.appendFileSync(path.join(d, 'payload/readme.txt'), 'x') }));
    const r = await verifyBundle(dir, fx.opts());
    expect(check(r, 'digests')).toMatchObject({ status: 'fail', code: 'digests.mismatch' });
    expect(check(r, 'digests')?.reason).toContain('payload/readme.txt');
    expect(check(r, 'signature')?.status).toBe('pass');
    expect(check(r, 'chain')?.status).toBe('pass');
    expect(r.verdict).toBe('rejected');
  });

  it('rejects an unlisted file and a missing file', async () => {
    const d1 = await fx.build('unlisted', minimalSpec({ after: (d) => fs.writeFileSync(path.join(d, 'payload/extra.txt'), 'x') }));
    expect(check(await verifyBundle(d1, fx.opts()), 'sums')).toMatchObject({ code: 'sums.unlisted-file', detail: { path: 'payload/extra.txt' } });
    const d2 = await fx.build('missing', minimalSpec({ after: (d) => fs.rmSync(path.join(d, 'payload/readme.txt')) }));
    expect(check(await verifyBundle(d2, fx.opts()), 'sums')).toMatchObject({ code: 'sums.missing-file', detail: { path: 'payload/readme.txt' } });
  });

  it('rejects SHA384SUMS edited after signing on the message digest', async () => {
    const dir = await fx.build('sums-edit', minimalSpec({
      after: (d) => {
        fs.appendFileSync(path.join(d, 'payload/readme.txt'), 'evil');
        const s = fs.readFileSync(path.join(d, 'SHA384SUMS'), 'utf8').replace(/^[0-9a-f]{96}( {2}payload\/readme\.txt)$/m, `${sha384(fs.readFileSync(path.join(d, 'payload/readme.txt')))}$1`);
        fs.writeFileSync(path.join(d, 'SHA384SUMS'), s);
      },
    }));
    const r = await verifyBundle(dir, fx.opts());
    expect(check(r, 'digests')?.status).toBe('pass');
    expect(check(r, 'signature')?.code).toBe('signature.message-digest');
  });
});

describe('signature and algorithms', () => {
  it('rejects a signature without signed attributes', async () => {
    const dir = await fx.build('noattr', minimalSpec({ noattr: true }));
    expect(check(await verifyBundle(dir, fx.opts()), 'signature')?.code).toBe('signature.no-signed-attributes');
  });
  it('rejects SHA-256 digests', async () => {
    const dir = await fx.build('sha256', minimalSpec({ md: 'sha256' }));
    expect(check(await verifyBundle(dir, fx.opts()), 'algorithms')?.code).toBe('algorithms.digest');
  });
  it('rejects a P-256 signer key and an RSA-2048 signer key', async () => {
    const d1 = await fx.build('p256', minimalSpec({ signers: ['p256'] }));
    const r1 = await verifyBundle(d1, fx.opts());
    expect(check(r1, 'algorithms')?.code).toBe('algorithms.key');
    expect(check(r1, 'algorithms')?.reason).toMatch(/P-256/);
    const d2 = await fx.build('rsa2048', minimalSpec({ signers: ['rsa2048'] }));
    expect(check(await verifyBundle(d2, fx.opts()), 'algorithms')?.code).toBe('algorithms.key');
  });
  it('rejects an intermediate certificate signed with SHA-256', async () => {
    const dir = await fx.build('weakchain', minimalSpec({ signers: ['underWeakInt'] }));
    const r = await verifyBundle(dir, fx.opts({ requireCrls: false }));
    expect(check(r, 'algorithms')?.code).toBe('algorithms.digest');
    expect(r.verdict).toBe('rejected');
  });
  it('rejects a garbage signature file and an attached (non-detached) signature', async () => {
    const d1 = await fx.build('garbage', minimalSpec({ after: (d) => fs.writeFileSync(path.join(d, 'SHA384SUMS.p7s'), 'not der') }));
    const r1 = await verifyBundle(d1, fx.opts());
    expect(check(r1, 'signature')?.code).toBe('signature.malformed');
    expect(check(r1, 'chain')?.status).toBe('skip');
    const d2 = await fx.build('attached', minimalSpec({ nodetach: true }));
    expect(check(await verifyBundle(d2, fx.opts()), 'signature')?.code).toBe('signature.malformed');
  });
  it('rejects a signature whose signer certificate is left out', async () => {
    const dir = await fx.build('nocert', minimalSpec({ signArgs: ['-nocerts'] }));
    expect(check(await verifyBundle(dir, fx.opts()), 'signature')?.code).toBe('signature.no-signer-cert');
  });
});

describe('chain', () => {
  it('fails without the anchor, and never trusts a root carried in the CMS', async () => {
    const dir = await fx.build('root-in-cms', minimalSpec({ certfile: ['int', 'root'] }));
    const r = await verifyBundle(dir, fx.opts({ anchors: [{ certificate: fx.pki.certs.rogueRoot.der, types: 'any' }] }));
    expect(check(r, 'chain')?.code).toBe('chain.no-anchor');
    expect(check(r, 'signature')?.status).toBe('pass');
  });
  it('rejects an impostor intermediate with a copied name but a different key', async () => {
    // impostorInt: the real intermediate's name under fakeRoot (the real root's name), other keys
    const dir = await fx.build('impostor', minimalSpec({ signers: ['impostorSigner'] }));
    const r = await verifyBundle(dir, fx.opts());
    expect(check(r, 'chain')?.code).toBe('chain.no-anchor');
    expect(r.verdict).toBe('rejected');
  });
  it('checks validity at the verification time', async () => {
    const dir = await fx.build('times', minimalSpec());
    const late = await verifyBundle(dir, fx.opts({ at: new Date(AT.getTime() + 400 * DAY), requireCrls: false }));
    expect(check(late, 'chain')?.code).toBe('chain.expired');
    expect(check(late, 'chain')?.reason).toMatch(/Test Signer.*expired at/);
    const early = await verifyBundle(dir, fx.opts({ at: new Date(AT.getTime() - 400 * DAY), requireCrls: false }));
    expect(check(early, 'chain')?.code).toBe('chain.not-yet-valid');
  });
  it('rejects a non-CA intermediate, a path length violation, unknown critical extensions', async () => {
    const r1 = await verifyBundle(await fx.build('notca', minimalSpec({ signers: ['underLeaf'], certfile: ['leafAsCa', 'int'] })), fx.opts({ requireCrls: false }));
    expect(check(r1, 'chain')?.code).toBe('chain.not-ca');

    // int has pathlen:0, so subInt below it is a violation
    const r2 = await verifyBundle(await fx.build('pathlen', minimalSpec({ signers: ['subSigner'], certfile: ['subInt', 'int'] })), fx.opts({ requireCrls: false }));
    expect(check(r2, 'chain')?.code).toBe('chain.path-length');

    const r3 = await verifyBundle(await fx.build('crit', minimalSpec({ signers: ['critExt'] })), fx.opts({ requireCrls: false }));
    expect(check(r3, 'chain')?.code).toBe('chain.critical-extension');
  });
  it('rejects a CA signer and a signer without digitalSignature', async () => {
    const r1 = await verifyBundle(await fx.build('casigner', minimalSpec({ signers: ['caSigner'] })), fx.opts({ requireCrls: false }));
    expect(check(r1, 'signer')?.code).toBe('signer.is-ca');
    const r2 = await verifyBundle(await fx.build('keyenc', minimalSpec({ signers: ['keyEncSigner'] })), fx.opts({ requireCrls: false }));
    expect(check(r2, 'signer')?.code).toBe('signer.key-usage');
  });
  it('enforces the anchor scope', async () => {
    const dir = await fx.build('scope', minimalSpec());
    const r = await verifyBundle(dir, fx.opts({ anchors: [{ certificate: fx.pki.certs.root.der, types: ['result'], label: 'lab root' }] }));
    expect(check(r, 'anchor-scope')?.code).toBe('anchor-scope.type');
    expect(check(r, 'anchor-scope')?.reason).toMatch(/lab root.*model-access/);
    const ok = await verifyBundle(dir, fx.opts({ anchors: [{ certificate: fx.pki.certs.root.der, types: ['model-access', 'eval-package'] }] }));
    expect(ok.verdict).toBe('accepted');
  });
});

describe('revocation', () => {
  it('fails closed without CRLs unless told otherwise', async () => {
    const dir = await fx.build('nocrl', minimalSpec());
    const r = await verifyBundle(dir, fx.opts({ crls: [] }));
    expect(check(r, 'revocation')?.code).toBe('revocation.missing-crl');
    const r2 = await verifyBundle(dir, fx.opts({ crls: fx.pki.crlsDer('root') }));
    expect(check(r2, 'revocation')?.code).toBe('revocation.missing-crl');
    expect(check(r2, 'revocation')?.reason).toMatch(/Test Clearinghouse Intermediate/);
    expect((await verifyBundle(dir, fx.opts({ crls: [], requireCrls: false }))).verdict).toBe('accepted');
  });
  it('rejects a revoked signer, a stale CRL and a CRL signed by another key', async () => {
    // the int CRL revokes `revoked`
    const dir = await fx.build('revoked', minimalSpec({ signers: ['revoked'] }));
    const r = await verifyBundle(dir, fx.opts());
    expect(check(r, 'revocation')?.code).toBe('revocation.revoked');

    const good = await fx.build('stale', minimalSpec());
    // current CRLs' nextUpdate is 2027-06-01
    const stale = await verifyBundle(good, fx.opts({ at: new Date('2027-07-01T00:00:00Z') }));
    expect(check(stale, 'revocation')?.code).toBe('revocation.stale-crl');

    // the root's name, signed by the impostor key
    const r3 = await verifyBundle(good, fx.opts({ crls: fx.pki.crlsDer('fakeRootAsRoot', 'int') }));
    expect(check(r3, 'revocation')?.code).toBe('revocation.bad-crl');
  });
});

describe('metadata, references, window, audience, rollback', () => {
  const mk = (meta: Record<string, unknown> | string) =>
    fx.build('meta', typeof meta === 'string' ? minimalSpec({ metadata: { raw: meta } }) : minimalSpec({}, meta));
  const metaOf = (meta: Record<string, unknown> = {}) => minimalSpec({}, meta).metadata as Record<string, unknown>;

  it('rejects duplicate keys at depth, unknown format, schema errors, BOM', async () => {
    const base = canonicalJson(metaOf());
    const dup = base.replace('"developer":"Acme AI (test)"', '"developer":"Acme AI (test)","developer":"Evil"');
    expect(dup).not.toBe(base);
    expect(check(await verifyBundle(await mk(dup), fx.opts()), 'metadata')?.code).toBe('metadata.duplicate-key');
    expect(check(await verifyBundle(await mk({ format: 'airlock-bundle/2' }), fx.opts()), 'metadata')?.code).toBe('metadata.format');
    const bad = await verifyBundle(await mk({ sequence: -1 }), fx.opts());
    expect(check(bad, 'metadata')).toMatchObject({ code: 'metadata.schema' });
    expect(check(bad, 'metadata')?.reason).toMatch(/sequence/);
    expect(check(bad, 'window')?.status).toBe('skip');
    expect(check(await verifyBundle(await mk('\ufeff' + base), fx.opts()), 'metadata')?.code).toBe('metadata.encoding');
  });
  it('requires referenced paths to be listed', async () => {
    const r = await verifyBundle(await fx.build('meta', evalSpec({ files: { 'payload/other.yaml': 'x' } })), fx.opts());
    expect(check(r, 'references')).toMatchObject({ code: 'references.unlisted', detail: { path: 'tasks/ctf-crypto-basics/eval.yaml' } });
  });
  it('checks the import window', async () => {
    // window is 2026-06-01 .. 2027-06-01 by default, AT 2027-01-01
    const r = await verifyBundle(await mk({ notAfter: '2026-12-01T00:00:00Z' }), fx.opts());
    expect(check(r, 'window')?.code).toBe('window.expired');
    const r2 = await verifyBundle(await mk({ notBefore: '2027-02-01T00:00:00Z' }), fx.opts());
    expect(check(r2, 'window')?.code).toBe('window.not-yet-valid');
  });
  it('checks the audience', async () => {
    const dir = await mk({ audience: ['lab-a', 'lab-b'] });
    const none = await verifyBundle(dir, fx.opts({ labId: undefined }));
    expect(check(none, 'audience')?.code).toBe('audience.excluded');
    expect(check(none, 'audience')?.reason).toMatch(/configure the lab id/);
    expect(check(await verifyBundle(dir, fx.opts({ labId: 'lab-c' })), 'audience')?.code).toBe('audience.excluded');
    expect((await verifyBundle(dir, fx.opts({ labId: 'lab-b' }))).verdict).toBe('accepted');
  });
  it('checks rollback against the series state', async () => {
    const dir = await mk({ sequence: 5 });
    const sums = sha384(fs.readFileSync(path.join(dir, 'SHA384SUMS')));
    const st = (s: { sequence: number; sumsSha384: string } | undefined) => fx.opts({ seriesState: (series) => (series === 'minimal' ? s : undefined) });
    expect(check(await verifyBundle(dir, st({ sequence: 6, sumsSha384: sums })), 'rollback')?.code).toBe('rollback.lower-sequence');
    expect(check(await verifyBundle(dir, st({ sequence: 5, sumsSha384: 'f'.repeat(96) })), 'rollback')?.code).toBe('rollback.equivocation');
    const same = await verifyBundle(dir, st({ sequence: 5, sumsSha384: sums }));
    expect(check(same, 'rollback')).toMatchObject({ status: 'pass' });
    expect(check(same, 'rollback')?.reason).toMatch(/already imported/);
    expect(check(await verifyBundle(dir, st(undefined)), 'rollback')?.status).toBe('pass');
    expect(check(await verifyBundle(dir, st({ sequence: 4, sumsSha384: 'f'.repeat(96) })), 'rollback')?.status).toBe('pass');
  });
});

describe('container (directory form)', () => {
  it('rejects symlinks, bad paths and case-insensitive duplicates', async () => {
    const d1 = await fx.build('link', minimalSpec({ after: (d) => fs.symlinkSync('/etc/passwd', path.join(d, 'payload/pw')) }));
    const r1 = await verifyBundle(d1, fx.opts());
    expect(check(r1, 'container')?.code).toBe('container.link');
    expect(check(r1, 'signature')?.status).toBe('skip');
    const d2 = await fx.build('badpath', minimalSpec({ after: (d) => fs.writeFileSync(path.join(d, 'payload/CON.txt'), 'x') }));
    expect(check(await verifyBundle(d2, fx.opts()), 'container')?.code).toBe('container.path');
    const d3 = await fx.build('case', minimalSpec({ after: (d) => fs.writeFileSync(path.join(d, 'payload/Readme.txt'), 'x') }));
    expect(check(await verifyBundle(d3, fx.opts()), 'container')?.code).toBe('container.duplicate');
    expect(failCode(await verifyBundle(path.join(fx.work, 'does-not-exist'), fx.opts()))).toBe('io.error');
  });
});

describe('fail closed by construction', () => {
  const REQUIRED = ['container', 'sums', 'digests', 'signature', 'algorithms', 'chain', 'signer', 'anchor-scope', 'revocation', 'metadata', 'references', 'window', 'audience'];

  it('marks every check required except clock, and rollback without a vault', async () => {
    const dir = await fx.build('required', minimalSpec());
    const r = await verifyBundle(dir, fx.opts({ clockBehindMs: 5000 }));
    expect(r.verdict).toBe('accepted');
    expect(r.checks.filter((c) => c.required).map((c) => c.id)).toEqual(REQUIRED);
    expect(check(r, 'clock')).toMatchObject({ status: 'pass', required: false });
    expect(check(r, 'rollback')).toMatchObject({ status: 'skip', required: false });
    const withVault = await verifyBundle(dir, fx.opts({ seriesState: () => undefined }));
    expect(check(withVault, 'rollback')).toMatchObject({ status: 'pass', required: true });
  });

  it('rejects when a required check was skipped, though nothing failed', async () => {
    const dir = await fx.build('skipped', minimalSpec());
    // an evaluator (e.g. a worker that lost part of its answer) that reports revocation as not checked
    const r = await verifyBundle(
      dir,
      fx.opts({
        evaluateSignatures: (input) => {
          const ev = evaluateSignatures(input);
          ev.signers[0]!.revocation = { status: 'skip', reason: 'Not checked: test double.' };
          return ev;
        },
      }),
    );
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(check(r, 'revocation')).toMatchObject({ status: 'skip', required: true, reason: 'Not checked: test double.' });
    expect(r.verdict).toBe('rejected');
    expect(r.signers[0]!.ok).toBe(false);
  });

  it('rejects when an evaluator returns no signers at all', async () => {
    const dir = await fx.build('nosigners', minimalSpec());
    const r = await verifyBundle(dir, fx.opts({ evaluateSignatures: () => ({ signers: [], ignoredCrls: [], work: { signatureChecks: 0, signatureMemoHits: 0, candidatePaths: 0, completePaths: 0, policyNodes: 0 } }) }));
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(['algorithms', 'chain', 'signer', 'revocation'].map((id) => check(r, id)?.status)).toEqual(['skip', 'skip', 'skip', 'skip']);
    expect(r.verdict).toBe('rejected');
  });

  it('hands the evaluator structured-clone-safe input with the bundle type, and awaits an async one', async () => {
    const dir = await fx.build('async-eval', evalSpec());
    const seen: SignatureEvaluationInput[] = [];
    const r = await verifyBundle(
      dir,
      fx.opts({
        evaluateSignatures: async (input) => {
          seen.push(input);
          await new Promise((res) => setTimeout(res, 10));
          return evaluateSignatures(structuredClone(input));
        },
      }),
    );
    expect(r.verdict).toBe('accepted');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.bundleType).toBe('eval-package');
    expect(seen[0]!.at).toBe(AT.toISOString());
    expect(structuredClone(seen[0])).toEqual(seen[0]);
    for (const b of [seen[0]!.signature, seen[0]!.content, ...seen[0]!.crls, ...seen[0]!.anchors.map((a) => a.certificate)]) expect(Object.getPrototypeOf(b)).toBe(Uint8Array.prototype);
  });

  it('refuses an anchor that is not a root before reading the bundle (the caller\'s configuration, not a verdict)', async () => {
    const dir = await fx.build('leaf-anchor', minimalSpec());
    await expect(verifyBundle(dir, fx.opts({ anchors: [{ certificate: fx.pki.certs.signer.der, types: 'any' }] }))).rejects.toMatchObject({ code: 'trust.not-ca' });
    await expect(verifyBundle(dir, fx.opts({ anchors: [{ certificate: fx.pki.certs.int.der, types: 'any' }] }))).rejects.toMatchObject({ code: 'trust.not-self-signed' });
  });

  it('returns the CA certificates of the validated paths of an accepted bundle', async () => {
    const dir = await fx.build('chain-certs', minimalSpec({ signers: ['signer', 'cosigner'], certfile: ['int', 'rogueInt'] }));
    const { report, chainCertificates } = await verifyBundleDetailed(dir, fx.opts());
    expect(report.verdict).toBe('accepted');
    expect(chainCertificates?.map((d) => Buffer.from(d).toString('hex'))).toEqual([Buffer.from(fx.pki.certs.int.der).toString('hex')]);
  });
});
