import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  openEvalZip,
  parseInspectJson,
  readEvalLog,
  sampleSummary,
  stringifyInspectJson,
  validateEvalLog,
  validateInspectMember,
  writeEvalLog,
  writeEvalLogToBuffer,
  type EvalSample,
} from '../../../../src/main/services/evals/inspect-log';
import { isErrorCode } from '../../../../src/shared/errors';
import { buildZip, hasZstdCli, makeLog, makeSample, zstdCompress, zstdRawFrame, type RawZipEntry } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'airlock-inspect-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hasPython(): boolean {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    const err = e as { code?: string; message?: string };
    expect(typeof err.message).toBe('string');
    return err.code ?? `no code: ${err.message}`;
  }
  return 'no error';
}

const startJson = (log = makeLog()) => stringifyInspectJson({ version: 2, eval: log.header.eval, plan: log.header.plan });

describe('Inspect JSON', () => {
  it('writes bare NaN/Infinity, omits None fields, keeps nulls in free-form data, and parses them back', () => {
    const value = { a: NaN, b: [Infinity, -Infinity, null], c: null, metadata: { kept: null, deep: { also: null } }, s: 'NaN Infinity' };
    const text = stringifyInspectJson(value);
    expect(text).toBe('{"a":NaN,"b":[Infinity,-Infinity,null],"metadata":{"kept":null,"deep":{"also":null}},"s":"NaN Infinity"}');
    const back = parseInspectJson(text) as typeof value;
    expect(back.a).toBeNaN();
    expect(back.b).toEqual([Infinity, -Infinity, null]);
    expect(back.s).toBe('NaN Infinity');
    expect(back.metadata).toEqual({ kept: null, deep: { also: null } });
  });

  it('leaves NaN inside strings and escaped quotes alone', () => {
    const back = parseInspectJson('{"x":"say \\"NaN\\" Infinity","y":NaN}') as { x: string; y: number };
    expect(back.x).toBe('say "NaN" Infinity');
    expect(back.y).toBeNaN();
    expect(() => parseInspectJson('{"x":Nope}')).toThrow();
  });
});

