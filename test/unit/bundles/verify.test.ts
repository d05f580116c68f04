import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstFailure, type VerificationReport } from '../../../src/shared/verification';
import { verifyBundle, verifyBundleDetailed } from '../../../src/main/services/bundles/verify';
import { makeFixture, type Fixture } from './fixture';
import { makeBundle, metadataFor, sha384, tarBundle } from './helpers';

let fx: Fixture;
beforeAll(() => {
  fx = makeFixture();
});

function check(r: VerificationReport, id: string) {
  return r.checks.find((c) => c.id === id);
}
function failCode(r: VerificationReport) {
  return firstFailure(r)?.code;
}

describe('valid bundles', () => {
  it('accepts a directory bundle made with sha384sum + openssl cms, and openssl agrees', async () => {
    const dir = makeBundle(fx.fresh('ok'), { signers: [{ party: fx.signer, chain: [fx.inter] }] });
    // independent reference (spec §4 command)
    const caf = path.join(fx.work, 'anchors-and-crls.pem');
    const crlPem = fx.crls.map((d) => `-----BEGIN X509 CRL-----\n${Buffer.from(d).toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END X509 CRL-----\n`).join('');
    fs.writeFileSync(caf, fs.readFileSync(fx.root.cert, 'utf8') + crlPem);
    execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'SHA384SUMS.p7s', '-content', 'SHA384SUMS', '-CAfile', caf, '-no-CApath', '-no-CAstore', '-purpose', 'any', '-crl_check_all', '-x509_strict', '-out', '/dev/null'], { cwd: dir, stdio: 'pipe' });

    const { report, metadata, sums } = await verifyBundleDetailed(dir, fx.opts());
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.verdict).toBe('accepted');
    expect(report.checks.map((c) => c.id)).toEqual(['container', 'sums', 'digests', 'signature', 'algorithms', 'chain', 'signer', 'anchor-scope', 'revocation', 'metadata', 'references', 'window', 'audience', 'rollback']);
    expect(check(report, 'rollback')).toMatchObject({ status: 'skip', reason: 'no vault: rollback not checked' });
    expect(report.sumsSha384).toBe(sha384(fs.readFileSync(path.join(dir, 'SHA384SUMS'))));
    expect(report.signers).toHaveLength(1);
    expect(report.signers[0]).toMatchObject({ ok: true, digestAlgorithm: 'SHA-384', signatureAlgorithm: 'ECDSA with SHA-384' });
    expect(report.signers[0]!.certificate.subject).toBe('CN=Test Signer, O=Airlock Test');
    expect(report.signers[0]!.certificate.keyAlgorithm).toBe('ECDSA P-384');
    expect(report.signers[0]!.anchor?.subject).toBe('CN=Test Root, O=Airlock Test');
    expect(report.bundle).toMatchObject({ type: 'model-access', id: 'bundle-1', classification: 'UNCLASSIFIED//FOR TESTING' });
    expect(metadata?.type).toBe('model-access');
    expect(sums?.map((s) => s.path)).toEqual(['bundle.json', 'payload/card.md']);
    expect(report.files.count).toBe(4);
  });

  it('accepts the same bundle as a GNU tar --format=posix archive', async () => {
    const dir = makeBundle(fx.fresh('tar'), { signers: [{ party: fx.signer, chain: [fx.inter] }], files: { 'payload/card.md': 'card', 'payload/a/b/c.bin': Buffer.alloc(5000, 7) } });
    const tar = tarBundle(dir, path.join(fx.work, 'ok.tar'));
    const r = await verifyBundle(tar, fx.opts());
    expect(firstFailure(r)).toBeUndefined();
    expect(r.verdict).toBe('accepted');
    expect(check(r, 'container')?.reason).toMatch(/POSIX tar/);
  });

  it('accepts co-signed bundles (openssl cms -resign) and rejects when one co-signer is untrusted', async () => {
    const sup = fx.pki.issue('Supervisor', fx.inter);
    const dir = makeBundle(fx.fresh('cosign'), { signers: [{ party: fx.signer, chain: [fx.inter] }, { party: sup }] });
    const r = await verifyBundle(dir, fx.opts());
    expect(r.verdict).toBe('accepted');
    expect(r.signers.map((s) => s.certificate.subject).sort()).toEqual(['CN=Supervisor, O=Airlock Test', 'CN=Test Signer, O=Airlock Test']);

    const otherRoot = fx.pki.root('Other Root');
    const rogue = fx.pki.issue('Rogue', otherRoot);
    const dir2 = makeBundle(fx.fresh('cosign-bad'), { signers: [{ party: fx.signer, chain: [fx.inter] }, { party: rogue }] });
    const r2 = await verifyBundle(dir2, fx.opts());
    expect(r2.verdict).toBe('rejected');
    expect(check(r2, 'chain')?.code).toBe('chain.no-anchor');
    expect(check(r2, 'signature')?.status).toBe('pass');
    expect(Object.fromEntries(r2.signers.map((s) => [s.certificate.subject, s.ok]))).toEqual({ 'CN=Test Signer, O=Airlock Test': true, 'CN=Rogue, O=Airlock Test': false });
  });

  it('accepts RSA-3072 PSS signers and reports the clock note', async () => {
    const rsa = fx.pki.issue('RSA Signer', fx.inter, { alg: 'RSA-3072' });
    const dir = makeBundle(fx.fresh('pss'), { signers: [{ party: rsa, chain: [fx.inter], extra: ['-keyopt', 'rsa_padding_mode:pss'] }] });
    const r = await verifyBundle(dir, fx.opts({ clockBehindMs: 90_000 }));
    expect(firstFailure(r)).toBeUndefined();
    expect(r.signers[0]!.signatureAlgorithm).toBe('RSA-PSS with SHA-384');
    expect(check(r, 'clock')).toMatchObject({ status: 'pass' });
    expect(check(r, 'clock')?.reason).toMatch(/90 s behind/);
  });
});

