import { describe, expect, it } from 'vitest';
import {
  bootstrapStderr,
  clusteredStderr,
  computeGroupedMetrics,
  computeMetrics,
  meanOf,
  meanReducer,
  reduceEpochs,
  std,
  stderr,
  variance,
  wilsonInterval,
  type SampleScore,
} from '../../../../src/main/services/evals/scoring';
import { thrownCode } from '../../../helpers/errors';

const zeroToNine = Array.from({ length: 10 }, (_, i) => i);
const sample = (value: SampleScore['score']['value'], meta?: Record<string, unknown>, id?: number): SampleScore => ({
  score: { value },
  ...(meta ? { sampleMetadata: meta } : {}),
  ...(id !== undefined ? { sampleId: id } : {}),
});
const errorCode = thrownCode;

describe('metrics (inspect-interop §3); Inspect shows 3 decimals, so 3-decimal figures are checked to 3 places', () => {
  it('[test] stderr(0..9) = 0.957', () => expect(stderr(zeroToNine)).toBeCloseTo(0.957, 3));
  it('[test] var(0..9) = 9.167', () => expect(variance(zeroToNine)).toBeCloseTo(9.167, 3));
  it('[test] mean[C,I,P,N] = 0.375', () => expect(computeMetrics(['C', 'I', 'P', 'N'].map((v) => sample(v))).mean).toBe(0.375));
  it('[test] clustered stderr of 0..19 with key i%4 = 0.645', () => {
    const values = Array.from({ length: 20 }, (_, i) => i);
    expect(clusteredStderr(values, values.map((i) => i % 4))).toBeCloseTo(0.645, 3);
    const m = computeMetrics(values.map((i) => sample(i, { k: i % 4 })), { cluster: 'k' });
    expect(m.clusteredStderr).toBeCloseTo(0.645, 3);
  });
  it('[test log] popularity: 8 C / 2 I → accuracy 0.8, stderr 0.133', () => {
    const m = computeMetrics([...Array(8).fill('C'), 'I', 'I'].map((v) => sample(v)));
    expect(m.accuracy).toBe(0.8);
    expect(m.stderr).toBeCloseTo(0.133, 3);
  });
  it('[test log] log_streaming.eval: epochs [I,C] and [C,C] → accuracy 0.75, stderr 0.25', () => {
    const reduced = reduceEpochs(
      [
        { sampleId: 1, scores: [{ value: 'I' }, { value: 'C' }] },
        { sampleId: 2, scores: [{ value: 'C' }, { value: 'C' }] },
      ],
      meanReducer(),
    );
    const m = computeMetrics(reduced.map((r) => ({ score: r.score, sampleId: r.sampleId })));
    expect(m.accuracy).toBe(0.75);
    expect(m.stderr).toBeCloseTo(0.25, 12);
  });
  it('std is √var (ddof 1); n < 2 gives 0 for std, var and stderr; empty mean is 0', () => {
    expect(std(zeroToNine)).toBeCloseTo(Math.sqrt(55 / 6), 12);
    expect([std([5]), variance([5]), stderr([5]), stderr([]), meanOf([])]).toEqual([0, 0, 0, 0, 0]);
  });
  it('clustered stderr is 0 with a single cluster', () => expect(clusteredStderr([1, 2, 3], ['a', 'a', 'a'])).toBe(0));
  it('clustered stderr refuses a sample without the key, or with a NaN key', () => {
    expect(errorCode(() => computeMetrics([sample(1, { k: 1 }), sample(0, {}, 7)], { cluster: 'k' }))).toBe('scoring.cluster-missing');
    expect(errorCode(() => computeMetrics([sample(1, { k: 1 }), sample(0, { k: Number.NaN })], { cluster: 'k' }))).toBe('scoring.cluster-missing');
  });
});

describe('unscored samples, intervals, bootstrap', () => {
  it('NaN-valued scores are dropped and counted; all NaN → every metric NaN', () => {
    const m = computeMetrics([sample('C'), sample(Number.NaN), sample('I')]);
    expect([m.scoredSamples, m.unscoredSamples, m.accuracy]).toEqual([2, 1, 0.5]);
    const none = computeMetrics([sample(Number.NaN), sample(Number.NaN)]);
    expect([none.scoredSamples, none.unscoredSamples]).toEqual([0, 2]);
    for (const v of [none.accuracy, none.mean, none.stderr, none.std, none.var, none.ci95.lower, none.bootstrapStderr.value]) expect(v).toBeNaN();
    expect(computeMetrics([]).scoredSamples).toBe(0);
  });
  it('95% normal interval is mean ± 1.96·stderr; Wilson is given for 0/1 scores and stays inside [0, 1]', () => {
    const m = computeMetrics([...Array(8).fill('C'), 'I', 'I'].map((v) => sample(v)));
    expect(m.ci95.method).toBe('normal');
    expect(m.ci95.lower).toBeCloseTo(0.8 - 1.96 * m.stderr, 3);
    expect(m.ci95.upper).toBeCloseTo(0.8 + 1.96 * m.stderr, 3);
    expect(m.wilson95?.lower).toBeCloseTo(0.4902, 3); // Wilson 95% for 8/10
    expect(m.wilson95?.upper).toBeCloseTo(0.9433, 3);
    const all = wilsonInterval(10, 10);
    expect(all.upper).toBeCloseTo(1, 12);
    expect(all.lower).toBeGreaterThan(0.69);
    expect(computeMetrics([sample(0.5), sample(1)]).wilson95).toBeUndefined();
  });
  it('bootstrap_stderr is reproducible from its recorded seed and close to the analytic ddof-0 stderr', () => {
    const values = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const a = bootstrapStderr(values, { seed: 1234 });
    const b = bootstrapStderr(values, { seed: 1234 });
    expect(a).toEqual(b);
    expect(a.seed).toBe(1234);
    expect(a.numSamples).toBe(1000);
    const p = values.filter((v) => v === 1).length / values.length;
    expect(a.value).toBeCloseTo(Math.sqrt((p * (1 - p)) / values.length), 1);
    expect(bootstrapStderr(values, { seed: 99 }).value).not.toBe(a.value);
    const unseeded = bootstrapStderr(values, { numSamples: 10 });
    expect(Number.isInteger(unseeded.seed)).toBe(true);
    expect(bootstrapStderr(values, { numSamples: 10, seed: unseeded.seed })).toEqual(unseeded);
    expect(errorCode(() => bootstrapStderr(values, { numSamples: 0 }))).toBe('scoring.bad-argument');
  });
});

describe('grouped metrics', () => {
  it('metrics overall and per metadata value, groups in first-seen order', () => {
    const samples = [sample('C', { subject: 'bio' }), sample('I', { subject: 'chem' }), sample('C', { subject: 'bio' }), sample('C', { subject: 'chem' })];
    const g = computeGroupedMetrics(samples, { groupBy: 'subject', bootstrap: { seed: 1 } });
    expect(g.overall.accuracy).toBe(0.75);
    expect(Object.keys(g.groups!)).toEqual(['bio', 'chem']);
    expect(g.groups!.bio!.accuracy).toBe(1);
    expect(g.groups!.chem!.accuracy).toBe(0.5);
    expect(g.groups!.chem!.stderr).toBeCloseTo(0.5, 12);
  });
  it('a sample without the group key is refused with scoring.group-missing', () =>
    expect(errorCode(() => computeGroupedMetrics([sample('C', { subject: 'bio' }), sample('I')], { groupBy: 'subject' }))).toBe('scoring.group-missing'));
});
