/**
 * Inspect's epoch reducers (`scorer/_reducer/reducer.py`): one Score per
 * sample from the Scores of its epochs. NaN values are skipped (all NaN →
 * NaN); answer/explanation survive only when identical across epochs;
 * list and dict values are reduced element by element.
 */
import { AirlockError } from '../../../../shared/errors';
import { comb, exactMean, ratioToDouble } from './python';
import { type ScalarValue, type Score, isUnscored, type Value } from './types';
import { valueToFloat } from './value';

export type ScoreReducer = ((scores: readonly Score[]) => Score) & { readonly reducerName: string };

type Element = ScalarValue | null;
const isReducible = (v: Element): v is ScalarValue => !(typeof v === 'number' && Number.isNaN(v));
const toFloat = (v: Element): number => (v === null ? 0 : valueToFloat(v));

function sameOrNull(values: readonly (string | null | undefined)[]): string | null {
  const first = values[0] ?? null;
  return values.every((v) => (v ?? null) === first) ? first : null;
}

function reducedScore(value: Value, scores: readonly Score[]): Score {
  if (scores.length === 0) return { value };
  const out: Score = {
    value,
    answer: sameOrNull(scores.map((s) => s.answer)),
    explanation: sameOrNull(scores.map((s) => s.explanation)),
  };
  if (scores[0]!.metadata != null) out.metadata = scores[0]!.metadata;
  return out;
}

const nanScore = (scores: readonly Score[]): Score => reducedScore(Number.NaN, scores);

function shapeError(message: string): AirlockError {
  return new AirlockError('scoring.shape-mismatch', `${message} Every epoch must score the same shape; give an epoch a NaN score to mark it unscored.`);
}

type Shape = 'list' | 'dict' | 'scalar';
const shapeOf = (v: Value): Shape => (Array.isArray(v) ? 'list' : typeof v === 'object' && v !== null ? 'dict' : 'scalar');

/**
 * Splits epoch scores into element columns: for a list, one column per index;
 * for a dict, one per key; for a scalar, one column. NaN-at-root epochs are left out.
 */
function columns(scores: readonly Score[]): { shape: Shape; keys: string[]; cols: Element[][] } | undefined {
  const scored = scores.filter((s) => !isUnscored(s.value));
  if (scored.length === 0) return undefined;
  const shape = shapeOf(scored[0]!.value);
  if (shape === 'scalar') {
    if (scored.some((s) => shapeOf(s.value) !== 'scalar')) throw shapeError('Cannot reduce a scalar score together with a list or dict score.');
    return { shape, keys: [''], cols: [scored.map((s) => s.value as ScalarValue)] };
  }
  if (shape === 'list') {
    const lists = scored.map((s) => {
      if (!Array.isArray(s.value)) throw shapeError('Attempting to reduce a list score for a non-list value.');
      return s.value;
    });
    const length = lists[0]!.length;
    const other = lists.find((l) => l.length !== length);
    if (other) throw shapeError(`Cannot reduce list scores with mismatched lengths: ${length} vs ${other.length}.`);
    return { shape, keys: [], cols: Array.from({ length }, (_, i) => lists.map((l) => l[i]!)) };
  }
  const dicts = scored.map((s) => {
    if (shapeOf(s.value) !== 'dict') throw shapeError('Attempting to reduce a dictionary score for a non-dictionary value.');
    return s.value as Record<string, Element>;
  });
  const keys = Object.keys(dicts[0]!);
  const keySet = [...keys].sort().join('\u0000');
  const other = dicts.find((d) => Object.keys(d).sort().join('\u0000') !== keySet);
  if (other) throw shapeError(`Cannot reduce dictionary scores with mismatched keys: [${[...keys].sort().join(', ')}] vs [${Object.keys(other).sort().join(', ')}].`);
  return { shape, keys, cols: keys.map((k) => dicts.map((d) => d[k] ?? null)) };
}

function assemble(shape: Shape, keys: string[], results: Element[]): Value {
  if (shape === 'scalar') return results[0] as ScalarValue;
  if (shape === 'list') return results as ScalarValue[];
  return Object.fromEntries(keys.map((k, i) => [k, results[i]!]));
}

/** Reduces each element column with `reduceColumn` (given only reducible values; empty → NaN). */
function elementwise(name: string, reduceColumn: (values: ScalarValue[]) => Element): ScoreReducer {
  const reduce = (scores: readonly Score[]): Score => {
    const split = columns(scores);
    if (!split) return nanScore(scores);
    const results = split.cols.map((col) => {
      const values = col.filter(isReducible) as ScalarValue[];
      return values.length === 0 ? Number.NaN : reduceColumn(values);
    });
    return reducedScore(assemble(split.shape, split.keys, results), scores);
  };
  return Object.assign(reduce, { reducerName: name });
}

/** Statistic reducers see `to_float` values with NaN results (e.g. a NaN number) skipped. */
function statistic(name: string, stat: (floats: number[]) => number): ScoreReducer {
  return elementwise(name, (values) => {
    const floats = values.map(toFloat).filter((f) => !Number.isNaN(f));
    return floats.length === 0 ? Number.NaN : stat(floats);
  });
}