describe('writer', () => {
  it('writes Inspect’s members in Inspect’s order, every one passing the schema', async () => {
    const log = makeLog();
    const bytes = await writeEvalLogToBuffer(log, { summaryBatchSize: 3 });
    const zip = await openEvalZip(bytes);
    try {
      expect([...zip.members.keys()]).toEqual([
        '_journal/start.json',
        'samples/1_epoch_1.json',
        'samples/2_epoch_1.json',
        'samples/1_epoch_2.json',
        '_journal/summaries/1.json',
        'samples/2_epoch_2.json',
        '_journal/summaries/2.json',
        'summaries.json',
        'reductions.json',
        'header.json',
      ]);
      for (const m of zip.members.values()) expect(m.method).toBe(8);
      const json = async (name: string) => parseInspectJson((await zip.read(name)).toString('utf8'));
      const header = await json('header.json');
      expect(validateEvalLog(header)).toEqual({ valid: true, problems: [] });
      expect(header).not.toHaveProperty('samples');
      for (const name of [...zip.members.keys()].filter((n) => n.startsWith('samples/'))) {
        expect(validateInspectMember('EvalSample', await json(name)).problems).toEqual([]);
      }
      const summaries = (await json('summaries.json')) as unknown[];
      expect(summaries).toHaveLength(4);
      for (const s of summaries) expect(validateInspectMember('EvalSampleSummary', s).problems).toEqual([]);
      for (const n of ['_journal/summaries/1.json', '_journal/summaries/2.json']) {
        for (const s of (await json(n)) as unknown[]) expect(validateInspectMember('EvalSampleSummary', s).valid).toBe(true);
      }
      for (const r of (await json('reductions.json')) as unknown[]) {
        expect(validateInspectMember('EvalSampleReductions', r).problems).toEqual([]);
      }
      const start = (await json('_journal/start.json')) as Record<string, unknown>;
      expect(Object.keys(start)).toEqual(['version', 'eval', 'plan']);
      // The whole log, as read_eval_log assembles it, passes too.
      const read = await readEvalLog(bytes);
      expect(validateEvalLog(read.log).problems).toEqual([]);
    } finally {
      zip.close();
    }
  });

  it.skipIf(!hasPython())('opens with Python’s zipfile and json, which Inspect itself reads logs with', async () => {
    const log = makeLog();
    log.samples[1]!.scores!.match!.value = NaN;
    const file = join(dir, 'for-python.eval');
    await writeEvalLog(file, log);
    const script = [
      'import json, math, sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'assert z.testzip() is None',
      'names = [i.filename for i in z.infolist()]',
      's = json.loads(z.read("samples/2_epoch_1.json"))',
      'h = json.loads(z.read("header.json"))',
      'print(json.dumps({"names": names, "nan": math.isnan(s["scores"]["match"]["value"]), "acc": h["results"]["scores"][0]["metrics"]["accuracy"]["value"]}))',
    ].join('\n');
    const out = JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })) as { names: string[]; nan: boolean; acc: number };
    expect(out.names[0]).toBe('_journal/start.json');
    expect(out.names.at(-1)).toBe('header.json');
    expect(out.nan).toBe(true);
    expect(out.acc).toBe(0.75);
  });

  it('is deterministic: the same input gives the same bytes', async () => {
    const a = await writeEvalLogToBuffer(makeLog());
    await new Promise((r) => setTimeout(r, 1100)); // a different wall-clock second
    const b = await writeEvalLogToBuffer(makeLog());
    expect(Buffer.compare(a, b)).toBe(0);
  });

  it('omits reductions.json when there are no scorers, and writes to a file path', async () => {
    const log = makeLog();
    delete log.header.results;
    delete log.header.eval.scorers;
    const samples = log.samples.map((s) => ({ ...s, scores: undefined }));
    const file = join(dir, 'no-scorers.eval');
    await writeEvalLog(file, { header: log.header, samples });
    const read = await readEvalLog(file);
    const zip = await openEvalZip(file);
    expect(zip.members.has('reductions.json')).toBe(false);
    zip.close();
    expect(read.log.samples).toHaveLength(4);
    expect(read.log.reductions).toBeUndefined();
  });

  it('refuses a sample that does not pass the schema, naming the member and field', async () => {
    const log = makeLog();
    (log.samples[1] as unknown as Record<string, unknown>).output = { model: 'x' };
    const err = await writeEvalLogToBuffer(log).catch((e: unknown) => e as { code: string; message: string });
    expect(err).toMatchObject({ code: 'evals.log-schema' });
    expect((err as { message: string }).message).toMatch(/samples\/2_epoch_1\.json.*\/output.*(choices|completion)/);
  });

  it('refuses the same (id, epoch) twice and an unwritable path', async () => {
    const log = makeLog();
    expect(await codeOf(writeEvalLogToBuffer({ ...log, samples: [log.samples[0]!, log.samples[0]!] }))).toBe('evals.log-invalid');
    expect(await codeOf(writeEvalLog(join(dir, 'missing-folder', 'x.eval'), log))).toBe('evals.log-write');
  });
});

