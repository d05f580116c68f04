/**
 * Undo what Inspect's writer condenses (`log/_condense.py`, `event/_pool.py`, interop §1 "What importers must undo"):
 * `attachment://<hash>` strings point into `sample.attachments`, and model events may carry `input_refs`
 * (and `call.call_refs`) ranges into a per-sample `events_data` pool instead of their messages.
 */
import { AirlockError } from '../../../../shared/errors';
import type { EvalSample, JsonObject } from './types';

const ATTACHMENT_PREFIX = 'attachment://';

/**
 * Replace every string that is exactly `attachment://<hash>` with `attachments[hash]`, anywhere in the sample but
 * the attachments map itself. Resolved hashes leave the map; a reference whose hash is missing stays as written.
 * Returns how many references were resolved.
 */
export function resolveSampleAttachments(sample: EvalSample): number {
  const attachments = sample.attachments ?? {};
  if (Object.keys(attachments).length === 0) return 0;
  const used = new Set<string>();
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (value.startsWith(ATTACHMENT_PREFIX)) {
        const hash = value.slice(ATTACHMENT_PREFIX.length);
        if (Object.prototype.hasOwnProperty.call(attachments, hash)) {
          used.add(hash);
          return attachments[hash];
        }
      }
      return value;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = visit(value[i]);
      return value;
    }
    if (value !== null && typeof value === 'object') {
      const obj = value as JsonObject;
      for (const key of Object.keys(obj)) {
        if (obj === (sample as JsonObject) && key === 'attachments') continue;
        obj[key] = visit(obj[key]);
      }
    }
    return value;
  };
  visit(sample);
  for (const hash of used) delete attachments[hash];
  return used.size;
}

type Range = [number, number];

function expandRanges<T>(pool: T[], ranges: unknown, what: string, sampleLabel: string): T[] {
  if (!Array.isArray(ranges)) throw badPool(sampleLabel, `${what} is not a list of ranges`);
  const out: T[] = [];
  for (const r of ranges as unknown[]) {
    const [start, end] = (Array.isArray(r) ? r : []) as Range;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > pool.length) {
      throw badPool(sampleLabel, `${what} range ${JSON.stringify(r)} is outside the pool of ${pool.length}`);
    }
    for (let i = start; i < end; i++) out.push(structuredClone(pool[i]!));
  }
  return out;
}

function badPool(sampleLabel: string, why: string): AirlockError {
  return new AirlockError(
    'evals.log-invalid',
    `${sampleLabel}: its events_data message pool is inconsistent (${why}). The log was damaged or written by a broken tool; ask for it again.`,
  );
}

/**
 * Inline pooled messages and call payloads back into model events and drop `events_data`, as Inspect's reader does.
 * Returns the number of model events that were expanded.
 */
export function resolveEventPools(sample: EvalSample, sampleLabel: string): number {
  const pool = sample.events_data;
  if (!pool) return 0;
  const messages = Array.isArray(pool.messages) ? pool.messages : [];
  const calls = Array.isArray(pool.calls) ? pool.calls : [];
  let expanded = 0;
  for (const event of sample.events ?? []) {
    if (event.event !== 'model') continue;
    if (event.input_refs != null) {
      event.input = expandRanges(messages, event.input_refs, 'input_refs', sampleLabel);
      delete event.input_refs;
      expanded++;
    }
    const call = event.call as JsonObject | undefined | null;
    if (call && call.call_refs != null) {
      const key = typeof call.call_key === 'string' ? call.call_key : 'messages';
      const request = (call.request && typeof call.request === 'object' ? call.request : {}) as JsonObject;
      request[key] = expandRanges(calls, call.call_refs, 'call_refs', sampleLabel);
      call.request = request;
      delete call.call_refs;
      delete call.call_key;
    }
  }
  delete sample.events_data;
  return expanded;
}
