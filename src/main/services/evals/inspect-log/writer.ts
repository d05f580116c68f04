/**
 * Writes an Inspect `.eval` log: members in Inspect's write order (`_journal/start.json`, the samples, the journal's
 * summary batches, `summaries.json`, `reductions.json` when there are scorers, `header.json` last), deflate,
 * Inspect's JSON (compact, exclude_none, bare NaN/Infinity). Output is deterministic for the same input: every entry
 * carries the same DOS timestamp (1980-01-01 00:00 local, with no UTC extra field, so the time zone does not leak in).
 */
import { createWriteStream } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { AirlockError, isAirlockError } from '../../../../shared/errors';
import { stringifyInspectJson } from './json';
import { sampleSummary } from './summary';
import type { EvalLogHeader, JsonObject, EvalSample, EvalSampleReductions, EvalSampleSummary } from './types';
import { assertInspectMember } from './validate';

export interface EvalLogWriteInput {
  /** header.json: everything but samples and reductions. */
  header: EvalLogHeader;
  samples: Iterable<EvalSample> | AsyncIterable<EvalSample>;
  reductions?: EvalSampleReductions[];
}

export interface EvalLogWriteOptions {
  /** Check every member against Inspect's schema before it is written (default true). */
  validate?: boolean;
  /** Samples per `_journal/summaries/{n}.json` batch, as Inspect flushes its buffer (default 100). */
  summaryBatchSize?: number;
  /** Deflate level (default 6, zlib's default, as Python's zipfile uses). */
  compressionLevel?: number;
}

export const SAMPLE_MEMBER_PREFIX = 'samples/';
export const START_MEMBER = '_journal/start.json';
export const HEADER_MEMBER = 'header.json';
export const SUMMARIES_MEMBER = 'summaries.json';
export const REDUCTIONS_MEMBER = 'reductions.json';
export const JOURNAL_SUMMARIES_PREFIX = '_journal/summaries/';

/** `samples/{id}_epoch_{epoch}.json`, id verbatim. */
export function sampleMemberName(id: string | number, epoch: number): string {
  return `${SAMPLE_MEMBER_PREFIX}${id}_epoch_${epoch}.json`;
}

// Local time on purpose: DOS timestamps are local, so this encodes as 1980-01-01 00:00 in every zone.
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

/** Write the log to `out` (a file path, created or replaced, or a writable stream). */
export async function writeEvalLog(
  out: string | Writable,
  input: EvalLogWriteInput,
  options: EvalLogWriteOptions = {},
): Promise<void> {
  const zip = new yazl.ZipFile();
  const destination = typeof out === 'string' ? createWriteStream(out) : out;
  const piping = pipeline(zip.outputStream, destination);
  // Surface a write failure (disk full, bad path) rather than an unhandled rejection while members are added.
  piping.catch(() => undefined);
  try {
    await addMembers(zip, input, options);
    zip.end();
    await piping;
  } catch (e) {
    (zip.outputStream as unknown as Readable).destroy();
    if (isAirlockError(e)) throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw new AirlockError('evals.log-write', `The .eval log could not be written (${why}). Check that the folder exists and has space.`);
  }
}

/** Write the log into memory. */
export async function writeEvalLogToBuffer(input: EvalLogWriteInput, options: EvalLogWriteOptions = {}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const { Writable: WritableStream } = await import('node:stream');
  const sink = new WritableStream({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  await writeEvalLog(sink, input, options);
  return Buffer.concat(chunks);
}

async function addMembers(zip: yazl.ZipFile, input: EvalLogWriteInput, options: EvalLogWriteOptions): Promise<void> {
  const validate = options.validate ?? true;
  const batchSize = Math.max(1, options.summaryBatchSize ?? 100);
  const level = options.compressionLevel ?? 6;
  const add = (name: string, value: unknown) =>
    zip.addBuffer(Buffer.from(stringifyInspectJson(value), 'utf8'), name, {
      mtime: FIXED_MTIME,
      forceDosTimestamp: true,
      compress: true,
      compressionLevel: level,
      mode: 0o100644,
    });

  // header.json never carries samples or reductions, whatever the caller passed.
  const { samples: _samples, reductions: _reductions, ...header } = input.header as EvalLogHeader & JsonObject;
  if (!header?.eval) {
    throw new AirlockError('evals.log-missing-eval', 'The log to write has no eval spec; a run always has one, so this is a bug in the caller.');
  }
  if (validate) assertInspectMember('EvalLog', header, HEADER_MEMBER);
  add(START_MEMBER, { version: header.version, eval: header.eval, plan: header.plan });

  const all: EvalSampleSummary[] = [];
  let batch: EvalSampleSummary[] = [];
  let batchNo = 0;
  const seen = new Set<string>();
  for await (const sample of input.samples) {
    const name = sampleMemberName(sample.id, sample.epoch);
    if (seen.has(name)) {
      throw new AirlockError('evals.log-invalid', `Sample ${String(sample.id)} epoch ${sample.epoch} appears twice in the log to write.`, {
        sample: String(sample.id),
        epoch: sample.epoch,
      });
    }
    seen.add(name);
    if (validate) assertInspectMember('EvalSample', sample, name);
    add(name, sample);
    const summary = sampleSummary(sample);
    all.push(summary);
    batch.push(summary);
    if (batch.length >= batchSize) {
      add(`${JOURNAL_SUMMARIES_PREFIX}${++batchNo}.json`, batch);
      batch = [];
    }
  }
  if (batch.length) add(`${JOURNAL_SUMMARIES_PREFIX}${++batchNo}.json`, batch);
  if (validate) all.forEach((s, i) => assertInspectMember('EvalSampleSummary', s, `${SUMMARIES_MEMBER}[${i}]`));
  add(SUMMARIES_MEMBER, all);

  const hasScorers = (header.results?.scores?.length ?? 0) > 0 || (header.eval.scorers?.length ?? 0) > 0;
  if (hasScorers || input.reductions?.length) {
    const reductions = input.reductions ?? [];
    if (validate) reductions.forEach((r, i) => assertInspectMember('EvalSampleReductions', r, `${REDUCTIONS_MEMBER}[${i}]`));
    add(REDUCTIONS_MEMBER, reductions);
  }
  add(HEADER_MEMBER, header);
}