describe('reader', () => {
  it('round-trips what the writer wrote', async () => {
    const log = makeLog();
    const read = await readEvalLog(await writeEvalLogToBuffer(log));
    const { samples, reductions, header } = log;
    expect(read.log.samples).toEqual(samples.map((s) => ({ ...s, metadata: { region: 'europe', note: null } })));
    expect(read.log.reductions).toEqual(reductions);
    const { samples: _s, reductions: _r, ...headerRead } = read.log;
    expect(headerRead).toEqual(header);
    expect(read.summaries.map((s) => [s.id, s.epoch, s.scores?.match?.value])).toEqual([
      [1, 1, 'C'],
      [2, 1, 'I'],
      [1, 2, 'C'],
      [2, 2, 'C'],
    ]);
    expect(read.migrations).toEqual([]);
    expect(read.log.results?.scores[0]?.metrics.accuracy?.value).toBe(0.75);
  });

  it('keeps NaN scores and metrics (the unscored sentinel) through write and read', async () => {
    const log = makeLog();
    log.samples[1]!.scores!.match!.value = NaN;
    log.header.results!.scores[0]!.metrics.stderr!.value = NaN;
    const bytes = await writeEvalLogToBuffer(log);
    const zip = await openEvalZip(bytes);
    expect((await zip.read('samples/2_epoch_1.json')).toString()).toContain('"value":NaN');
    zip.close();
    const read = await readEvalLog(bytes);
    expect(read.log.samples![1]!.scores!.match!.value).toBeNaN();
    expect(read.summaries[1]!.scores!.match!.value).toBeNaN();
    expect(read.log.results!.scores[0]!.metrics.stderr!.value).toBeNaN();
  });

  it('reads a hand-built Inspect-style log with zstd members, legacy fields, attachments and message pools', async () => {
    const log = makeLog();
    const big = 'x'.repeat(300_000); // spans several zstd blocks
    const pooled = makeSample('q-10', 1, 'Pooled question?', 'yes', true) as unknown as Record<string, unknown>;
    const events = pooled.events as Record<string, unknown>[];
    const user = (pooled.messages as unknown[])[0];
    events[1]!.input = undefined;
    events[1]!.input_refs = [[0, 1]];
    events[1]!.call = { request: { model: 'lab-model' }, call_refs: [[0, 2]], call_key: 'messages' };
    pooled.events_data = { messages: [user], calls: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'Pooled question?' }] };
    pooled.metadata = { long: 'attachment://0123456789abcdef0123456789abcdef', missing: 'attachment://ffff' };
    pooled.attachments = { '0123456789abcdef0123456789abcdef': big };
    // Legacy: a single `score` instead of `scores`.
    pooled.score = pooled.scores;
    delete pooled.scores;
    pooled.score = { value: 'C', history: [] };
    const header = structuredClone(log.header) as unknown as Record<string, unknown>;
    const spec = header.eval as Record<string, unknown>;
    spec.sandbox = ['docker', 'compose.yaml'];
    (spec.config as Record<string, unknown>).max_messages = 30;
    delete (spec.dataset as Record<string, unknown>).sample_ids;
    const results = header.results as Record<string, unknown>;
    const first = (results.scores as Record<string, unknown>[])[0]!;
    results.scorer = { name: first.name, params: {} };
    results.metrics = first.metrics;
    delete results.scores;
    results.sample_reductions = log.reductions;
    const z = (name: string, value: unknown): RawZipEntry => {
      const data = Buffer.from(typeof value === 'string' ? value : stringifyInspectJson(value));
      return { name, data, method: 93, rawCompressed: hasZstdCli() ? zstdCompress(data) : zstdRawFrame(data) };
    };
    const bytes = buildZip([
      z('_journal/start.json', startJson(log)),
      z('samples/q-10_epoch_1.json', pooled),
      { name: 'samples/1_epoch_1.json', data: stringifyInspectJson(log.samples[0]), method: 0 },
      z('summaries.json', [sampleSummary(log.samples[0]!)]),
      z('header.json', header),
    ]);
    const read = await readEvalLog(bytes);
    expect(read.log.status).toBe('success');
    expect(read.log.eval.sandbox).toEqual({ type: 'docker', config: 'compose.yaml' });
    expect(read.log.eval.config.message_limit).toBe(30);
    expect(read.log.eval.config).not.toHaveProperty('max_messages');
    expect(read.log.results!.scores[0]).toMatchObject({ name: 'match', scorer: 'match', metrics: { accuracy: { value: 0.75 } } });
    expect(read.log.reductions).toEqual(log.reductions);
    expect(read.migrations.sort()).toEqual(
      ['dataset.sample_ids', 'eval.config.max_messages', 'eval.sandbox', 'results.sample_reductions', 'results.scorer', 'sample.score'].sort(),
    );
    // Sorted by (epoch, str(id).zfill(20)): "000…1" < "0…q-10".
    expect(read.log.samples!.map((s) => s.id)).toEqual([1, 'q-10']);
    expect(read.log.eval.dataset.sample_ids).toEqual([1, 'q-10']);
    const s = read.log.samples![1]!;
    expect(s.scores).toEqual({ match: { value: 'C', history: [] } });
    expect(s.metadata.long).toBe(big);
    expect(s.metadata.missing).toBe('attachment://ffff');
    expect(s.attachments).toEqual({});
    expect(s.events_data).toBeUndefined();
    expect(s.events[1]!.input).toEqual([user]);
    expect(s.events[1]).not.toHaveProperty('input_refs');
    expect(s.events[1]!.call).toEqual({
      request: { model: 'lab-model', messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'Pooled question?' }] },
    });
    // The same pooled log unresolved keeps the references.
    const raw = await readEvalLog(bytes, { resolveAttachments: false });
    expect(raw.log.samples![1]!.metadata.long).toBe('attachment://0123456789abcdef0123456789abcdef');
  });

  it.skipIf(!hasZstdCli())('decodes real zstd frames written by the zstd tool (with checksums)', async () => {
    const log = makeLog();
    const text = stringifyInspectJson(log.header);
    const data = Buffer.from(text);
    const bytes = buildZip([{ name: 'header.json', data, method: 93, rawCompressed: zstdCompress(data) }]);
    expect((await readEvalLog(bytes)).log.eval.task).toBe('capitals');
  });

  it('takes the last of duplicate member names', async () => {
    const log = makeLog();
    const older = structuredClone(log.samples[0]!);
    older.output.completion = 'older';
    const newer = structuredClone(log.samples[0]!);
    newer.output.completion = 'newer';
    const bytes = buildZip([
      { name: 'header.json', data: stringifyInspectJson({ ...log.header, status: 'error' }) },
      { name: 'samples/1_epoch_1.json', data: stringifyInspectJson(older) },
      { name: 'samples/1_epoch_1.json', data: stringifyInspectJson(newer) },
      { name: 'header.json', data: stringifyInspectJson(log.header) },
    ]);
    const read = await readEvalLog(bytes);
    expect(read.log.status).toBe('success');
    expect(read.log.samples!.map((s) => s.output.completion)).toEqual(['newer']);
  });

  it('reads a log that never finished: start.json gives status "started", journal summaries dedup last-wins', async () => {
    const log = makeLog();
    const a = sampleSummary(log.samples[0]!);
    const b = sampleSummary(log.samples[1]!);
    const a2 = { ...a, scores: { match: { value: 'I', history: [] } } };
    const bytes = buildZip([
      { name: '_journal/start.json', data: startJson(log) },
      { name: 'samples/1_epoch_1.json', data: stringifyInspectJson(log.samples[0]) },
      { name: '_journal/summaries/2.json', data: stringifyInspectJson([a2]) },
      { name: '_journal/summaries/1.json', data: stringifyInspectJson([a, b]) },
    ]);
    const read = await readEvalLog(bytes);
    expect(read.log.status).toBe('started');
    expect(read.log.results).toBeUndefined();
    expect(read.log.stats.started_at).toBe('');
    expect(read.summaries.map((s) => [s.id, s.scores?.match?.value])).toEqual([
      [2, 'I'],
      [1, 'I'],
    ]);
    const headerOnly = await readEvalLog(bytes, { headerOnly: true });
    expect(headerOnly.log.samples).toBeUndefined();
  });

  it('keeps fields Airlock does not model', async () => {
    const log = makeLog();
    const sample = { ...log.samples[0]!, timelines: [{ name: 'x' }], future_field: { a: 1 } } as EvalSample;
    const header = { ...log.header, log_updates: [{ edits: [] }], eval: { ...log.header.eval, viewer: { x: 1 } } };
    const bytes = buildZip([
      { name: 'header.json', data: stringifyInspectJson(header) },
      { name: 'samples/1_epoch_1.json', data: stringifyInspectJson(sample) },
    ]);
    const read = await readEvalLog(bytes);
    expect(read.log.samples![0]).toMatchObject({ timelines: [{ name: 'x' }], future_field: { a: 1 } });
    expect(read.log.eval.viewer).toEqual({ x: 1 });
    expect(read.log.log_updates).toEqual([{ edits: [] }]);
  });
});

