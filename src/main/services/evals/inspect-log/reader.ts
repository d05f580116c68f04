/**
 * Reads an Inspect `.eval` log as `read_eval_log` does (`log/_recorders/eval.py`, interop §1): header.json, or the
 * journal's start.json for a log that never finished (status "started"); every samples/*.json sorted by
 * (epoch, str(id).zfill(20)); summaries from summaries.json, else the journal batches, deduplicated by (id, epoch)
 * with the last winning; reductions only alongside results. Only Inspect's required (R) fields are demanded; every
 * other field is kept as it was, modelled or not.
 *
 * Legacy migrations done: sample `score` → `scores` (named after the first result score), sample `transcript` →
 * `events` + `attachments`, `results.scorer`/`metrics` → `results.scores`, `results.sample_reductions` →
 * `reductions`, list `eval.sandbox` → `{type, config}`, `eval.config.max_messages` → `message_limit`; a missing
 * `dataset.sample_ids` is filled from the samples and an empty `eval_id` is left as read (Inspect hashes
 * run_id+task_id+created with base57; Airlock keys runs by its own id).
 */
import { AirlockError } from '../../../../shared/errors';
import { parseInspectJson } from './json';
import { resolveEventPools, resolveSampleAttachments } from './resolve';
import type {
  EvalLog,
  EvalSample,
  EvalSampleReductions,
  EvalSampleSummary,
  EvalStats,
  JsonObject,
} from './types';
import {
  HEADER_MEMBER,
  JOURNAL_SUMMARIES_PREFIX,
  REDUCTIONS_MEMBER,
  SAMPLE_MEMBER_PREFIX,
  START_MEMBER,
  SUMMARIES_MEMBER,
} from './writer';
import { openEvalZip, type EvalZip, type EvalZipLimits } from './zip-reader';

export interface ReadEvalLogOptions {
  /** Header (and summaries) only; samples are not read (default false). */
  headerOnly?: boolean;
  /** Resolve attachment:// references and events_data pools (default true). */
  resolveAttachments?: boolean;
  limits?: Partial<EvalZipLimits>;
}

export interface EvalLogRead {
  /** The log: header fields, plus `samples` (unless headerOnly) and `reductions` (when results exist). */
  log: EvalLog;
  /** One summary per (id, epoch), in file order. */
  summaries: EvalSampleSummary[];
  /** Which legacy migrations were applied, for the import record. */
  migrations: string[];
}

const SCORER_PLACEHOLDER = '88F74D2C';

/** Read an `.eval` log from a path or from bytes. */
export async function readEvalLog(source: string | Uint8Array, options: ReadEvalLogOptions = {}): Promise<EvalLogRead> {
  const label = typeof source === 'string' ? source : 'the .eval log';
  const zip = await openEvalZip(source, options.limits);
  try {
    return await readFromZip(zip, label, options);
  } finally {
    zip.close();
  }
}

async function readJson(zip: EvalZip, name: string, label: string): Promise<unknown> {
  const bytes = await zip.read(name);
  try {
    return parseInspectJson(bytes.toString('utf8'));
  } catch (e) {
    throw new AirlockError(
      'evals.log-bad-json',
      `${label}: member ${name} is not valid JSON (${e instanceof Error ? e.message : String(e)}). The log is damaged; copy it again from its source.`,
      { member: name },
    );
  }
}

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function requireFields(obj: unknown, fields: string[], what: string, label: string): asserts obj is JsonObject {
  if (!isObject(obj)) throw invalid(label, `${what} is not a JSON object`);
  for (const f of fields) {
    if (obj[f] === undefined || obj[f] === null) throw invalid(label, `${what} has no '${f}'`);
  }
}

function invalid(label: string, why: string): AirlockError {
  return new AirlockError(
    'evals.log-invalid',
    `${label} is not a usable Inspect log: ${why}. Inspect itself could not read it either; ask for the log again.`,
  );
}

function defaultStats(): EvalStats {
  return { started_at: '', completed_at: '', model_usage: {}, role_usage: {}, connection_limit_history: [] };
}