describe('digests and sums', () => {
  it('reports a digest mismatch and still reports the signature result', async () => {
    const dir = makeBundle(fx.fresh('tamper'), { signers: [{ party: fx.signer, chain: [fx.inter] }], afterSign: (d) => fs.appendFileSync(path.join(d, 'payload/card.md'), 'x') });
    const r = await verifyBundle(dir, fx.opts());
    expect(check(r, 'digests')).toMatchObject({ status: 'fail', code: 'digests.mismatch' });
    expect(check(r, 'digests')?.reason).toContain('payload/card.md');
    expect(check(r, 'signature')?.status).toBe('pass');
    expect(check(r, 'chain')?.status).toBe('pass');
    expect(r.verdict).toBe('rejected');
  });

  it('rejects an unlisted file and a missing file', async () => {
    const d1 = makeBundle(fx.fresh('unlisted'), { signers: [{ party: fx.signer, chain: [fx.inter] }], afterSign: (d) => fs.writeFileSync(path.join(d, 'payload/extra.txt'), 'x') });
    expect(check(await verifyBundle(d1, fx.opts()), 'sums')).toMatchObject({ code: 'sums.unlisted-file', detail: { path: 'payload/extra.txt' } });
    const d2 = makeBundle(fx.fresh('missing'), { signers: [{ party: fx.signer, chain: [fx.inter] }], afterSign: (d) => fs.rmSync(path.join(d, 'payload/card.md')) });
    expect(check(await verifyBundle(d2, fx.opts()), 'sums')).toMatchObject({ code: 'sums.missing-file', detail: { path: 'payload/card.md' } });
  });

  it('rejects SHA384SUMS edited after signing on the message digest', async () => {
    const dir = makeBundle(fx.fresh('sums-edit'), {
      signers: [{ party: fx.signer, chain: [fx.inter] }],
      afterSign: (d) => {
        fs.appendFileSync(path.join(d, 'payload/card.md'), 'evil');
        const s = fs.readFileSync(path.join(d, 'SHA384SUMS'), 'utf8').replace(/^[0-9a-f]{96}( {2}payload\/card\.md)$/m, `${sha384(fs.readFileSync(path.join(d, 'payload/card.md')))}$1`);
        fs.writeFileSync(path.join(d, 'SHA384SUMS'), s);
      },
    });
    const r = await verifyBundle(dir, fx.opts());
    expect(check(r, 'digests')?.status).toBe('pass');
    expect(check(r, 'signature')?.code).toBe('signature.message-digest');
  });
});

