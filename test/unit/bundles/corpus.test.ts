/**
 * The adversarial corpus (test/helpers/corpus/cases.ts) against the bundle
 * verifier: every case built once with stock openssl / sha384sum / GNU tar
 * (or the raw tar crafter) from one shared test PKI, then verified at the
 * fixed time AT. Valid bundles are also checked with stock openssl and
 * sha384sum, the interoperability proof of spec §4.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstFailure } from '../../../src/shared/verification';
import { isAirlockError } from '../../../src/shared/errors';
import { buildBases, CASES, defaultOptions, type CaseCtx } from '../../helpers/corpus/cases';
import { canonicalJson, opensslVerify } from '../../helpers/corpus/build';
import { pool, run } from '../../helpers/corpus/exec';
import { AT, disposePki, getPki, type TestPki } from '../../helpers/corpus/pki';
import { explain, loadVerifier, type VerifyBundle } from '../../helpers/corpus/verifier';

/** Every check group a verifier must pass for an accepted bundle (spec §7); rollback only with a vault's series state. */
const REQUIRED = ['container', 'sums', 'digests', 'signature', 'algorithms', 'chain', 'signer', 'anchor-scope', 'revocation', 'metadata', 'references', 'window', 'audience', 'rollback'];

let pki: TestPki;
let root: string;
let base: CaseCtx['base'];
let verifyBundle: VerifyBundle | undefined;
let loadError: string | undefined;
const sources = new Map<string, { src: string; ctx: CaseCtx }>();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'airlock-corpus-'));
  pki = await getPki();
  base = await buildBases(pki, root);
  await pool(
    CASES.map((c, i) => ({ c, i })),
    2,
    async ({ c, i }) => {
      const work = join(root, `case-${String(i).padStart(3, '0')}`);
      mkdirSync(work);
      const ctx = { pki, work, base };
      sources.set(c.name, { src: await c.make(ctx), ctx });
    },
  );
  ({ verifyBundle, error: loadError } = await loadVerifier());
}, 180_000);

afterAll(async () => {
  if (root && !process.env.AIRLOCK_KEEP_CORPUS) rmSync(root, { recursive: true, force: true });
  else if (root) console.log(`corpus kept in ${root}`);
  await disposePki();
});