async function readFromZip(zip: EvalZip, label: string, options: ReadEvalLogOptions): Promise<EvalLogRead> {
  const migrations: string[] = [];
  const names = [...zip.members.keys()];
  let raw: JsonObject;
  if (zip.members.has(HEADER_MEMBER)) {
    const header = await readJson(zip, HEADER_MEMBER, label);
    if (!isObject(header)) throw invalid(label, `${HEADER_MEMBER} is not a JSON object`);
    raw = header;
  } else if (zip.members.has(START_MEMBER)) {
    const start = await readJson(zip, START_MEMBER, label);
    if (!isObject(start)) throw invalid(label, `${START_MEMBER} is not a JSON object`);
    raw = { version: start.version, eval: start.eval, plan: start.plan, status: 'started' };
    if (start.config_updates !== undefined) raw.config_updates = start.config_updates;
  } else {
    throw new AirlockError(
      'evals.log-missing-eval',
      `${label} has neither ${HEADER_MEMBER} nor ${START_MEMBER}, so it carries no eval spec. It is not an Inspect log, or it was cut before Inspect wrote anything; ask for the log again.`,
    );
  }
  if (raw.eval === undefined || raw.eval === null) {
    throw new AirlockError('evals.log-missing-eval', `${label} has a header without an eval spec; Inspect requires one. Ask for the log again.`);
  }
  const log = normaliseHeader(raw, label, migrations);

  // Summaries: summaries.json, else the journal batches 1..N in order; (id, epoch) dedup, last wins.
  let summaryLists: unknown[] = [];
  if (zip.members.has(SUMMARIES_MEMBER)) summaryLists = [await readJson(zip, SUMMARIES_MEMBER, label)];
  else {
    const journal = names
      .filter((n) => n.startsWith(JOURNAL_SUMMARIES_PREFIX) && /^\d+\.json$/.test(n.slice(JOURNAL_SUMMARIES_PREFIX.length)))
      .sort((a, b) => parseInt(a.slice(JOURNAL_SUMMARIES_PREFIX.length), 10) - parseInt(b.slice(JOURNAL_SUMMARIES_PREFIX.length), 10));
    for (const n of journal) summaryLists.push(await readJson(zip, n, label));
  }
  const summaries = new Map<string, EvalSampleSummary>();
  for (const list of summaryLists) {
    if (!Array.isArray(list)) throw invalid(label, 'a summaries member is not a list');
    for (const s of list) {
      requireFields(s, ['id', 'epoch', 'input', 'target'], 'a sample summary', label);
      const key = sampleKey(s.id as string | number, s.epoch as number);
      summaries.delete(key);
      summaries.set(key, s as EvalSampleSummary);
    }
  }

  if (log.results && zip.members.has(REDUCTIONS_MEMBER)) {
    const reductions = await readJson(zip, REDUCTIONS_MEMBER, label);
    if (!Array.isArray(reductions)) throw invalid(label, `${REDUCTIONS_MEMBER} is not a list`);
    for (const r of reductions) requireFields(r, ['scorer', 'samples'], 'a reductions entry', label);
    log.reductions = reductions as EvalSampleReductions[];
  }

  if (!options.headerOnly) {
    const samples: EvalSample[] = [];
    for (const name of names) {
      if (!name.startsWith(SAMPLE_MEMBER_PREFIX) || !name.endsWith('.json')) continue;
      const sample = await readJson(zip, name, label);
      requireFields(sample, ['id', 'epoch', 'input', 'target'], `sample ${name}`, label);
      migrateSample(sample, migrations);
      const typed = sample as EvalSample;
      typed.attachments ??= {};
      if (options.resolveAttachments ?? true) {
        resolveSampleAttachments(typed);
        resolveEventPools(typed, `${label}: ${name}`);
      }
      samples.push(typed);
    }
    samples.sort(compareSamples);
    const scorerName = log.results?.scores?.[0]?.name;
    if (scorerName) {
      for (const s of samples) {
        if (s.scores && SCORER_PLACEHOLDER in s.scores) {
          s.scores[scorerName] = s.scores[SCORER_PLACEHOLDER]!;
          delete s.scores[SCORER_PLACEHOLDER];
        }
      }
    }
    log.samples = samples;
    const dataset = log.eval.dataset;
    if (dataset && dataset.sample_ids === undefined && samples.length) {
      dataset.sample_ids = [...new Set(samples.map((s) => s.id))];
      migrations.push('dataset.sample_ids');
    }
  }
  return { log, summaries: [...summaries.values()], migrations: [...new Set(migrations)] };
}