describe('signature and algorithms', () => {
  it('rejects a signature without signed attributes', async () => {
    const dir = makeBundle(fx.fresh('noattr'), { signers: [{ party: fx.signer, chain: [fx.inter], extra: ['-noattr'] }] });
    expect(check(await verifyBundle(dir, fx.opts()), 'signature')?.code).toBe('signature.no-signed-attributes');
  });
  it('rejects SHA-256 digests', async () => {
    const dir = makeBundle(fx.fresh('sha256'), { signers: [{ party: fx.signer, chain: [fx.inter], md: 'sha256' }] });
    expect(check(await verifyBundle(dir, fx.opts()), 'algorithms')?.code).toBe('algorithms.digest');
  });
  it('rejects a P-256 signer key and an RSA-2048 signer key', async () => {
    const p256 = fx.pki.issue('P256 Signer', fx.inter, { alg: 'P-256' });
    const d1 = makeBundle(fx.fresh('p256'), { signers: [{ party: p256, chain: [fx.inter] }] });
    const r1 = await verifyBundle(d1, fx.opts());
    expect(check(r1, 'algorithms')?.code).toBe('algorithms.key');
    expect(check(r1, 'algorithms')?.reason).toMatch(/P-256/);
    const rsa = fx.pki.issue('RSA2048 Signer', fx.inter, { alg: 'RSA-2048' });
    const d2 = makeBundle(fx.fresh('rsa2048'), { signers: [{ party: rsa, chain: [fx.inter] }] });
    expect(check(await verifyBundle(d2, fx.opts()), 'algorithms')?.code).toBe('algorithms.key');
  });
  it('rejects an intermediate certificate signed with SHA-256', async () => {
    const weak = fx.pki.issue('Weak Inter', fx.root, { ext: 'inter', md: 'sha256' });
    const s = fx.pki.issue('Under Weak', weak);
    const dir = makeBundle(fx.fresh('weakchain'), { signers: [{ party: s, chain: [weak] }] });
    const r = await verifyBundle(dir, fx.opts({ requireCrls: false }));
    expect(check(r, 'algorithms')?.code).toBe('algorithms.digest');
    expect(r.verdict).toBe('rejected');
  });
  it('rejects a garbage signature file and an attached (non-detached) signature', async () => {
    const d1 = makeBundle(fx.fresh('garbage'), { signers: [{ party: fx.signer }], afterSign: (d) => fs.writeFileSync(path.join(d, 'SHA384SUMS.p7s'), 'not der') });
    const r1 = await verifyBundle(d1, fx.opts());
    expect(check(r1, 'signature')?.code).toBe('signature.malformed');
    expect(check(r1, 'chain')?.status).toBe('skip');
    const d2 = makeBundle(fx.fresh('attached'), { signers: [{ party: fx.signer, chain: [fx.inter], extra: ['-nodetach'] }] });
    expect(check(await verifyBundle(d2, fx.opts()), 'signature')?.code).toBe('signature.malformed');
  });
  it('rejects a signature whose signer certificate is left out', async () => {
    const dir = makeBundle(fx.fresh('nocert'), { signers: [{ party: fx.signer, chain: [fx.inter], extra: ['-nocerts'] }] });
    expect(check(await verifyBundle(dir, fx.opts()), 'signature')?.code).toBe('signature.no-signer-cert');
  });
});

