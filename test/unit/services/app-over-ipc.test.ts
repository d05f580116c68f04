/**
 * The whole main side without Electron: real router → handlers → services →
 * encrypted vault, trust store and importer, driven the way the renderer does.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AirlockServices } from '../../../src/main/services/airlock-services';
import { createHandlers } from '../../../src/main/ipc/handlers';
import { IpcRouter } from '../../../src/main/ipc/router';
import { createMemoryLogger } from '../../../src/main/services/log/logger';
import type { IpcResult } from '../../../src/shared/ipc/result';
import { getPki, AT, type TestPki } from '../../helpers/corpus/pki';
import { buildBundleDir, tarBundle } from '../../helpers/corpus/build';
import { modelAccessSpec } from '../../helpers/corpus/fixtures';

const APP = { frameUrl: 'app://airlock/', isMainFrame: true };
const PASS = 'tangerine-orbit-glacier-7-sonnet';

let pki: TestPki;
let work: string;
let services: AirlockServices;
let router: IpcRouter;
const picks: (string | undefined)[] = [];
/** Answers main's "import this dropped file?" dialog gives, and the files it asked about. */
const confirms: boolean[] = [];
const asked: { path: string; kind: string; size: number }[] = [];
const events: { event: string; payload: unknown }[] = [];
const log = createMemoryLogger();

async function call<T = unknown>(channel: string, args?: unknown): Promise<T> {
  const r = (await router.dispatch(channel, args, APP)) as IpcResult<T>;
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value;
}
async function callError(channel: string, args?: unknown) {
  const r = await router.dispatch(channel, args, APP);
  expect(r.ok).toBe(false);
  return (r as { ok: false; error: { code: string; message: string } }).error;
}

beforeAll(async () => {
  pki = await getPki();
  work = mkdtempSync(path.join(tmpdir(), 'airlock-app-'));
  services = new AirlockServices({
    vaultDir: path.join(work, 'vault'),
    version: 'test',
    platform: 'linux',
    log,
    emit: (event, payload) => events.push({ event, payload }),
    pickFile: async () => picks.shift(),
    confirmDroppedFile: async (item) => {
      asked.push(item);
      return confirms.shift() ?? false;
    },
    kdf: { N: 2 ** 14, r: 8, p: 1 },
    now: () => AT,
  });
  router = new IpcRouter(createHandlers(services), log);
});
afterAll(() => {
  services.shutdown();
  rmSync(work, { recursive: true, force: true });
});