function sampleKey(id: string | number, epoch: number): string {
  return `${typeof id}:${String(id)}\u0000${epoch}`;
}

/** Inspect's sort key: (epoch, str(id).zfill(20)). zfill pads on the left with zeros, after a leading sign. */
function zfill(s: string, width = 20): string {
  if (s.length >= width) return s;
  const sign = s[0] === '-' || s[0] === '+' ? s[0] : '';
  return sign + '0'.repeat(width - s.length) + s.slice(sign.length);
}

function compareSamples(a: EvalSample, b: EvalSample): number {
  if (a.epoch !== b.epoch) return a.epoch - b.epoch;
  const ka = zfill(String(a.id));
  const kb = zfill(String(b.id));
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function normaliseHeader(raw: JsonObject, label: string, migrations: string[]): EvalLog {
  requireFields(raw.eval, ['created', 'task', 'dataset', 'model', 'config'], 'the eval spec', label);
  const spec = raw.eval;
  if (Array.isArray(spec.sandbox)) {
    const [type, config] = spec.sandbox as unknown[];
    spec.sandbox = config === undefined || config === null ? { type } : { type, config };
    migrations.push('eval.sandbox');
  }
  const config = spec.config as JsonObject;
  if (config.max_messages !== undefined) {
    if (config.message_limit === undefined) config.message_limit = config.max_messages;
    delete config.max_messages;
    migrations.push('eval.config.max_messages');
  }
  const results = raw.results;
  if (isObject(results)) {
    if (results.scorer !== undefined) {
      if (results.scores !== undefined) throw invalid(label, "results has both 'scorer' and 'scores'");
      const score = { ...(results.scorer as JsonObject) };
      if (results.metrics) score.metrics = results.metrics;
      score.scorer = score.name;
      score.params ??= {};
      score.metrics ??= {};
      results.scores = [score];
      delete results.scorer;
      delete results.metrics;
      migrations.push('results.scorer');
    }
    if (results.sample_reductions !== undefined) {
      if (raw.reductions === undefined) raw.reductions = results.sample_reductions;
      delete results.sample_reductions;
      migrations.push('results.sample_reductions');
    }
    results.scores ??= [];
  }
  for (const step of (isObject(raw.plan) && Array.isArray(raw.plan.steps) ? raw.plan.steps : []) as unknown[]) {
    requireFields(step, ['solver'], 'a plan step', label);
  }
  if (isObject(raw.error)) requireFields(raw.error, ['message', 'traceback', 'traceback_ansi'], 'the error', label);
  raw.version ??= 2;
  raw.status ??= 'started';
  raw.plan ??= { name: 'plan', steps: [], config: {} };
  raw.stats ??= defaultStats();
  raw.invalidated ??= false;
  raw.tags ??= Array.isArray(spec.tags) ? [...(spec.tags as string[])] : [];
  raw.metadata ??= isObject(spec.metadata) ? { ...spec.metadata } : {};
  return raw as EvalLog;
}

function migrateSample(sample: JsonObject, migrations: string[]): void {
  if (sample.score !== undefined) {
    if (sample.scores !== undefined) throw invalid('sample', "it has both 'score' and 'scores'");
    sample.scores = { [SCORER_PLACEHOLDER]: sample.score };
    delete sample.score;
    migrations.push('sample.score');
  }
  if (isObject(sample.transcript)) {
    sample.events = sample.transcript.events ?? [];
    sample.attachments = sample.transcript.content ?? {};
    delete sample.transcript;
    migrations.push('sample.transcript');
  }
}
