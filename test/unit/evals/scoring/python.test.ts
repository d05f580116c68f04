import { describe, expect, it } from 'vitest';
import { formatG, PythonRandom, pyRound, pythonRegex, reprFloat } from '../../../../src/main/services/evals/scoring';
import { decimalDigitValue, exactMean, ND_ZERO_CODE_POINTS, npSum, pyFloat, ratioToDouble } from '../../../../src/main/services/evals/scoring/python';

// Expected strings and numbers below were printed by CPython 3.11.7 on this machine.
describe('Python number formatting', () => {
  const inputs = [123445, 123455, 0.000012345, 1e16, 1e-5, 0.1, 1 / 3, 2.5, -0, 1234567, 0.00012345678, 99999.5, 999995, 1e21, 5e-324, 1.7976931348623157e308, 100000, 12345, 0.0001, 1.5e-7];
  it('format(x, ".5g") — half-to-even on the exact binary value (123445 → 1.2344e+05)', () => {
    expect(inputs.map((x) => formatG(x, 5))).toEqual([
      '1.2344e+05', '1.2346e+05', '1.2345e-05', '1e+16', '1e-05', '0.1', '0.33333', '2.5', '-0', '1.2346e+06', '0.00012346',
      '1e+05', '1e+06', '1e+21', '4.9407e-324', '1.7977e+308', '1e+05', '12345', '0.0001', '1.5e-07',
    ]);
    expect([formatG(Number.NaN), formatG(Infinity), formatG(-Infinity)]).toEqual(['nan', 'inf', '-inf']);
  });
  it('str(float) / repr', () => {
    expect(inputs.map(reprFloat)).toEqual([
      '123445.0', '123455.0', '1.2345e-05', '1e+16', '1e-05', '0.1', '0.3333333333333333', '2.5', '-0.0', '1234567.0', '0.00012345678',
      '99999.5', '999995.0', '1e+21', '5e-324', '1.7976931348623157e+308', '100000.0', '12345.0', '0.0001', '1.5e-07',
    ]);
  });
  it('round(x, 2) on the exact binary value: 0.665 → 0.67, 2.675 → 2.67, 0.125 → 0.12, 0.375 → 0.38, 1.005 → 1.0', () => {
    expect([0.665, 2.675, 0.125, 0.375, 2 / 3, 0.005, 1.005].map((x) => pyRound(x, 2))).toEqual([0.67, 2.67, 0.12, 0.38, 0.67, 0.01, 1]);
  });
  it('float(str): underscores, Unicode digits, specials; refuses what Python refuses', () => {
    expect([pyFloat(' 1_000 '), pyFloat('１２'), pyFloat('.5'), pyFloat('5.'), pyFloat('-1e3'), pyFloat('Infinity')]).toEqual([1000, 12, 0.5, 5, -1000, Infinity]);
    expect(pyFloat('nan')).toBeNaN();
    for (const s of ['', '1_', '_1', '1,000', '1e', '−5', '0x10', '1 2']) expect(pyFloat(s), s).toBeUndefined();
  });
  it('statistics.mean is exact (mean of 0.1, 0.2, 0.3 is 0.2, not 0.20000000000000004); C(3,2)/C(6,2) = 0.2', () => {
    expect(exactMean([0.1, 0.2, 0.3])).toBe(0.2);
    expect(ratioToDouble(3n, 15n)).toBe(0.2);
    expect(ratioToDouble(1n, 3n)).toBe(1 / 3);
  });
  it('numpy pairwise summation agrees with the exact sum for small integers, beyond the 8- and 128-element blocks', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    expect(npSum(values)).toBe(499500);
  });
  it('the Nd digit table covers exactly the runtime\'s \\p{Nd}', () => {
    for (const zero of ND_ZERO_CODE_POINTS) for (let d = 0; d < 10; d++) expect(decimalDigitValue(String.fromCodePoint(zero + d))).toBe(d);
    let count = 0;
    for (let cp = 0; cp <= 0x1ffff; cp++) if (/\p{Nd}/u.test(String.fromCodePoint(cp))) count++;
    expect(count).toBe(ND_ZERO_CODE_POINTS.length * 10);
  });
});

describe('PythonRandom (CPython random.Random)', () => {
  it('shuffle(list(range(6))) matches CPython for several seeds, including a seed wider than 32 bits and a negative one', () => {
    const shuffled = (seed: number) => new PythonRandom(seed).shuffle([0, 1, 2, 3, 4, 5]);
    expect(shuffled(0)).toEqual([4, 2, 1, 0, 5, 3]);
    expect(shuffled(1)).toEqual([2, 3, 5, 0, 4, 1]);
    expect(shuffled(42)).toEqual([3, 1, 2, 4, 0, 5]);
    expect(shuffled(2 ** 40 + 7)).toEqual([2, 0, 1, 3, 5, 4]);
    expect(shuffled(-5)).toEqual([1, 0, 3, 5, 2, 4]);
  });
  it('random() and getrandbits(32) match CPython', () => {
    expect(new PythonRandom(42).random()).toBe(0.6394267984578837);
    expect(new PythonRandom(0).getrandbits(32)).toBe(3626764237);
  });
});

describe('pythonRegex (Python re semantics in JS)', () => {
  it('$ without MULTILINE also matches before a final newline; \\Z only at the very end', () => {
    expect(pythonRegex('abc$').test('abc\n')).toBe(true);
    expect(pythonRegex('abc\\Z').test('abc\n')).toBe(false);
  });
  it('\\w, \\d and \\b are Unicode; . excludes only \\n; (?P<name>) works', () => {
    expect(pythonRegex('^\\w+$').test('naïve')).toBe(true);
    expect(pythonRegex('^\\d+$').test('١٢٣')).toBe(true);
    expect(pythonRegex('\\bété\\b').test("l'été")).toBe(true);
    expect(pythonRegex('a.b').test('a\rb')).toBe(true);
    expect(pythonRegex('(?P<x>a)(?P=x)').exec('aa')?.groups?.x).toBe('a');
  });
});
