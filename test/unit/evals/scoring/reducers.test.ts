import { describe, expect, it } from 'vitest';
import {
  atLeastReducer,
  maxReducer,
  meanReducer,
  medianReducer,
  modeReducer,
  passAtReducer,
  passKReducer,
  reduceEpochs,
  reducerByName,
  type Score,
} from '../../../../src/main/services/evals/scoring';
import { thrownCode } from '../../../helpers/errors';

const scores = (...values: Score['value'][]): Score[] => values.map((value) => ({ value }));
const six = scores(6, 0, 0, 0, 8, 4);
const errorCode = thrownCode;

describe('epoch reducers on [6,0,0,0,8,4] (inspect-interop §3)', () => {
  it('[test] mean 3', () => expect(meanReducer()(six).value).toBe(3));
  it('[test] median 2', () => expect(medianReducer()(six).value).toBe(2));
  it('[test] mode 0', () => expect(modeReducer()(six).value).toBe(0));
  it('[test] max 8', () => expect(maxReducer()(six).value).toBe(8));
  it('[test] at_least_3 = 1', () => expect(reducerByName('at_least_3')(six).value).toBe(1));
  it('[test] at_least_4 = 0', () => expect(reducerByName('at_least_4')(six).value).toBe(0));
  it('[test] pass_at_2 = 0.8', () => expect(reducerByName('pass_at_2')(six).value).toBeCloseTo(0.8, 12));
  it('[test] pass_at(3, value=2) = 0.95', () => expect(passAtReducer(3, 2)(six).value).toBeCloseTo(0.95, 12));
  it('[test] pass_at_5 = 1.0', () => expect(reducerByName('pass_at_5')(six).value).toBe(1));
  it('[test] pass_k_2 = 0.2', () => expect(reducerByName('pass_k_2')(six).value).toBe(0.2));
});

describe('reducer rules', () => {
  it('[test log] log_streaming.eval: epochs [I,C] and [C,C] reduce to 0.5 and 1.0', () => {
    const reduced = reduceEpochs(
      [
        { sampleId: 1, scores: scores('I', 'C') },
        { sampleId: 2, scores: scores('C', 'C') },
      ],
      meanReducer(),
    );
    expect(reduced.map((r) => r.score.value)).toEqual([0.5, 1]);
  });
  it('NaN epochs are skipped; all NaN → NaN; pass_at/pass_k with fewer scored epochs than k → NaN', () => {
    expect(meanReducer()(scores(1, Number.NaN, 0)).value).toBe(0.5);
    expect(meanReducer()(scores(Number.NaN, Number.NaN)).value).toBeNaN();
    expect(meanReducer()([]).value).toBeNaN();
    expect(passAtReducer(3)(scores(1, 1, Number.NaN)).value).toBeNaN();
    expect(passKReducer(3)(scores(1, 1, Number.NaN)).value).toBeNaN();
    expect(modeReducer()(scores(Number.NaN, 'C', 'I', 'I')).value).toBe('I');
  });
  it('mode keeps the raw value and breaks ties by first seen; 1, 1.0 and true count as one value (Python hashing)', () => {
    expect(modeReducer()(scores('C', 'I', 'I', 'C')).value).toBe('C');
    expect(modeReducer()(scores('I', 'C')).value).toBe('I');
    expect(modeReducer()(scores(true, 0, 1, 0)).value).toBe(true);
  });
  it('max returns the raw value with the highest to_float (C beats P); at_least counts values ≥ value', () => {
    expect(maxReducer()(scores('I', 'P', 'C', 'P')).value).toBe('C');
    expect(atLeastReducer(2, 0.5)(scores('I', 'P', 'C')).value).toBe(1);
    expect(atLeastReducer(3, 0.5)(scores('I', 'P', 'C')).value).toBe(0);
  });
  it('mean is Python statistics.mean (exact): 0.1, 0.2, 0.3 → 0.2', () => expect(meanReducer()(scores(0.1, 0.2, 0.3)).value).toBe(0.2));
  it('answer and explanation survive only when identical across epochs; metadata comes from the first', () => {
    const same = meanReducer()([
      { value: 'C', answer: '4', explanation: 'x', metadata: { m: 1 } },
      { value: 'I', answer: '4', explanation: 'y' },
    ]);
    expect(same).toEqual({ value: 0.5, answer: '4', explanation: null, metadata: { m: 1 } });
  });
  it('list and dict values are reduced element by element, NaN elements skipped', () => {
    expect(meanReducer()(scores([1, 0, Number.NaN], [0, 0, 1])).value).toEqual([0.5, 0, 1]);
    expect(meanReducer()(scores({ a: 'C', b: 1 }, { a: 'I', b: 3 }, Number.NaN)).value).toEqual({ a: 0.5, b: 2 });
    expect(maxReducer()(scores({ a: 'I', b: 'P' }, { a: 'C', b: 'I' })).value).toEqual({ a: 'C', b: 'P' });
    expect(modeReducer()(scores(['x', 1], ['y', 1], ['x', 0])).value).toEqual(['x', 1]);
  });
  it('mismatched list lengths, dict keys or shapes are refused with scoring.shape-mismatch', () => {
    expect(errorCode(() => meanReducer()(scores([1, 0], [1])))).toBe('scoring.shape-mismatch');
    expect(errorCode(() => meanReducer()(scores({ a: 1 }, { b: 1 })))).toBe('scoring.shape-mismatch');
    expect(errorCode(() => modeReducer()(scores([1], 1)))).toBe('scoring.shape-mismatch');
    expect(errorCode(() => meanReducer()(scores(1, [1])))).toBe('scoring.shape-mismatch');
  });
  it('"name_k" parsing; unknown names and bad k are refused clearly', () => {
    expect(reducerByName('at_least_3').reducerName).toBe('at_least_3');
    expect(reducerByName('pass_k_2').reducerName).toBe('pass_k_2');
    expect(reducerByName('median').reducerName).toBe('median');
    expect(errorCode(() => reducerByName('average'))).toBe('scoring.bad-reducer');
    expect(errorCode(() => reducerByName('mean_2'))).toBe('scoring.bad-reducer');
    expect(errorCode(() => reducerByName('toString'))).toBe('scoring.bad-reducer');
    expect(errorCode(() => atLeastReducer(-1))).toBe('scoring.bad-argument');
  });
});
