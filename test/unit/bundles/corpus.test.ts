/**
 * The adversarial corpus (test/helpers/corpus/cases.ts) against the bundle
 * verifier: every case built once with stock openssl / sha384sum / GNU tar
 * (or the raw tar crafter) from one shared test PKI, then verified at the
 * fixed time AT. Valid bundles are also checked with stock openssl and
 * sha384sum, the interoperability proof of spec §4.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstFailure } from '../../../src/shared/verification';
import { isAirlockError } from '../../../src/shared/errors';
import { buildBases, CASES, defaultOptions, type CaseCtx } from '../../helpers/corpus/cases';
import { opensslVerify } from '../../helpers/corpus/build';
import { pool, run } from '../../helpers/corpus/exec';
import { AT, disposePki, getPki, type TestPki } from '../../helpers/corpus/pki';
import { explain, loadVerifier, type VerifyBundle } from '../../helpers/corpus/verifier';

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
    const label = c.expect === 'accepted' ? 'accepted' : c.expect;
    it(`${c.group} | ${c.name} -> ${label}`, async (t) => {
      if (!verifyBundle) t.skip();
      const { src, ctx } = sources.get(c.name)!;
      const opts = { ...defaultOptions(pki), ...c.opts?.(ctx, src) };
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
        expect(report.sumsSha384, why).toMatch(/^[0-9a-f]{96}$/);
        return;
      }
      expect(report.verdict, why).toBe('rejected');
      const failed = report.checks.filter((x) => x.status === 'fail');
      const first = firstFailure(report);
      if (c.among) expect(failed.map((x) => x.code), why).toContain(c.expect);
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
