/**
 * Browsing accepted content over IPC (no Electron): real router → handlers →
 * services → encrypted vault. Bundles come from the test corpus (openssl),
 * imported at the corpus's fixed time AT (2027-01-01T00:00:00Z).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AirlockServices } from '../../../src/main/services/airlock-services';
import { inputText, shortSpec, windowState } from '../../../src/main/ipc/handlers/content';
import { createHandlers } from '../../../src/main/ipc/handlers';
import { IpcRouter } from '../../../src/main/ipc/router';
import { createMemoryLogger } from '../../../src/main/services/log/logger';
import type { IpcResult } from '../../../src/shared/ipc/result';
import type { EngagementDto, EvalTaskDto, ModelCardDto, SamplesPageDto } from '../../../src/shared/ipc/contract';
import { getPki, AT, type TestPki } from '../../helpers/corpus/pki';
import { buildBundleDir } from '../../helpers/corpus/build';
import { DATASET_JSONL, LAB_ID, MODEL_CARD, evalSpec, modelAccessMeta, modelAccessSpec } from '../../helpers/corpus/fixtures';

const APP = { frameUrl: 'app://airlock/', isMainFrame: true };
const PASS = 'tangerine-orbit-glacier-7-sonnet';
const API_KEY = 'test-key-not-secret';
const BIG = 450;

let pki: TestPki;
let work: string;
let services: AirlockServices;
let router: IpcRouter;
let credentialBytes: Buffer;
const picks: (string | undefined)[] = [];
const log = createMemoryLogger();

async function call<T = unknown>(channel: string, args?: unknown): Promise<T> {
  const r = (await router.dispatch(channel, args, APP)) as IpcResult<T>;
  if (!r.ok) throw Object.assign(new Error(`${r.error.code}: ${r.error.message}`), { code: r.error.code });
  return r.value;
}
async function callError(channel: string, args?: unknown) {
  const r = await router.dispatch(channel, args, APP);
  expect(r.ok).toBe(false);
  return (r as { ok: false; error: { code: string; message: string } }).error;
}
async function importDir(name: string, spec: Parameters<typeof buildBundleDir>[1]): Promise<{ importId: string; dir: string }> {
  const dir = await buildBundleDir(pki, spec, path.join(work, name));
  picks.push(dir); // the user chooses it in main's picker
  await call('bundles.chooseFile');
  const r = await call<{ outcome: string; importId: string; report: { checks: { status: string; reason: string }[] } }>('bundles.import', { path: dir });
  expect(r.outcome, JSON.stringify(r.report?.checks.filter((c) => c.status === 'fail'))).toBe('imported');
  return { importId: r.importId, dir };
}

/** A model-access bundle in its own series with another access window. */
function windowSpec(series: string, start: string, end: string) {
  const m = modelAccessMeta() as { model: Record<string, unknown> };
  return modelAccessSpec({}, { id: `ma-${series}`, series, model: { ...m.model, accessWindow: { start, end } } });
}

function bigDataset(): string {
  const lines: string[] = [];
  for (let i = 0; i < BIG; i++) {
    lines.push(
      JSON.stringify(
        i % 2
          ? { id: `s${i}`, input: [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: `Question ${i}?` }], target: ['A', 'B'], metadata: { n: i, tags: ['x'] } }
          : { id: `s${i}`, input: `Question ${i}?`, target: 'A', choices: ['yes', 'no'] },
      ),
    );
  }
  return lines.join('\n') + '\n';
}

beforeAll(async () => {
  pki = await getPki();
  work = mkdtempSync(path.join(tmpdir(), 'airlock-content-'));
  services = new AirlockServices({
    vaultDir: path.join(work, 'vault'),
    version: 'test',
    platform: 'linux',
    log,
    emit: () => {},
    pickFile: async () => picks.shift(),
    confirmDroppedFile: async () => false,
    kdf: { N: 2 ** 14, r: 8, p: 1 },
    now: () => AT,
  });
  router = new IpcRouter(createHandlers(services), log);
  await call('vault.create', { passphrase: PASS, operator: 'Dana Officer' });
  picks.push(pki.certs.root.pem);
  await call('trust.addAnchor', { types: ['model-access', 'eval-package'], label: 'Clearinghouse' });
  const crlFile = path.join(work, 'crls.pem');
  writeFileSync(crlFile, readFileSync(pki.crls.root.pem, 'utf8') + readFileSync(pki.crls.int.pem, 'utf8'));
  picks.push(crlFile);
  await call('trust.addCrl');
  await call('trust.setLabId', { labId: LAB_ID });
}, 120_000);