/** Python `statistics.median`. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

/** Python hashes 1, 1.0 and True alike: Counter keys compare that way. */
const counterKey = (v: ScalarValue): string => (typeof v === 'string' ? `s:${v}` : `n:${Number(v)}`);

/** Counter(values) in first-seen order: [representative value, count]. */
function counter(values: ScalarValue[]): [ScalarValue, number][] {
  const counts = new Map<string, [ScalarValue, number]>();
  for (const v of values) {
    const key = counterKey(v);
    const entry = counts.get(key);
    if (entry) entry[1]++;
    else counts.set(key, [v, 1]);
  }
  return [...counts.values()];
}

/** `mean`: Python's statistics.mean (exact, rounded once). */
export const meanReducer = (): ScoreReducer => statistic('mean', exactMean);
/** `median`. */
export const medianReducer = (): ScoreReducer => statistic('median', median);

/** `mode`: the most common raw value; ties go to the value seen first. */
export const modeReducer = (): ScoreReducer =>
  elementwise('mode', (values) => {
    let best: [ScalarValue, number] | undefined;
    for (const entry of counter(values)) if (!best || entry[1] > best[1]) best = entry;
    return best![0];
  });

/** `max`: the raw value with the highest to_float (the first one on ties). */
export const maxReducer = (): ScoreReducer =>
  elementwise('max', (values) => {
    let best = values[0]!;
    for (const v of values.slice(1)) if (toFloat(v) > toFloat(best)) best = v;
    return best;
  });

function checkK(name: string, k: number): void {
  if (!Number.isInteger(k) || k < 0) throw new AirlockError('scoring.bad-argument', `The ${name} reducer needs a whole number k ≥ 0; got ${k}.`);
}

/** `at_least(k, value=1)`: 1 if at least k epoch values are ≥ value, else 0. */
export function atLeastReducer(k: number, value = 1): ScoreReducer {
  checkK('at_least', k);
  return elementwise(`at_least_${k}`, (values) => {
    const count = counter(values).reduce((n, [v, c]) => (toFloat(v) >= value ? n + c : n), 0);
    return count >= k ? 1 : 0;
  });
}

/** `pass_at(k, value=1)`: Chen et al.'s unbiased pass@k; NaN when fewer than k epochs were scored. */
export function passAtReducer(k: number, value = 1): ScoreReducer {
  checkK('pass_at', k);
  return statistic(`pass_at_${k}`, (floats) => {
    const n = floats.length;
    const c = floats.filter((f) => f >= value).length;
    if (n < k) return Number.NaN;
    if (n - c < k) return 1;
    let product = 1;
    for (let i = n - c + 1; i <= n; i++) product *= 1 - k / i;
    return 1 - product;
  });
}

/** `pass_k(k, value=1)`: probability all k draws succeed, C(c,k)/C(n,k); NaN when fewer than k epochs were scored. */
export function passKReducer(k: number, value = 1): ScoreReducer {
  checkK('pass_k', k);
  return statistic(`pass_k_${k}`, (floats) => {
    const n = floats.length;
    if (n < k) return Number.NaN;
    const c = floats.filter((f) => f >= value).length;
    return ratioToDouble(comb(c, k), comb(n, k));
  });
}

const SIMPLE: Record<string, () => ScoreReducer> = { mean: meanReducer, median: medianReducer, mode: modeReducer, max: maxReducer };
const WITH_K: Record<string, (k: number) => ScoreReducer> = { at_least: atLeastReducer, pass_at: passAtReducer, pass_k: passKReducer };

/** A reducer by its Inspect name: "mean", "median", "mode", "max", or "name_k" such as "at_least_3", "pass_at_2", "pass_k_2". */
export function reducerByName(name: string): ScoreReducer {
  const simple = SIMPLE[name];
  if (simple && Object.hasOwn(SIMPLE, name)) return simple();
  const m = /^(.+)_(\d+)$/.exec(name);
  const withK = m && Object.hasOwn(WITH_K, m[1]!) ? WITH_K[m[1]!] : undefined;
  if (m && withK) return withK(Number(m[2]));
  throw new AirlockError(
    'scoring.bad-reducer',
    `No epoch reducer is called "${name}". Use mean, median, mode, max, at_least_K, pass_at_K or pass_k_K (K a whole number).`,
  );
}

/** The default reducer when a task names none: mean (EvalScore.reducer stays unset). */
export const DEFAULT_REDUCER = 'mean';

/** Reduces every sample's epoch scores with one reducer; returns one Score per sample id, in input order. */
export function reduceEpochs<Id>(samples: readonly { sampleId: Id; scores: readonly Score[] }[], reducer: ScoreReducer): { sampleId: Id; score: Score }[] {
  return samples.map((s) => ({ sampleId: s.sampleId, score: reducer(s.scores) }));
}
