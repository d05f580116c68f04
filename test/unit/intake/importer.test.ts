import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntakeCatalog } from '../../../src/main/services/intake/catalog';
import { BundleImporter } from '../../../src/main/services/intake/importer';
import { TrustStore } from '../../../src/main/services/trust/trust-store';
import { buildBundleDir, tarBundle, type BuildSpec } from '../../helpers/corpus/build';
import { evalSpec, minimalSpec, modelAccessSpec, DATASET_JSONL } from '../../helpers/corpus/fixtures';
import { getPki, type TestPki } from '../../helpers/corpus/pki';
import { auditActions, count, installTrust, makeVault, tempDir, tmpFiles, type TestVault } from './helpers';

let pki: TestPki;
let work: string;
let n = 0;
beforeAll(async () => {
  pki = await getPki();
  work = tempDir('airlock-intake-bundles-');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function bundleDir(spec: BuildSpec): Promise<string> {
  return buildBundleDir(pki, spec, path.join(work, `b${++n}`));
}
async function bundleTar(spec: BuildSpec): Promise<{ dir: string; tar: string }> {
  const dir = await bundleDir(spec);
  return { dir, tar: await tarBundle(dir, path.join(work, `b${n}.tar`)) };
}

/** Everything an import could leave behind, to compare before/after. */
function footprint(tv: TestVault) {
  return {
    bundles: count(tv.vault, 'bundles'),
    files: count(tv.vault, 'bundle_files'),
    blobs: count(tv.vault, 'blobs'),
    engagements: count(tv.vault, 'engagements'),
    tasks: count(tv.vault, 'eval_tasks'),
    samples: count(tv.vault, 'eval_samples'),
    pending: count(tv.vault, 'intake_pending'),
    blobFiles: fs.readdirSync(path.join(tv.dir, 'blobs'), { recursive: true }).filter((f) => String(f).length > 3).length,
    tmp: tmpFiles(tv.dir).length,
  };
}

describe('BundleImporter', () => {
  let tv: TestVault;
  let trust: TrustStore;
  let importer: BundleImporter;
  let catalog: IntakeCatalog;
  beforeAll(async () => {
    tv = await makeVault();
    trust = new TrustStore(tv.vault);
    installTrust(trust, pki);
    importer = new BundleImporter(tv.vault, trust);
    catalog = new IntakeCatalog(tv.vault);
  });
  afterAll(() => tv.cleanup());

  it('imports a model-access tar: engagement row, files byte-identical in the vault, audited', async () => {
    const { dir, tar } = await bundleTar(modelAccessSpec());
    const r = await importer.import(tar, { concurrency: 1 });
    expect(r.report?.verdict, JSON.stringify(r.report?.checks.filter((c) => c.status === 'fail'))).toBe('accepted');
    expect(r.outcome).toBe('imported');
    const files = catalog.files(r.importId);
    expect(files.map((f) => f.path)).toEqual(['SHA384SUMS', 'SHA384SUMS.p7s', 'bundle.json', 'payload/credential.p7m', 'payload/model-card.md']);
    for (const f of files) {
      const onDisk = fs.readFileSync(path.join(dir, f.path));
      expect((await tv.vault.blobs.readAll(f.sha384)).equals(onDisk), f.path).toBe(true);
      expect(f.size).toBe(onDisk.length);
    }
    const [e] = catalog.engagements();
    expect(e).toMatchObject({
      importId: r.importId,
      developer: 'Acme AI (test)',
      modelName: 'frontier-x',
      modelVersion: '2026-12-rc1',
      windowStart: '2026-12-15T00:00:00Z',
      windowEnd: '2027-01-14T00:00:00Z',
      accessKind: 'endpoint',
      baseUrl: 'http://127.0.0.1:8787/v1',
      model: 'frontier-x',
      credentialSha384: files.find((f) => f.path === 'payload/credential.p7m')!.sha384,
      cardSha384: files.find((f) => f.path === 'payload/model-card.md')!.sha384,
    });
    // The credential stays the CMS blob as received (never decrypted at import).
    expect((await tv.vault.blobs.readAll(e!.credentialSha384!)).includes(Buffer.from('test-key-not-secret'))).toBe(false);
    const list = catalog.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ verdict: 'accepted', bundleId: 'ma-frontier-x-0003', series: 'acme-frontier-x', sequence: 3, sumsSha384: r.report!.sumsSha384, fileCount: 5 });
    expect(catalog.report(r.importId).verdict).toBe('accepted');
    const actions = auditActions(tv.vault);
    expect(actions.slice(-2)).toEqual(['bundle.verified', 'bundle.accepted']);
    expect(tv.vault.audit.list({ limit: 1 })[0]!.detail).toMatchObject({ importId: r.importId, series: 'acme-frontier-x', sequence: 3, sumsSha384: r.report!.sumsSha384 });
    // The signature's intermediate is now known to the trust store.
    expect(trust.list().intermediates.map((i) => i.subject)).toEqual(['CN=Test Clearinghouse Intermediate, O=Airlock Test PKI']);
    expect(footprint(tv)).toMatchObject({ tmp: 0, pending: 0 });
  });

  it('re-importing the same bundle is a no-op', async () => {
    const before = footprint(tv);
    const dirBundle = path.join(work, 'b1');
    const r = await importer.import(dirBundle);
    expect(r.outcome).toBe('already-imported');
    expect(r.importId).toBe(catalog.imported()[0]!.importId);
    expect(footprint(tv)).toEqual(before);
    expect(tv.vault.audit.list({ limit: 1 })[0]!.action).toBe('bundle.reimport-noop');
  });

  it('keeps the exact signed-root bytes that were verified, and reads back reports kept before checks said whether they were required', async () => {
    const [b] = catalog.imported();
    const report = catalog.report(b!.importId);
    expect(report.checks.every((c) => typeof c.required === 'boolean')).toBe(true);
    expect(report.checks.filter((c) => c.required).every((c) => c.status === 'pass')).toBe(true);
    const sig = catalog.files(b!.importId).find((f) => f.path === 'SHA384SUMS.p7s')!;
    expect((await tv.vault.blobs.readAll(sig.sha384)).equals(fs.readFileSync(path.join(work, 'b1', 'SHA384SUMS.p7s')))).toBe(true);
    // A report stored by an earlier Airlock, without 'required' on its checks:
    const old = { ...report, checks: report.checks.map(({ required: _required, ...c }) => c) };
    tv.vault.db.prepare('UPDATE bundles SET report = ? WHERE id = ?').run(JSON.stringify(old), b!.importId);
    const upgraded = catalog.report(b!.importId);
    expect(upgraded.checks.map((c) => [c.id, c.required])).toEqual(report.checks.map((c) => [c.id, c.id !== 'clock']));
    tv.vault.db.prepare('UPDATE bundles SET report = ? WHERE id = ?').run(JSON.stringify(report), b!.importId);
  });

  it('imports an eval package directory: tasks and samples parsed from YAML/JSONL', async () => {
    const dir = await bundleDir(evalSpec());
    const r = await importer.import(dir);
    expect(r.outcome).toBe('imported');
    const [t] = catalog.tasks(r.importId);
    expect(t).toMatchObject({
      packageName: 'ctf-basics',
      packageVersion: '1.0.0',
      path: 'tasks/ctf-crypto-basics/eval.yaml',
      name: 'ctf-crypto-basics',
      datasetPath: 'tasks/ctf-crypto-basics/dataset.jsonl',
      solvers: [{ name: 'multiple_choice' }],
      scorers: [{ name: 'choice' }],
      metrics: ['accuracy', 'stderr'],
      epochs: 1,
      epochReducer: 'mean',
      extensions: { 'x-airlock-category': 'cybersecurity-knowledge' },
      sampleCount: 2,
      classification: 'UNCLASSIFIED//FOR TESTING',
    });
    const samples = catalog.samples(t!.id);
    expect(samples.map((s) => s.id)).toEqual(['q1', 'q2']);
    expect(samples[0]).toMatchObject({ target: 'A', choices: ['Caesar', 'Vigenere', 'AES', 'RSA'], metadata: { topic: 'classical' } });
    expect((await tv.vault.blobs.readAll(t!.datasetSha384)).toString('utf8')).toBe(DATASET_JSONL);
  });

  it('rejects an untrusted bundle: only a rejection row, nothing staged or stored', async () => {
    const before = footprint(tv);
    const dir = await bundleDir(minimalSpec({ signers: ['rogueSigner'] }, { series: 'rogue', id: 'rogue-1' }));
    const r = await importer.import(dir);
    expect(r.outcome).toBe('rejected');
    expect(r.report!.checks.find((c) => c.status === 'fail')!.code).toBe('chain.no-anchor');
    expect(footprint(tv)).toEqual(before);
    const rej = catalog.rejections();
    expect(catalog.list().find((i) => i.importId === r.importId)).toMatchObject({ verdict: 'rejected', series: 'rogue', title: 'Acme Frontier-X pre-release access (test)' });
    expect(rej[0]).toMatchObject({ rejectionId: r.importId, code: 'chain.no-anchor', series: 'rogue' });
    expect(catalog.report(r.importId).verdict).toBe('rejected');
    expect(tv.vault.audit.list({ limit: 1 })[0]).toMatchObject({ action: 'bundle.rejected', outcome: 'failure' });
  });

  it('rejects an audience that excludes this lab', async () => {
    const before = footprint(tv);
    const dir = await bundleDir(minimalSpec({}, { series: 'aud', id: 'aud-1', audience: ['another-lab'] }));
    const r = await importer.import(dir);
    expect(r.outcome).toBe('rejected');
    expect(r.report!.checks.find((c) => c.status === 'fail')!.code).toBe('audience.excluded');
    expect(footprint(tv)).toEqual(before);
  });

  it('refuses a lower sequence and an equivocating bundle in the same series', async () => {
    const two = await bundleDir(minimalSpec({}, { series: 'roll', id: 'roll-2', sequence: 2 }));
    expect((await importer.import(two)).outcome).toBe('imported');
    const before = footprint(tv);
    const one = await bundleDir(minimalSpec({}, { series: 'roll', id: 'roll-1', sequence: 1 }));
    const r1 = await importer.import(one);
    expect(r1.outcome).toBe('rejected');
    expect(r1.report!.checks.find((c) => c.id === 'rollback')!.code).toBe('rollback.lower-sequence');
    const other = await bundleDir(minimalSpec({ files: { 'payload/readme.txt': 'different\n' } }, { series: 'roll', id: 'roll-2b', sequence: 2 }));
    const r2 = await importer.import(other);
    expect(r2.outcome).toBe('rejected');
    expect(r2.report!.checks.find((c) => c.id === 'rollback')!.code).toBe('rollback.equivocation');
    expect(footprint(tv)).toEqual(before);
  });

  it('rejects a malformed dataset naming file:line, and removes the blobs it had committed', async () => {
    const before = footprint(tv);
    const bad = DATASET_JSONL + '{"id":"q3","input":\n';
    const dir = await bundleDir(evalSpec({ files: { 'tasks/ctf-crypto-basics/eval.yaml': 'name: t\ndataset: dataset.jsonl\n', 'tasks/ctf-crypto-basics/dataset.jsonl': bad } }, { series: 'bad-ds', id: 'bad-ds-1' }));
    const r = await importer.import(dir);
    expect(r.outcome).toBe('rejected');
    expect(r.error?.code).toBe('intake.malformed-dataset');
    expect(r.error?.message).toContain('tasks/ctf-crypto-basics/dataset.jsonl:3');
    expect(r.report!.verdict).toBe('rejected');
    expect(footprint(tv)).toEqual(before);
    expect(catalog.rejections()[0]).toMatchObject({ code: 'intake.malformed-dataset', series: 'bad-ds' });
  });

  it('rejects a malformed task YAML naming file:line', async () => {
    const before = footprint(tv);
    const dir = await bundleDir(evalSpec({ files: { 'tasks/ctf-crypto-basics/eval.yaml': 'name: t\ndataset: dataset.jsonl\nname: again\n', 'tasks/ctf-crypto-basics/dataset.jsonl': DATASET_JSONL } }, { series: 'bad-task', id: 'bad-task-1' }));
    const r = await importer.import(dir);
    expect(r.outcome).toBe('rejected');
    expect(r.error?.code).toBe('intake.malformed-task');
    expect(r.error?.message).toMatch(/eval\.yaml:3/);
    expect(footprint(tv)).toEqual(before);
  });

  it('cancel mid-import leaves nothing behind', async () => {
    const before = footprint(tv);
    const big = Buffer.alloc(48 << 20, 7);
    const dir = await bundleDir(minimalSpec({ files: { 'payload/readme.txt': 'x\n', 'payload/big.bin': big } }, { series: 'cancel', id: 'cancel-1' }));
    const ac = new AbortController();
    const r = await importer.import(dir, { signal: ac.signal, concurrency: 1, onProgress: (p) => { if (p.bytesDone > 0) ac.abort(); } });
    expect(r.outcome).toBe('cancelled');
    expect(footprint(tv)).toEqual(before);
    expect(tv.vault.audit.list({ limit: 1 })[0]!.action).toBe('bundle.import-cancelled');
  });

  it('sweeps blobs journalled by an import that never committed (crash debris)', async () => {
    const before = footprint(tv);
    const { sha384 } = await tv.vault.blobs.put([Buffer.from('orphan from a crashed import')]);
    tv.vault.db.prepare('INSERT INTO intake_pending (import_id, sha384) VALUES (?, ?)').run('crashed', sha384);
    const referenced = catalog.files(catalog.imported()[0]!.importId)[0]!.sha384;
    tv.vault.db.prepare('INSERT INTO intake_pending (import_id, sha384) VALUES (?, ?)').run('crashed', referenced);
    new BundleImporter(tv.vault, trust);
    expect(tv.vault.blobs.has(sha384)).toBe(false);
    expect(tv.vault.blobs.has(referenced)).toBe(true);
    expect(footprint(tv)).toEqual(before);
  });
});
