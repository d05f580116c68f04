/**
 * Inspect's metrics (`scorer/_metrics/`): accuracy, mean, stderr (plain and
 * clustered), bootstrap_stderr, std, var, plus 95% intervals, overall and
 * grouped by a sample metadata field. Sums follow numpy's pairwise order.
 */
import { AirlockError } from '../../../../shared/errors';
import { PythonRandom } from './python-random';
import { npMean, npSum, npVar } from './python';
import { type Score, isUnscored } from './types';
import { valueToFloat, type ValueToFloatOptions } from './value';

export interface SampleScore {
  score: Score;
  sampleId?: string | number;
  sampleMetadata?: Record<string, unknown> | null;
}

/** `accuracy()` and `mean()`: the mean of the values (0 for none). */
export function meanOf(values: readonly number[]): number {
  return values.length === 0 ? 0 : npMean(values);
}

/** `var()`: sample variance (ddof 1); 0 when n < 2. */
export function variance(values: readonly number[]): number {
  return values.length < 2 ? 0 : npVar(values, 1);
}

/** `std()`: sample standard deviation (ddof 1); 0 when n < 2. */
export function std(values: readonly number[]): number {
  return values.length < 2 ? 0 : Math.sqrt(npVar(values, 1));
}

/** `stderr()`: std(ddof 1)/√n; 0 when n < 2. */
export function stderr(values: readonly number[]): number {
  return values.length < 2 ? 0 : Math.sqrt(npVar(values, 1)) / Math.sqrt(values.length);
}

/**
 * `stderr(cluster=key)`: √(Σ_c(Σ_{i∈c}(s_i − m))² · C/(C−1)) / n, with m the
 * overall mean and C the number of clusters; 0 when C < 2.
 */
export function clusteredStderr(values: readonly number[], clusters: readonly unknown[]): number {
  if (values.length !== clusters.length) throw new AirlockError('scoring.bad-argument', 'Clustered stderr needs one cluster id per value.');
  if (values.length === 0) return 0;
  const m = npMean(values);
  const byCluster = new Map<string, number[]>();
  clusters.forEach((c, i) => {
    const key = String(c);
    const list = byCluster.get(key) ?? [];
    list.push(values[i]! - m);
    byCluster.set(key, list);
  });
  const count = byCluster.size;
  if (count < 2) return 0;
  let clustered = 0;
  // np.unique sorts the cluster ids; np.outer(d, d).sum() is a pairwise sum of all d_i·d_j.
  for (const key of [...byCluster.keys()].sort()) {
    const d = byCluster.get(key)!;
    clustered += npSum(d.flatMap((a) => d.map((b) => a * b)));
  }
  return Math.sqrt((clustered * count) / (count - 1)) / values.length;
}

export interface BootstrapResult {
  value: number;
  numSamples: number;
  /** The seed used, recorded so the figure can be reproduced. */
  seed: number;
}

/**
 * `bootstrap_stderr(num_samples=1000)`: std (ddof 0) of the means of
 * `num_samples` resamples with replacement. Inspect draws unseeded from
 * numpy; here the draws come from a Python-compatible Mersenne Twister
 * (`random.Random(seed)`, `_randbelow(n)` per draw) and the seed is returned.
 */
export function bootstrapStderr(values: readonly number[], options: { numSamples?: number; seed?: number } = {}): BootstrapResult {
  const numSamples = options.numSamples ?? 1000;
  if (!Number.isInteger(numSamples) || numSamples < 1) throw new AirlockError('scoring.bad-argument', `bootstrap_stderr needs num_samples ≥ 1; got ${numSamples}.`);
  const seed = options.seed ?? crypto.getRandomValues(new Uint32Array(1))[0]!;
  if (!Number.isSafeInteger(seed)) throw new AirlockError('scoring.bad-argument', `The bootstrap seed must be an integer; got ${seed}.`);
  if (values.length === 0) return { value: Number.NaN, numSamples, seed };
  const rng = new PythonRandom(seed);
  const n = values.length;
  const means: number[] = [];
  const draw: number[] = new Array<number>(n);
  for (let s = 0; s < numSamples; s++) {
    for (let i = 0; i < n; i++) draw[i] = values[rng.randbelow(n)]!;
    means.push(npMean(draw));
  }
  return { value: Math.sqrt(npVar(means, 0)), numSamples, seed };
}

export interface Interval {
  lower: number;
  upper: number;
  method: 'normal' | 'wilson';
  level: 0.95;
}

const Z95 = 1.959963984540054;

/** 95% normal-approximation interval: mean ± 1.96·stderr. */
export function normalInterval(mean: number, standardError: number): Interval {
  return { lower: mean - Z95 * standardError, upper: mean + Z95 * standardError, method: 'normal', level: 0.95 };
}