describe('bad input', () => {
  const header = () => stringifyInspectJson(makeLog().header);

  it('not a ZIP', async () => {
    expect(await codeOf(readEvalLog(Buffer.from('{"version": 2}')))).toBe('evals.log-not-zip');
    const file = join(dir, 'log.json');
    writeFileSync(file, '{"version": 2}');
    const err = await readEvalLog(file).catch((e: { code: string; message: string }) => e);
    expect(err).toMatchObject({ code: 'evals.log-not-zip' });
    expect((err as { message: string }).message).toContain(file);
    expect(await codeOf(readEvalLog(join(dir, 'nope.eval')))).toBe('io.not-found');
  });

  it('truncated', async () => {
    const whole = await writeEvalLogToBuffer(makeLog());
    expect(await codeOf(readEvalLog(whole.subarray(0, Math.floor(whole.length * 0.6))))).toBe('evals.log-truncated');
    expect(await codeOf(readEvalLog(whole.subarray(0, whole.length - 10)))).toBe('evals.log-truncated');
  });

  it('a member over the size limit', async () => {
    const bytes = buildZip([{ name: 'header.json', data: header() }]);
    const err = await readEvalLog(bytes, { limits: { maxMemberBytes: 1000 } }).catch((e: { code: string; message: string }) => e);
    expect(err).toMatchObject({ code: 'evals.log-member-too-large' });
    expect((err as { message: string }).message).toMatch(/header\.json.*limit/);
  });

  it('a zip bomb: a member that would expand far beyond real logs', async () => {
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    const bytes = buildZip([{ name: 'header.json', data: zeros }]);
    expect(await codeOf(readEvalLog(bytes))).toBe('evals.log-zip-bomb');
    // Lying about the size does not help: the real expansion is checked against the entry.
    const lying = buildZip([{ name: 'header.json', data: zeros, uncompressedSize: 100 }]);
    expect(await codeOf(readEvalLog(lying))).toBe('evals.log-member-corrupt');
  });

  it('a zstd frame claiming more than the limit is refused before anything is allocated', async () => {
    const data = Buffer.from(header());
    const claim = zstdRawFrame(data, 2 ** 40);
    const bytes = buildZip([{ name: 'header.json', data, method: 93, rawCompressed: claim }]);
    expect(await codeOf(readEvalLog(bytes))).toBe('evals.log-member-too-large');
    const garbage = buildZip([{ name: 'header.json', data, method: 93, rawCompressed: Buffer.from('not zstd at all') }]);
    expect(await codeOf(readEvalLog(garbage))).toBe('evals.log-member-corrupt');
  });

  it('missing eval', async () => {
    const onlySamples = buildZip([{ name: 'samples/1_epoch_1.json', data: stringifyInspectJson(makeLog().samples[0]) }]);
    const err = await readEvalLog(onlySamples).catch((e: { code: string; message: string }) => e);
    expect(err).toMatchObject({ code: 'evals.log-missing-eval' });
    expect((err as { message: string }).message).toMatch(/header\.json.*_journal\/start\.json/);
    const noEval = buildZip([{ name: 'header.json', data: '{"version":2,"status":"success"}' }]);
    expect(await codeOf(readEvalLog(noEval))).toBe('evals.log-missing-eval');
  });

  it('a required field missing, bad JSON, damaged CRC, an unknown compression method, too many members', async () => {
    const log = makeLog();
    const noTask = structuredClone(log.header) as unknown as { eval: Record<string, unknown> };
    delete noTask.eval.task;
    expect(await codeOf(readEvalLog(buildZip([{ name: 'header.json', data: stringifyInspectJson(noTask) }])))).toBe('evals.log-invalid');
    const noTarget = { ...log.samples[0]!, target: undefined };
    const withBadSample = buildZip([
      { name: 'header.json', data: header() },
      { name: 'samples/1_epoch_1.json', data: stringifyInspectJson(noTarget) },
    ]);
    expect(await codeOf(readEvalLog(withBadSample))).toBe('evals.log-invalid');
    expect(await codeOf(readEvalLog(buildZip([{ name: 'header.json', data: '{"version": 2,' }])))).toBe('evals.log-bad-json');
    expect(await codeOf(readEvalLog(buildZip([{ name: 'header.json', data: header(), crc: 1234 }])))).toBe('evals.log-member-corrupt');
    expect(await codeOf(readEvalLog(buildZip([{ name: 'header.json', data: header(), method: 12 }])))).toBe(
      'evals.log-unsupported-compression',
    );
    const many = buildZip([{ name: 'header.json', data: header() }, { name: 'a', data: '1' }, { name: 'b', data: '2' }]);
    expect(await codeOf(readEvalLog(many, { limits: { maxMembers: 2 } }))).toBe('evals.log-too-many-members');
  });

  it('every code used is registered', () => {
    for (const code of [
      'evals.log-not-zip',
      'evals.log-truncated',
      'evals.log-member-too-large',
      'evals.log-zip-bomb',
      'evals.log-too-many-members',
      'evals.log-unsupported-compression',
      'evals.log-member-corrupt',
      'evals.log-bad-json',
      'evals.log-missing-eval',
      'evals.log-invalid',
      'evals.log-schema',
      'evals.log-write',
    ]) {
      expect(isErrorCode(code)).toBe(true);
    }
  });
});