afterAll(() => {
  services?.shutdown();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('content over IPC', () => {
  let maImport: string;
  let evalImport: string;
  let bigImport: string;

  it('refuses content calls while locked, with what to do', async () => {
    await call('vault.lock');
    expect((await callError('content.engagements')).code).toBe('vault.locked');
    expect((await callError('content.tasks', {})).code).toBe('vault.locked');
    await call('vault.unlock', { passphrase: PASS });
  });

  it('imports the bundles', async () => {
    const ma = await importDir('ma', modelAccessSpec());
    maImport = ma.importId;
    credentialBytes = readFileSync(path.join(ma.dir, 'payload/credential.p7m'));
    evalImport = (await importDir('eval', evalSpec())).importId;
    bigImport = (
      await importDir(
        'big',
        evalSpec({ files: { 'tasks/ctf-crypto-basics/eval.yaml': readFileSync(path.join(work, 'eval/tasks/ctf-crypto-basics/eval.yaml')), 'tasks/ctf-crypto-basics/dataset.jsonl': bigDataset() } }, {
          id: 'ev-big-0001',
          series: 'big',
          title: 'Big eval (test)',
          package: { name: 'big', version: '2.0.0', tasks: ['tasks/ctf-crypto-basics/eval.yaml'] },
        }),
      )
    ).importId;
    await importDir('future', windowSpec('future', '2027-02-01T00:00:00Z', '2027-03-01T00:00:00Z'));
    await importDir('past', windowSpec('past', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'));
  });

  it('lists engagements with the window state at the trusted clock, and no credential material', async () => {
    const list = await call<EngagementDto[]>('content.engagements');
    expect(list).toHaveLength(3);
    const main = list.find((e) => e.importId === maImport)!;
    expect(main).toMatchObject({
      bundle: { title: 'Acme Frontier-X pre-release access (test)', classification: 'UNCLASSIFIED//FOR TESTING' },
      classification: 'UNCLASSIFIED//FOR TESTING',
      model: { developer: 'Acme AI (test)', name: 'frontier-x', version: '2026-12-rc1' },
      window: { start: '2026-12-15T00:00:00Z', end: '2027-01-14T00:00:00Z', state: 'open', days: 13, at: AT.toISOString() },
      access: { kind: 'endpoint', api: 'openai-chat', baseUrl: 'http://127.0.0.1:8787/v1', model: 'frontier-x', hasCredential: true, weightFiles: [] },
      hasCard: true,
    });
    const states = Object.fromEntries(list.map((e) => [e.window.start.slice(0, 7), [e.window.state, e.window.days]]));
    expect(states).toEqual({ '2026-12': ['open', 13], '2027-02': ['not-started', 31], '2026-11': ['closed', null] });

    const json = JSON.stringify(list);
    expect(json).not.toContain(API_KEY);
    expect(json).not.toContain('apiKey');
    expect(json).not.toMatch(/credential(Sha|Path|Blob|Bytes)/i);
    const credSha = createHash('sha384').update(credentialBytes).digest('hex');
    for (const needle of [credSha, credentialBytes.toString('hex').slice(0, 64), credentialBytes.toString('base64').slice(0, 64)]) expect(json).not.toContain(needle);
    expect(Object.keys(main.access).sort()).toEqual(['api', 'baseUrl', 'hasCredential', 'kind', 'model', 'weightFiles', 'weightsFormat']);
  });

  it('serves the model card as Markdown, null without one, and refuses unknown or malformed ids', async () => {
    const list = await call<EngagementDto[]>('content.engagements');
    const main = list.find((e) => e.importId === maImport)!;
    const card = await call<ModelCardDto>('content.modelCard', { engagementId: main.id });
    expect(card).toEqual({ path: 'payload/model-card.md', markdown: MODEL_CARD });
    expect(JSON.stringify(card)).not.toContain(API_KEY);

    const e = await callError('content.modelCard', { engagementId: 'no-such-engagement' });
    expect(e.code).toBe('content.engagement-not-found');
    expect(e.message).toMatch(/Refresh the engagement list/);
    expect((await callError('content.modelCard', { engagementId: '' })).code).toBe('ipc.invalid-arguments');
    expect((await callError('content.modelCard', { engagementId: main.id, extra: 1 })).code).toBe('ipc.invalid-arguments');
    expect((await callError('content.modelCard', { engagementId: 'x'.repeat(201) })).code).toBe('ipc.invalid-arguments');
  });

  it('lists tasks with short solver/scorer/metric strings, all or per import', async () => {
    const all = await call<EvalTaskDto[]>('content.tasks', {});
    expect(all).toHaveLength(2);
    const [task] = await call<EvalTaskDto[]>('content.tasks', { importId: evalImport });
    expect(task).toMatchObject({
      importId: evalImport,
      bundleTitle: 'CTF basics knowledge eval (test)',
      packageName: 'ctf-basics',
      packageVersion: '1.0.0',
      name: 'ctf-crypto-basics',
      description: 'Multiple-choice questions on classical cryptography, CTF style.',
      datasetPath: 'tasks/ctf-crypto-basics/dataset.jsonl',
      sampleCount: 2,
      solvers: ['multiple_choice'],
      scorers: ['choice'],
      metrics: ['accuracy', 'stderr'],
      epochs: 1,
      epochReducer: 'mean',
      classification: 'UNCLASSIFIED//FOR TESTING',
    });
    expect((await call<EvalTaskDto[]>('content.tasks', { importId: bigImport }))[0]!.sampleCount).toBe(BIG);
    expect((await callError('content.tasks', { importId: 'nope' })).code).toBe('content.not-found');
    expect((await callError('content.tasks', { importId: maImport.slice(0, 0) })).code).toBe('ipc.invalid-arguments');
    expect((await callError('content.tasks', { importId: evalImport, all: true })).code).toBe('ipc.invalid-arguments');
  });

  it('pages samples within bounds and renders chat inputs as text', async () => {
    const [small] = await call<EvalTaskDto[]>('content.tasks', { importId: evalImport });
    const page = await call<SamplesPageDto>('content.samples', { taskId: small!.id, offset: 0, limit: 200 });
    const first = JSON.parse(DATASET_JSONL.split('\n')[0]!) as { id: string; input: string };
    expect(page.total).toBe(2);
    expect(page.items.map((s) => s.id)).toEqual(['q1', 'q2']);
    expect(page.items[0]).toMatchObject({ ordinal: 0, id: first.id, input: first.input, inputTruncated: false, target: 'A', metadata: { topic: 'classical' } });
    expect(page.items[0]!.choices).toEqual(['Caesar', 'Vigenere', 'AES', 'RSA']);

    const [big] = await call<EvalTaskDto[]>('content.tasks', { importId: bigImport });
    const p1 = await call<SamplesPageDto>('content.samples', { taskId: big!.id, offset: 0, limit: 200 });
    const p3 = await call<SamplesPageDto>('content.samples', { taskId: big!.id, offset: 400, limit: 200 });
    expect([p1.total, p1.items.length, p3.offset, p3.items.length]).toEqual([BIG, 200, 400, BIG - 400]);
    expect(p3.items[0]!.id).toBe('s400');
    expect(p1.items[1]).toMatchObject({ id: 's1', input: 'system: Answer briefly.\nuser: Question 1?', target: 'A, B', choices: null, metadata: { n: '1', tags: '["x"]' } });
    expect((await call<SamplesPageDto>('content.samples', { taskId: big!.id, offset: BIG, limit: 10 })).items).toEqual([]);
    expect((await call<SamplesPageDto>('content.samples', { taskId: big!.id, offset: 10_000, limit: 10 })).items).toEqual([]);

    for (const bad of [
      { taskId: big!.id, offset: 0, limit: 201 },
      { taskId: big!.id, offset: 0, limit: 0 },
      { taskId: big!.id, offset: -1, limit: 10 },
      { taskId: big!.id, offset: 1.5, limit: 10 },
      { taskId: big!.id, offset: '0', limit: 10 },
      { taskId: big!.id, limit: 10 },
      { taskId: big!.id, offset: 0, limit: 10, sql: '1' },
      { taskId: '', offset: 0, limit: 10 },
      undefined,
    ]) {
      expect((await callError('content.samples', bad)).code, JSON.stringify(bad)).toBe('ipc.invalid-arguments');
    }
    const unknown = await callError('content.samples', { taskId: 'no-such-task', offset: 0, limit: 10 });
    expect(unknown.code).toBe('content.task-not-found');
    expect(unknown.message).toMatch(/Refresh the task list/);
  });

  it('never logs or returns the credential plaintext', () => {
    expect(log.lines.join('\n')).not.toContain(API_KEY);
  });
});

describe('content DTO helpers', () => {
  it('computes the window state with start inclusive and end exclusive', () => {
    const s = '2027-01-01T00:00:00Z';
    const e = '2027-01-03T00:00:00Z';
    expect(windowState(s, e, new Date('2026-12-30T12:00:00Z'))).toEqual({ state: 'not-started', days: 1 });
    expect(windowState(s, e, new Date(s))).toEqual({ state: 'open', days: 2 });
    expect(windowState(s, e, new Date('2027-01-02T23:00:00Z'))).toEqual({ state: 'open', days: 0 });
    expect(windowState(s, e, new Date(e))).toEqual({ state: 'closed', days: null });
  });

  it('renders specs and inputs as short strings', () => {
    expect(shortSpec('accuracy')).toBe('accuracy');
    expect(shortSpec({ name: 'choice' })).toBe('choice');
    expect(shortSpec({ name: 'generate', args: { temperature: 0, max_tokens: 64 } })).toBe('generate(temperature=0, max_tokens=64)');
    expect(shortSpec({ name: 'x', n: 3 })).toBe('x(n=3)');
    expect(shortSpec({ name: 'y'.repeat(400) })).toHaveLength(160);
    expect(inputText([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }])).toBe('user: [{"type":"text","text":"hi"}]');
  });
});
