/**
 * `airlock verify` as officers run it: a separate process (bin/airlock.mjs).
 * The signature side runs in that process (no signature worker), so its work
 * limits are what bound hostile chains: the path-building loop and mesh
 * bundles of the corpus end with their own codes within seconds. Hashing
 * starts before the rest loads (prefetchDigests); the verifier uses those
 * digests only for exactly the files it opened, and still judges them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { hashFiles } from '../../../src/main/services/bundles/hash-pool';
import { prefetchDigests, prefetchKey, type DigestPrefetch } from '../../../src/main/services/bundles/index-prefetch';
import { verifyBundle } from '../../../src/main/services/bundles';
import type { VerificationReport } from '../../../src/shared/verification';
import { CASES, type CaseCtx } from '../../helpers/corpus/cases';
import { buildBundleDir } from '../../helpers/corpus/build';
import { LAB_ID, modelAccessSpec } from '../../helpers/corpus/fixtures';
import { AT, getPki, type TestPki } from '../../helpers/corpus/pki';

const root = path.resolve(__dirname, '../../..');
let pki: TestPki;
let work: string;

beforeAll(async () => {
  pki = await getPki();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'airlock-cli-verify-'));
}, 120_000);
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

function airlockVerify(bundle: string, ...extra: string[]) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [path.join(root, 'bin/airlock.mjs'), 'verify', bundle, '--anchors', pki.caFile, '--at', AT.toISOString(), '--json', ...extra], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, seconds: (Date.now() - t0) / 1000, report: r.stdout ? (JSON.parse(r.stdout) as VerificationReport) : undefined, stderr: r.stderr };
}

async function buildCase(name: string): Promise<string> {
  const c = CASES.find((x) => x.name === name);
  if (!c) throw new Error(`no corpus case "${name}"`);
  const caseWork = fs.mkdtempSync(path.join(work, 'case-'));
  const ctx: CaseCtx = { pki, work: caseWork, base: { ma: '', alt: '' } };
  return c.make(ctx);
}

describe('airlock verify (process)', () => {
  // the first run may build the CLI (bin/airlock.mjs), so it gets its own generous timeout
  it('accepts a valid multi-file bundle (exit 0) with every required check passed', async () => {
    const dir = await buildBundleDir(pki, modelAccessSpec(), path.join(work, 'valid'));
    const r = airlockVerify(dir, '--lab-id', LAB_ID);
    expect(r.stderr.replace(/^(re)?building the airlock CLI.*\n/, '')).toBe('');
    expect(r.status).toBe(0);
    expect(r.report?.verdict).toBe('accepted');
    expect(r.report?.checks.filter((c) => c.required).every((c) => c.status === 'pass')).toBe(true);
  }, 120_000);

  for (const [name, code] of [
    ['chain: two CA names cross-certifying each other 7 times (a loop), nothing trusted', 'chain.no-anchor'],
    ['chain: six CA names all cross-certified (path search too large)', 'chain.search-limit'],
  ] as const) {
    it(`${name}: exit 1 with ${code} in under 5 s`, async () => {
      const bundle = await buildCase(name);
      airlockVerify(bundle); // build the CLI if a source changed, outside the timing
      const r = airlockVerify(bundle);
      expect(r.status).toBe(1);
      expect(r.report?.checks.find((c) => c.id === 'chain')?.code).toBe(code);
      expect(r.seconds).toBeLessThan(5);
    }, 120_000);
  }
});

describe('hashing started before verification (prefetchDigests)', () => {
  it('hashFiles hashes exactly the given byte ranges', async () => {
    const file = path.join(work, 'ranges.bin');
    const bytes = Buffer.alloc(3 << 20);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    fs.writeFileSync(file, bytes);
    const ranges = [
      { offset: 0, size: bytes.length },
      { offset: 512, size: 1 << 20 },
      { offset: 5, size: 0 },
    ];
    const out = await hashFiles(
      // byte ranges of one file, as for tar members (no identity: that is for whole files of a directory bundle)
      ranges.map((r) => ({ file: { path: `r${r.offset}`, file, offset: r.offset, size: r.size } })),
      { concurrency: 2 },
    );
    expect(out).toEqual(ranges.map((r) => ({ sha384: createHash('sha384').update(bytes.subarray(r.offset, r.offset + r.size)).digest('hex') })));
  });

  const opts = () => ({ anchors: pki.anchors(), crls: pki.defaultCrls(), at: AT, labId: LAB_ID });

  it('the verifier uses prefetched digests for the same files, and still judges them against SHA384SUMS', async () => {
    const dir = await buildBundleDir(pki, modelAccessSpec(), path.join(work, 'prefetch-ok'));
    const pre = await prefetchDigests(dir);
    expect(pre?.keys.length).toBe(3); // bundle.json, the credential and the model card
    expect((await verifyBundle(dir, { ...opts(), prefetched: pre! })).verdict).toBe('accepted');
    // A prefetch that claims other digests for exactly these files is used, and the verdict says so.
    const real = await prefetchDigests(dir);
    const forged: DigestPrefetch = { ...real!, outcomes: real!.outcomes.then((o) => o.map(() => ({ sha384: '0'.repeat(96) }))) };
    const r = await verifyBundle(dir, { ...opts(), prefetched: forged });
    expect(r.verdict).toBe('rejected');
    expect(r.checks.find((c) => c.id === 'digests')?.code).toBe('digests.mismatch');
  }, 60_000);

  it('a prefetch of other files is cancelled and the verifier hashes for itself', async () => {
    const dir = await buildBundleDir(pki, modelAccessSpec(), path.join(work, 'prefetch-other'));
    let cancelled = false;
    const stale: DigestPrefetch = {
      source: dir,
      keys: ['not-these-files'],
      outcomes: Promise.resolve([{ sha384: '0'.repeat(96) }]),
      cancel: () => (cancelled = true),
    };
    expect((await verifyBundle(dir, { ...opts(), prefetched: stale })).verdict).toBe('accepted');
    expect(cancelled).toBe(true);
    expect(prefetchKey({ path: 'a', file: '/x', offset: 0, size: 1 })).not.toBe(prefetchKey({ path: 'a', file: '/x', offset: 512, size: 1 }));
  }, 60_000);

  it('gives up quietly on what is not a bundle (the verifier says why)', async () => {
    const file = path.join(work, 'not-a-bundle.bin');
    fs.writeFileSync(file, Buffer.from([0x1f, 0x8b, 8, 0]));
    expect(await prefetchDigests(file)).toBeUndefined();
    expect(await prefetchDigests(path.join(work, 'missing'))).toBeUndefined();
  });
});