describe('chain', () => {
  it('fails without the anchor, and never trusts a root carried in the CMS', async () => {
    const dir = makeBundle(fx.fresh('root-in-cms'), { signers: [{ party: fx.signer, chain: [fx.inter, fx.root] }] });
    const other = fx.pki.root('Unrelated Root');
    const r = await verifyBundle(dir, fx.opts({ anchors: [{ certificate: other.der, types: 'any' }] }));
    expect(check(r, 'chain')?.code).toBe('chain.no-anchor');
    expect(check(r, 'signature')?.status).toBe('pass');
  });
  it('rejects an impostor intermediate with a copied name but a different key', async () => {
    const fakeRoot = fx.pki.root('Test Root'); // same subject as the real anchor, different key
    const imp = fx.pki.issue('Test Intermediate', fakeRoot, { ext: 'inter' });
    const s = fx.pki.issue('Impostor Signer', imp);
    const dir = makeBundle(fx.fresh('impostor'), { signers: [{ party: s, chain: [imp] }] });
    const r = await verifyBundle(dir, fx.opts());
    expect(check(r, 'chain')?.code).toBe('chain.no-anchor');
    expect(r.verdict).toBe('rejected');
  });
  it('checks validity at the verification time', async () => {
    const dir = makeBundle(fx.fresh('times'), { signers: [{ party: fx.signer, chain: [fx.inter] }] });
    const late = await verifyBundle(dir, fx.opts({ at: new Date(Date.now() + 400 * 86400e3), requireCrls: false }));
    expect(check(late, 'chain')?.code).toBe('chain.expired');
    expect(check(late, 'chain')?.reason).toMatch(/Test Signer.*expired at/);
    const early = await verifyBundle(dir, fx.opts({ at: new Date(Date.now() - 86400e3), requireCrls: false }));
    expect(check(early, 'chain')?.code).toBe('chain.not-yet-valid');
  });
  it('rejects a non-CA intermediate, a path length violation, unknown critical extensions', async () => {
    const notCa = fx.pki.issue('NotCA Inter', fx.root, { ext: 'inter_notca' });
    const s1 = fx.pki.issue('Under NotCA', notCa);
    const r1 = await verifyBundle(makeBundle(fx.fresh('notca'), { signers: [{ party: s1, chain: [notCa] }] }), fx.opts({ requireCrls: false }));
    expect(check(r1, 'chain')?.code).toBe('chain.not-ca');

    const plRoot = fx.pki.root('PathLen Root', { ext: 'root_pathlen0' });
    const i1 = fx.pki.issue('PL Inter', plRoot, { ext: 'inter' });
    const s2 = fx.pki.issue('PL Signer', i1);
    const r2 = await verifyBundle(makeBundle(fx.fresh('pathlen'), { signers: [{ party: s2, chain: [i1] }] }), fx.opts({ anchors: [{ certificate: plRoot.der, types: 'any' }], requireCrls: false }));
    expect(check(r2, 'chain')?.code).toBe('chain.path-length');

    const crit = fx.pki.issue('Critical Signer', fx.inter, { ext: 'leaf_critical' });
    const r3 = await verifyBundle(makeBundle(fx.fresh('crit'), { signers: [{ party: crit, chain: [fx.inter] }] }), fx.opts({ requireCrls: false }));
    expect(check(r3, 'chain')?.code).toBe('chain.critical-extension');
  });
  it('rejects a CA signer and a signer without digitalSignature', async () => {
    const ca = fx.pki.issue('CA Signer', fx.inter, { ext: 'leaf_ca' });
    const r1 = await verifyBundle(makeBundle(fx.fresh('casigner'), { signers: [{ party: ca, chain: [fx.inter] }] }), fx.opts({ requireCrls: false }));
    expect(check(r1, 'signer')?.code).toBe('signer.is-ca');
    const ke = fx.pki.issue('KeyEnc Signer', fx.inter, { ext: 'leaf_keyenc' });
    const r2 = await verifyBundle(makeBundle(fx.fresh('keyenc'), { signers: [{ party: ke, chain: [fx.inter] }] }), fx.opts({ requireCrls: false }));
    expect(check(r2, 'signer')?.code).toBe('signer.key-usage');
  });
  it('enforces the anchor scope', async () => {
    const dir = makeBundle(fx.fresh('scope'), { signers: [{ party: fx.signer, chain: [fx.inter] }] });
    const r = await verifyBundle(dir, fx.opts({ anchors: [{ certificate: fx.root.der, types: ['result'], label: 'lab root' }] }));
    expect(check(r, 'anchor-scope')?.code).toBe('anchor-scope.type');
    expect(check(r, 'anchor-scope')?.reason).toMatch(/lab root.*model-access/);
    const ok = await verifyBundle(dir, fx.opts({ anchors: [{ certificate: fx.root.der, types: ['model-access', 'eval-package'] }] }));
    expect(ok.verdict).toBe('accepted');
  });
});

describe('revocation', () => {
  it('fails closed without CRLs unless told otherwise', async () => {
    const dir = makeBundle(fx.fresh('nocrl'), { signers: [{ party: fx.signer, chain: [fx.inter] }] });
    const r = await verifyBundle(dir, fx.opts({ crls: [] }));
    expect(check(r, 'revocation')?.code).toBe('revocation.missing-crl');
    const r2 = await verifyBundle(dir, fx.opts({ crls: [fx.crls[0]!] }));
    expect(check(r2, 'revocation')?.code).toBe('revocation.missing-crl');
    expect(check(r2, 'revocation')?.reason).toMatch(/Test Intermediate/);
    expect((await verifyBundle(dir, fx.opts({ crls: [], requireCrls: false }))).verdict).toBe('accepted');
  });
  it('rejects a revoked signer, a stale CRL and a CRL signed by another key', async () => {
    const victim = fx.pki.issue('Revoked Signer', fx.inter);
    const dir = makeBundle(fx.fresh('revoked'), { signers: [{ party: victim, chain: [fx.inter] }] });
    const newer = fx.pki.crl(fx.inter, { revoke: [victim] });
    const r = await verifyBundle(dir, fx.opts({ crls: [fx.crls[0]!, fx.crls[1]!, newer] }));
    expect(check(r, 'revocation')?.code).toBe('revocation.revoked');

    const good = makeBundle(fx.fresh('stale'), { signers: [{ party: fx.signer, chain: [fx.inter] }] });
    const stale = await verifyBundle(good, fx.opts({ at: new Date(Date.now() + 40 * 86400e3) }));
    expect(check(stale, 'revocation')?.code).toBe('revocation.stale-crl');

    const fakeInter = fx.pki.root('Test Intermediate'); // same name, other key
    const forged = fx.pki.crl(fakeInter);
    const r3 = await verifyBundle(good, fx.opts({ crls: [fx.crls[0]!, forged] }));
    expect(check(r3, 'revocation')?.code).toBe('revocation.bad-crl');
  });
});