describe('bundle corpus', () => {
  it('has unique case names', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it('the verifier module loads', () => {
    expect(loadError).toBeUndefined();
  });

  for (const c of CASES) {
    const label = typeof c.expect === 'object' ? `refused: ${c.expect.error}` : c.expect;
    it(`${c.group} | ${c.name} -> ${label}`, async (t) => {
      if (!verifyBundle) t.skip();
      const { src, ctx } = sources.get(c.name)!;
      const opts = { ...defaultOptions(pki), ...c.opts?.(ctx, src) };
      if (typeof c.expect === 'object') {
        // a configuration the verifier refuses (an anchor that is not a root): an AirlockError naming it, no report
        const err = await verifyBundle!(src, opts).then(
          (r) => new Error(`expected ${c.expect && JSON.stringify(c.expect)}, got a report:\n${explain(r)}`),
          (e: unknown) => e,
        );
        expect(isAirlockError(err) ? err.code : String(err)).toBe(c.expect.error);
        if (c.mentions) expect((err as Error).message).toContain(c.mentions);
        return;
      }
      let report;
      try {
        report = await verifyBundle!(src, opts);
      } catch (e) {
        // A hostile bundle must give a rejected report, not an exception.
        throw new Error(`verifyBundle threw${isAirlockError(e) ? ` AirlockError ${e.code}` : ''}: ${(e as Error).stack}`);
      }
      const why = `\n${c.name}\n${explain(report)}`;
      if (c.expect === 'accepted') {
        expect(firstFailure(report), why).toBeUndefined();
        expect(report.verdict, why).toBe('accepted');
        // fail closed: every required check ran and passed (clock and, without a vault, rollback are not required)
        const required = report.checks.filter((x) => x.required);
        expect(required.map((x) => x.id).sort(), why).toEqual(REQUIRED.filter((id) => id !== 'rollback' || opts.seriesState).sort());
        for (const x of required) expect(x.status, `${x.id}${why}`).toBe('pass');
        expect(report.sumsSha384, why).toMatch(/^[0-9a-f]{96}$/);
        return;
      }
      expect(report.verdict, why).toBe('rejected');
      const failed = report.checks.filter((x) => x.status === 'fail');
      const first = firstFailure(report);
      if (c.expect === 'rejected') expect(first?.code, why).toBeTruthy();
      else if (c.among) expect(failed.map((x) => x.code), why).toContain(c.expect);
      else expect([c.expect, ...(c.alt ?? [])], why).toContain(first?.code);
      const relevant = failed.find((x) => x.code === c.expect) ?? first!;
      expect(relevant.reason.trim().length, why).toBeGreaterThan(10);
      if (c.mentions) expect(relevant.reason, why).toContain(c.mentions);
      if (c.detail) expect(relevant.detail, why).toMatchObject(c.detail);
    });
  }
});

describe('interoperability: stock openssl cms -verify and sha384sum -c accept every valid bundle', () => {
  for (const c of CASES.filter((x) => x.interop)) {
    it(c.name, async () => {
      let { src } = sources.get(c.name)!;
      if (!statSync(src).isDirectory()) {
        const out = `${src}.x`;
        mkdirSync(out);
        await run('tar', ['-xf', src, '-C', out]);
        src = out;
      }
      const r = await opensslVerify(pki, src, AT);
      expect(r.cms.code, r.cms.stderr).toBe(0);
      expect(r.sums.code, r.sums.stderr).toBe(0);
    });
  }

  // The same tool rejects the trust failures it can see (the app must see more).
  const opensslRejects = [
    'revocation: revoked signer',
    'chain: expired signer',
    'chain: impostor intermediate (same name as the real one, other key) under a fake root with the real root\'s name',
    'chain: root only inside the CMS (never installed)',
    'chain: unknown critical extension on the signer',
    'signature: replayed from another bundle',
    'chain: two CA names cross-certifying each other 7 times (a loop), nothing trusted',
    'chain: six CA names all cross-certified (path search too large)',
  ];
  for (const name of opensslRejects) {
    it(`openssl also rejects: ${name}`, async () => {
      const entry = sources.get(name);
      expect(entry, name).toBeDefined();
      const out = `${entry!.src}.x`;
      mkdirSync(out, { recursive: true });
      await run('tar', ['-xf', entry!.src, '-C', out]);
      const r = await opensslVerify(pki, out, AT);
      expect(r.cms.code).not.toBe(0);
    });
  }
});

// The spec's openssl command does not process certificate policies; with -policy_check and the initial
// policy set {anyPolicy} (spec §4) openssl is an independent check of the RFC 5280 policy tree.
describe('certificate policies: openssl -policy_check -policy anyPolicy agrees', () => {
  const POLICY_ARGS = ['-policy_check', '-policy', '2.5.29.32.0'];
  for (const [name, accepted] of [
    ['valid: certificate policies with a mapping (p1 to p2) under requireExplicitPolicy', true],
    ['chain: requireExplicitPolicy, and the signer asserts only a policy nobody accepted', false],
  ] as const) {
    it(`${accepted ? 'accepts' : 'rejects'}: ${name}`, async () => {
      const entry = sources.get(name);
      expect(entry, name).toBeDefined();
      const out = `${entry!.src}.policy`;
      mkdirSync(out, { recursive: true });
      await run('tar', ['-xf', entry!.src, '-C', out]);
      const r = await opensslVerify(pki, out, AT, pki.caFile, POLICY_ARGS);
      if (accepted) expect(r.cms.code, r.cms.stderr).toBe(0);
      else {
        expect(r.cms.code).not.toBe(0);
        expect(r.cms.stderr).toMatch(/no explicit policy/);
      }
    });
  }
});

// Demo content made by scripts/make-demo-bundles.sh (stock openssl/sha384sum/tar).
describe('demo content (resources/demo)', () => {
  const demo = join(__dirname, '../../../resources/demo');
  const bundles = ['demo-model-access.tar', 'demo-eval-package.tar'];
  const now = new Date();

  for (const b of bundles) {
    it(`${b} is accepted with the demo anchors and CRLs`, async (t) => {
      if (!verifyBundle) t.skip();
      const report = await verifyBundle!(join(demo, 'bundles', b), {
        anchors: [
          { certificate: readFileSync(join(demo, 'anchors/clearinghouse-root.der')), types: ['model-access', 'eval-package'] },
          { certificate: readFileSync(join(demo, 'anchors/lab-root.der')), types: ['result'] },
        ],
        crls: ['root', 'intermediate', 'lab-root'].map((c) => readFileSync(join(demo, `crl/${c}.crl`))),
        at: now,
      });
      expect(report.verdict, explain(report)).toBe('accepted');
      expect(report.bundle?.classification).toBe('UNCLASSIFIED//DEMO');
    });

    it(`${b} verifies with stock openssl + sha384sum, and is canonical and well-formed`, async () => {
      const out = mkdtempSync(join(tmpdir(), 'airlock-demo-'));
      try {
        await run('tar', ['-xf', join(demo, 'bundles', b), '-C', out]);
        const r = await opensslVerify(pki, out, now, join(demo, 'anchors-and-crls.pem'));
        expect(r.cms.code, r.cms.stderr).toBe(0);
        expect(r.sums.code, r.sums.stderr).toBe(0);
        const raw = readFileSync(join(out, 'bundle.json'), 'utf8');
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- shape asserted field by field below
        const meta = JSON.parse(raw) as Record<string, any>;
        expect(canonicalJson(meta)).toBe(raw);
        expect(meta.classification).toBe('UNCLASSIFIED//DEMO');
        if (meta.type === 'model-access') {
          expect(meta.model.access.baseUrl).toBe('http://127.0.0.1:8787/v1');
          const dec = await run('openssl', ['cms', '-decrypt', '-binary', '-inform', 'DER', '-in', join(out, meta.model.access.credential),
            '-recip', join(demo, 'pki/lab.pem'), '-inkey', join(demo, 'pki/lab.key')]);
          expect(JSON.parse(dec.stdout.toString('utf8'))).toEqual({ apiKey: 'demo-key-not-secret' });
        } else {
          expect(meta.package.tasks).toHaveLength(2);
          for (const task of meta.package.tasks as string[]) {
            const y = parseYaml(readFileSync(join(out, task), 'utf8')) as Record<string, unknown>;
            expect(y).toMatchObject({ name: expect.any(String), dataset: 'dataset.jsonl', epochs: 1 });
            const lines = readFileSync(join(out, dirname(task), y.dataset as string), 'utf8').trim().split('\n');
            for (const l of lines) expect(JSON.parse(l)).toMatchObject({ id: expect.any(String), input: expect.any(String), target: expect.any(String) });
          }
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  }

  it('the demo root says what it is', async () => {
    const s = await run('openssl', ['x509', '-in', join(demo, 'anchors/clearinghouse-root.pem'), '-noout', '-subject', '-nameopt', 'utf8']);
    expect(s.stdout.toString('utf8')).toContain('DEMO Airlock Clearinghouse Root — NOT FOR OPERATIONAL USE');
  });
});