describe('validation and summaries', () => {
  it('validateEvalLog reports readable problems with paths', () => {
    const log = makeLog();
    const broken = { ...log.header, status: 'done', eval: { ...log.header.eval, model: 5 } };
    const result = validateEvalLog(broken);
    expect(result.valid).toBe(false);
    const text = result.problems.map((p) => `${p.path} ${p.message}`);
    expect(text).toContain('/status must be one of "started", "success", "cancelled", "error"');
    expect(text).toContain('/eval/model must be string');
  });

  it('summaries thin inputs as Inspect does', () => {
    const sample = makeSample(7, 1, 'q'.repeat(6000), 'a', true);
    sample.metadata = { short: '  two   words ', long: 'w '.repeat(1000), obj: { big: 'z'.repeat(2000) } };
    sample.input = [{ role: 'user', content: [{ type: 'text', text: 'x'.repeat(6000) }, { type: 'image', image: 'data:...' }] }];
    const s = sampleSummary(sample);
    const content = (s.input as { content: { type: string; text?: string }[] }[])[0]!.content;
    expect(content[0]!.text).toBe(`${'x'.repeat(5120)}...\n(content truncated)`);
    expect(content[1]).toEqual({ type: 'text', text: '(Image)' });
    expect(s.metadata.short).toBe('two words');
    expect((s.metadata.long as string).length).toBeLessThanOrEqual(1024);
    expect(s.metadata.long).toMatch(/\.\.\.$/);
    expect(s.metadata.obj).toBe('Key removed from summary (> 1k)');
    expect(s.completed).toBe(true);
    expect(s).not.toHaveProperty('messages');
  });

  it('the schema copy in resources is the spec’s schema', () => {
    const copy = readFileSync(join(__dirname, '../../../../resources/schemas/inspect-log-schema.json'), 'utf8');
    expect(JSON.parse(copy).$defs.EvalLog.required).toContain('eval');
  });
});