describe('metadata, references, window, audience, rollback', () => {
  const mk = (meta: Record<string, unknown> | string, files?: Record<string, string>) =>
    makeBundle(fx.fresh('meta'), { signers: [{ party: fx.signer, chain: [fx.inter] }], metadata: meta, files });

  it('rejects duplicate keys at depth, unknown format, schema errors, BOM', async () => {
    const base = JSON.stringify(metadataFor('model-access'));
    const dup = base.replace('"developer":"Dev"', '"developer":"Dev","developer":"Evil"');
    expect(check(await verifyBundle(mk(dup), fx.opts()), 'metadata')?.code).toBe('metadata.duplicate-key');
    expect(check(await verifyBundle(mk(metadataFor('model-access', { format: 'airlock-bundle/2' })), fx.opts()), 'metadata')?.code).toBe('metadata.format');
    const bad = await verifyBundle(mk(metadataFor('model-access', { sequence: -1 })), fx.opts());
    expect(check(bad, 'metadata')).toMatchObject({ code: 'metadata.schema' });
    expect(check(bad, 'metadata')?.reason).toMatch(/sequence/);
    expect(check(bad, 'window')?.status).toBe('skip');
    expect(check(await verifyBundle(mk('\ufeff' + base), fx.opts()), 'metadata')?.code).toBe('metadata.encoding');
  });
  it('requires referenced paths to be listed', async () => {
    const r = await verifyBundle(mk(metadataFor('eval-package'), { 'payload/other.yaml': 'x' }), fx.opts());
    expect(check(r, 'references')).toMatchObject({ code: 'references.unlisted', detail: { path: 'payload/task.yaml' } });
  });
  it('checks the import window', async () => {
    const r = await verifyBundle(mk(metadataFor('model-access', { notAfter: '2021-01-01T00:00:00Z' })), fx.opts());
    expect(check(r, 'window')?.code).toBe('window.expired');
    const r2 = await verifyBundle(mk(metadataFor('model-access', { notBefore: '2080-01-01T00:00:00Z' })), fx.opts());
    expect(check(r2, 'window')?.code).toBe('window.not-yet-valid');
  });
  it('checks the audience', async () => {
    const dir = mk(metadataFor('model-access', { audience: ['lab-a', 'lab-b'] }));
    const none = await verifyBundle(dir, fx.opts());
    expect(check(none, 'audience')?.code).toBe('audience.excluded');
    expect(check(none, 'audience')?.reason).toMatch(/configure the lab id/);
    expect(check(await verifyBundle(dir, fx.opts({ labId: 'lab-c' })), 'audience')?.code).toBe('audience.excluded');
    expect((await verifyBundle(dir, fx.opts({ labId: 'lab-b' }))).verdict).toBe('accepted');
  });
  it('checks rollback against the series state', async () => {
    const dir = mk(metadataFor('model-access', { sequence: 5 }));
    const sums = sha384(fs.readFileSync(path.join(dir, 'SHA384SUMS')));
    const st = (s: { sequence: number; sumsSha384: string } | undefined) => fx.opts({ seriesState: (series) => (series === 'series-a' ? s : undefined) });
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
    const d1 = makeBundle(fx.fresh('link'), { signers: [{ party: fx.signer }], afterSign: (d) => fs.symlinkSync('/etc/passwd', path.join(d, 'payload/pw')) });
    const r1 = await verifyBundle(d1, fx.opts());
    expect(check(r1, 'container')?.code).toBe('container.link');
    expect(check(r1, 'signature')?.status).toBe('skip');
    const d2 = makeBundle(fx.fresh('badpath'), { signers: [{ party: fx.signer }], afterSign: (d) => fs.writeFileSync(path.join(d, 'payload/CON.txt'), 'x') });
    expect(check(await verifyBundle(d2, fx.opts()), 'container')?.code).toBe('container.path');
    const d3 = makeBundle(fx.fresh('case'), { signers: [{ party: fx.signer }], afterSign: (d) => fs.writeFileSync(path.join(d, 'payload/Card.md'), 'x') });
    expect(check(await verifyBundle(d3, fx.opts()), 'container')?.code).toBe('container.duplicate');
    expect(failCode(await verifyBundle(path.join(fx.work, 'does-not-exist'), fx.opts()))).toBe('io.error');
  });
});
