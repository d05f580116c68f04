/**
 * `airlock verify` as officers run it: a separate process (bin/airlock.mjs).
 * The signature side runs in that process (no signature worker), so its work
 * limits are what bound hostile chains: the path-building loop and mesh
 * bundles of the corpus end with their own codes within seconds. The hashing
 * workers are started early (warmHashWorkers) and still hash exactly the
 * listed files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { hashFiles } from '../../../src/main/services/bundles/hash-pool';
import { warmHashWorkers } from '../../../src/main/services/bundles';
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

describe('warmed hashing workers', () => {
  it('are taken by the next hashFiles call, which hashes exactly the given byte ranges', async () => {
    const file = path.join(work, 'ranges.bin');
    const bytes = Buffer.alloc(3 << 20);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    fs.writeFileSync(file, bytes);
    const ranges = [
      { offset: 0, size: bytes.length },
      { offset: 512, size: 1 << 20 },
      { offset: 5, size: 0 },
    ];
    warmHashWorkers(2);
    const out = await hashFiles(
      // byte ranges of one file, as for tar members (no identity: that is for whole files of a directory bundle)
      ranges.map((r) => ({ file: { path: `r${r.offset}`, file, offset: r.offset, size: r.size } })),
      { concurrency: 2 },
    );
    expect(out).toEqual(ranges.map((r) => ({ sha384: createHash('sha384').update(bytes.subarray(r.offset, r.offset + r.size)).digest('hex') })));
  });

  it('a call that needs fewer workers than were warmed still completes (the rest are ended)', async () => {
    const file = path.join(work, 'one.bin');
    fs.writeFileSync(file, 'airlock\n');
    const st = fs.statSync(file);
    warmHashWorkers(3);
    const out = await hashFiles([{ file: { path: 'one', file, offset: 0, size: st.size, ino: st.ino, dev: st.dev } }], {});
    expect(out).toEqual([{ sha384: createHash('sha384').update('airlock\n').digest('hex') }]);
  });
});