describe('Airlock main over IPC (no Electron)', () => {
  it('reports no vault before one is created, and refuses vault calls with what to do', async () => {
    expect(await call('app.info')).toMatchObject({ name: 'Airlock', vaultExists: false });
    expect(await call('vault.status')).toMatchObject({ exists: false, locked: true });
    const e = await callError('audit.list', { limit: 10 });
    expect(e).toEqual({ code: 'vault.missing', message: 'No vault exists yet. Create one first.' });
  });

  it('refuses a weak passphrase at creation', async () => {
    const e = await callError('vault.create', { passphrase: 'password', operator: 'Dana' });
    expect(e.code).toBe('vault.weak-passphrase');
  });

  it('creates, locks, refuses a wrong passphrase, unlocks; the audit trail shows it all', async () => {
    const created = await call<{ locked: boolean; operator: string; schemaVersion: number }>('vault.create', { passphrase: PASS, operator: 'Dana Officer' });
    expect(created).toMatchObject({ locked: false, operator: 'Dana Officer' });
    expect(created.schemaVersion).toBeGreaterThanOrEqual(2);

    expect(await call('vault.lock')).toMatchObject({ locked: true, exists: true });
    expect(events.at(-1)).toEqual({ event: 'vault.locked', payload: { reason: 'manual' } });
    expect((await callError('trust.list')).code).toBe('vault.locked');

    const wrong = await callError('vault.unlock', { passphrase: 'not the passphrase at all' });
    expect(wrong.code).toBe('vault.wrong-passphrase');
    expect(await call('vault.unlock', { passphrase: PASS })).toMatchObject({ locked: false });

    const audit = await call<{ action: string; outcome: string; actor: string }[]>('audit.list', { limit: 50 });
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['vault.created', 'vault.locked', 'vault.unlock-failed', 'vault.unlocked']));
    expect(audit.find((a) => a.action === 'vault.created')?.actor).toBe('Dana Officer');
    const check = await call<{ ok: boolean; records: number; firstBroken: unknown }>('vault.check');
    expect(check).toMatchObject({ ok: true, firstBroken: null });
    expect(check.records).toBeGreaterThanOrEqual(audit.length);
  });

  it('installs an anchor and a CRL through the file picker; a cancelled picker changes nothing', async () => {
    picks.push(undefined);
    expect((await call<{ anchors: unknown[] }>('trust.addAnchor', { types: ['model-access'] })).anchors).toHaveLength(0);

    picks.push(pki.certs.root.pem);
    const store = await call<{ anchors: { types: string[]; certificate: { subject: string; sha256Fingerprint: string } }[] }>('trust.addAnchor', {
      types: ['model-access', 'eval-package'],
      label: 'Clearinghouse',
    });
    expect(store.anchors).toHaveLength(1);
    expect(store.anchors[0]!.types).toEqual(['model-access', 'eval-package']);
    expect(store.anchors[0]!.certificate.sha256Fingerprint).toMatch(/^[0-9a-f]{64}$/);

    const crlFile = path.join(work, 'crls.pem');
    writeFileSync(crlFile, readFileSync(pki.crls.root.pem, 'utf8') + readFileSync(pki.crls.int.pem, 'utf8'));
    picks.push(crlFile);
    expect((await call<{ crlCount: number }>('trust.addCrl')).crlCount).toBe(2);

    picks.push(pki.certs.signer.pem);
    expect((await callError('trust.addAnchor', { types: ['result'] })).code).toBe('trust.not-ca');
    expect((await call<{ labId: string }>('trust.setLabId', { labId: 'lab-test-1' })).labId).toBe('lab-test-1');
  });

  it('imports a bundle with progress events, lists it, serves its report; a re-import is a no-op', async () => {
    const dir = await buildBundleDir(pki, modelAccessSpec(), path.join(work, 'bundle'));
    const tar = await tarBundle(dir, path.join(work, 'bundle.tar'));
    const before = events.length;
    // Main reads only what the user picked or dropped: the picker grants the path.
    picks.push(tar);
    expect(await call('bundles.chooseFile')).toEqual({ path: tar });
    const result = await call<{ outcome: string; importId: string; report: { verdict: string } }>('bundles.import', { path: tar });
    expect(result.report.verdict).toBe('accepted');
    expect(result.outcome).toBe('imported');
    const progress = events.slice(before).filter((e) => e.event === 'bundles.progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.payload).toMatchObject({ filesDone: expect.any(Number), bytesTotal: expect.any(Number) });

    const list = await call<{ importId: string; verdict: string; type: string }[]>('bundles.list');
    expect(list.find((b) => b.importId === result.importId)).toMatchObject({ verdict: 'accepted', type: 'model-access' });
    expect((await call<{ verdict: string }>('bundles.report', { importId: result.importId })).verdict).toBe('accepted');
    expect((await call<{ outcome: string }>('bundles.import', { path: tar })).outcome).toBe('already-imported');
  });

  it('rejects a tampered bundle with the reason and keeps only the rejection', async () => {
    const dir = await buildBundleDir(pki, modelAccessSpec({}, { id: 'tampered-1', sequence: 9 }), path.join(work, 'tampered'));
    writeFileSync(path.join(dir, 'payload', 'model-card.md'), '# tampered\n');
    // A directory bundle cannot be dropped as one file: choose it in the picker.
    picks.push(dir);
    await call('bundles.chooseFile');
    const result = await call<{ outcome: string; report: { verdict: string; checks: { status: string; code?: string }[] } }>('bundles.import', { path: dir });
    expect(result.outcome).toBe('rejected');
    expect(result.report.checks.find((c) => c.status === 'fail')?.code).toBe('digests.mismatch');
  });

  it('refuses to import a path the user neither picked nor dropped (a compromised renderer cannot aim main at files)', async () => {
    const before = (await call<unknown[]>('bundles.list')).length;
    const e = await callError('bundles.import', { path: '/etc' });
    expect(e.code).toBe('intake.not-chosen');
    expect(e.message).toMatch(/Choose bundle/);
    expect((await call<unknown[]>('bundles.list')).length).toBe(before);
  });

  it('grants a dropped file only when the user confirms it in main\'s own dialog', async () => {
    const dropped = path.join(work, 'dropped.tar');
    writeFileSync(dropped, 'not really a bundle');
    // The renderer's report alone grants nothing: the user says no in main's dialog.
    confirms.push(false);
    expect(await call('files.dropped', { path: dropped })).toEqual({ granted: false });
    expect(asked.at(-1)).toEqual({ path: dropped, kind: 'file', size: 19 });
    expect((await callError('bundles.import', { path: dropped })).code).toBe('intake.not-chosen');
    // A forged report of something that cannot be a bundle (a device, nothing at all) is not even asked about.
    const questions = asked.length;
    expect(await call('files.dropped', { path: '/dev/null' })).toEqual({ granted: false });
    expect(await call('files.dropped', { path: path.join(work, 'no-such.tar') })).toEqual({ granted: false });
    expect(asked.length).toBe(questions);
    // A forged report of a real folder is put to the user, who refuses it.
    expect(await call('files.dropped', { path: '/etc' })).toEqual({ granted: false });
    expect(asked.at(-1)).toEqual({ path: '/etc', kind: 'folder', size: 0 });
    expect((await callError('bundles.import', { path: '/etc' })).code).toBe('intake.not-chosen');
    // The old self-service grant channel is gone.
    expect((await callError('files.grantDropped', { path: dropped })).code).toBe('ipc.unknown-channel');
    // The user confirms: now it may be read (and is rejected on its merits).
    confirms.push(true);
    expect(await call('files.dropped', { path: dropped })).toEqual({ granted: true });
    const r = await call<{ outcome: string; report: { checks: { status: string; code?: string }[] } }>('bundles.import', { path: dropped });
    expect(r.outcome).toBe('rejected');
    expect(r.report.checks.find((c) => c.status === 'fail')?.code).toBe('container.not-bundle');
  });

  it('reports a missing bundle file as an actionable error, not a crash', async () => {
    const gone = path.join(work, 'gone.tar');
    writeFileSync(gone, 'x');
    confirms.push(true);
    expect(await call('files.dropped', { path: gone })).toEqual({ granted: true });
    rmSync(gone);
    const e = await callError('bundles.import', { path: gone });
    expect(e.code).toBe('io.not-found');
    expect(e.message).toMatch(/does not exist\. Check that the removable medium is mounted/);
  });

  it('keeps passphrases out of the log', () => {
    expect(log.lines.join('\n')).not.toContain(PASS);
  });

  it('locks itself after the configured idle time and tells the renderer why', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      expect(await call('vault.setAutoLock', { minutes: 1 })).toMatchObject({ autoLockMinutes: 1, locked: false });
      await call('vault.touch');
      vi.advanceTimersByTime(59_000);
      // (compare, don't hand the Vault to expect: inspecting its `db` getter counts as activity)
      expect(services.vault === undefined).toBe(false);
      vi.advanceTimersByTime(2_000);
      expect(services.vault === undefined).toBe(true);
      expect(events.at(-1)).toEqual({ event: 'vault.locked', payload: { reason: 'idle' } });
      expect(await call('vault.status')).toMatchObject({ locked: true });
    } finally {
      vi.useRealTimers();
    }
  });
});