/** 95% Wilson score interval for a proportion (successes out of n); better than the normal one near 0 and 1. */
export function wilsonInterval(successes: number, n: number): Interval {
  if (n === 0) return { lower: Number.NaN, upper: Number.NaN, method: 'wilson', level: 0.95 };
  const p = successes / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half), method: 'wilson', level: 0.95 };
}

export interface MetricsOptions {
  /** Metadata key for clustered stderr (each sample must carry it). */
  cluster?: string;
  bootstrap?: { numSamples?: number; seed?: number };
  toFloat?: ValueToFloatOptions;
}

export interface MetricValues {
  /** Samples whose score was used. */
  scoredSamples: number;
  /** Samples dropped because their value was NaN. */
  unscoredSamples: number;
  accuracy: number;
  mean: number;
  stderr: number;
  /** Present when `cluster` was given. */
  clusteredStderr?: number;
  bootstrapStderr: BootstrapResult;
  std: number;
  var: number;
  /** mean ± 1.96·stderr (clustered stderr when a cluster key was given). */
  ci95: Interval;
  /** Wilson interval, when every value is 0 or 1. */
  wilson95?: Interval;
}

function metadataValue(sample: SampleScore, key: string, code: 'scoring.cluster-missing' | 'scoring.group-missing'): unknown {
  const meta = sample.sampleMetadata;
  const v = meta && Object.hasOwn(meta, key) ? meta[key] : undefined;
  if (v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v))) {
    const what = code === 'scoring.cluster-missing' ? 'compute stderr with clustering' : 'group metrics';
    throw new AirlockError(code, `Sample ${String(sample.sampleId ?? '?')} has no value for metadata key "${key}". To ${what} by "${key}", every sample's metadata must have one.`, {
      sampleId: sample.sampleId === undefined ? null : String(sample.sampleId),
      key,
    });
  }
  return v;
}

/** All metrics for one set of (already epoch-reduced) sample scores. NaN values are dropped first; none left → every metric NaN. */
export function computeMetrics(samples: readonly SampleScore[], options: MetricsOptions = {}): MetricValues {
  const scored = samples.filter((s) => !isUnscored(s.score.value));
  const unscoredSamples = samples.length - scored.length;
  if (options.cluster !== undefined) for (const s of scored) metadataValue(s, options.cluster, 'scoring.cluster-missing');
  const values = scored.map((s) => valueToFloat(s.score.value, options.toFloat));
  const bootstrapStderrValue = bootstrapStderr(values, options.bootstrap);
  if (values.length === 0) {
    const nan = Number.NaN;
    return {
      scoredSamples: 0,
      unscoredSamples,
      accuracy: nan,
      mean: nan,
      stderr: nan,
      ...(options.cluster !== undefined ? { clusteredStderr: nan } : {}),
      bootstrapStderr: bootstrapStderrValue,
      std: nan,
      var: nan,
      ci95: { lower: nan, upper: nan, method: 'normal', level: 0.95 },
    };
  }
  const mean = meanOf(values);
  const se = stderr(values);
  const clustered =
    options.cluster !== undefined
      ? clusteredStderr(
          values,
          scored.map((s) => metadataValue(s, options.cluster!, 'scoring.cluster-missing')),
        )
      : undefined;
  const binary = values.every((v) => v === 0 || v === 1);
  return {
    scoredSamples: values.length,
    unscoredSamples,
    accuracy: mean,
    mean,
    stderr: se,
    ...(clustered !== undefined ? { clusteredStderr: clustered } : {}),
    bootstrapStderr: bootstrapStderrValue,
    std: std(values),
    var: variance(values),
    ci95: normalInterval(mean, clustered ?? se),
    ...(binary ? { wilson95: wilsonInterval(values.filter((v) => v === 1).length, values.length) } : {}),
  };
}

export interface GroupedMetrics {
  overall: MetricValues;
  /** By the string form of the metadata value, in first-seen order. */
  groups?: Record<string, MetricValues>;
  groupBy?: string;
}

/** Metrics overall and, with `groupBy`, per value of that metadata field (every sample must have it). */
export function computeGroupedMetrics(samples: readonly SampleScore[], options: MetricsOptions & { groupBy?: string } = {}): GroupedMetrics {
  const overall = computeMetrics(samples, options);
  if (options.groupBy === undefined) return { overall };
  const key = options.groupBy;
  const buckets = new Map<string, SampleScore[]>();
  for (const s of samples) {
    const g = String(metadataValue(s, key, 'scoring.group-missing'));
    const list = buckets.get(g) ?? [];
    list.push(s);
    buckets.set(g, list);
  }
  const groups: Record<string, MetricValues> = {};
  for (const [g, list] of buckets) groups[g] = computeMetrics(list, options);
  return { overall, groups, groupBy: key };
}
