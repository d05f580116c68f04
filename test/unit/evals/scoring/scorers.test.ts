import { describe, expect, it } from 'vitest';
import {
  answer,
  exact,
  f1,
  includes,
  match,
  pattern,
  unicodeNumberToFloat,
  valueToFloat,
  valueToFloatChecked,
} from '../../../../src/main/services/evals/scoring';
import { isAirlockError } from '../../../../src/shared/errors';

describe('valueToFloat (inspect-interop §3)', () => {
  it('[test] "yes" → 1', () => expect(valueToFloat('yes')).toBe(1));
  it('[test] "No" → 0', () => expect(valueToFloat('No')).toBe(0));
  it('[test] "0.5" → 0.5', () => expect(valueToFloat('0.5')).toBe(0.5));
  it('[test] "foo" → 0 with a warning', () => expect(valueToFloatChecked('foo')).toEqual({ float: 0, warning: expect.stringContaining('foo') }));
  it('[test] "NaN" → 0 with a warning (not a finite numeric string)', () => expect(valueToFloatChecked('NaN')).toMatchObject({ float: 0, warning: expect.any(String) }));
  it('maps C/P/I/N, bools and numbers; lowercase "c", "inf", lists and dicts fall back to 0 with a warning', () => {
    expect(['C', 'P', 'I', 'N'].map((v) => valueToFloat(v))).toEqual([1, 0.5, 0, 0]);
    expect([valueToFloat(true), valueToFloat(false), valueToFloat(0.25), valueToFloat('TRUE'), valueToFloat(' 2e1 ')]).toEqual([1, 0, 0.25, 1, 20]);
    for (const v of ['c', 'inf', [1], { a: 1 }] as const) expect(valueToFloatChecked(v as never).warning, JSON.stringify(v)).toBeDefined();
    expect(valueToFloatChecked('C').warning).toBeUndefined();
  });
  it('a NaN number stays NaN (it marks an unscored sample)', () => expect(valueToFloat(Number.NaN)).toBeNaN());
});

describe('match(numeric=True), location end unless noted', () => {
  const num = (completion: string, target: string, location?: 'begin' | 'end' | 'any' | 'exact') =>
    match(completion, target, { numeric: true, ...(location ? { location } : {}) });
  it('[test] "28 + 32 = 60\\nThis solves the problem." vs 60 → C', () => expect(num('28 + 32 = 60\nThis solves the problem.', '60').value).toBe('C'));
  it('[test] "The answer is 25" vs 5 → I (no text fallback)', () => expect(num('The answer is 25', '5').value).toBe('I'));
  it('[test] "28 + 32 = 60%" vs 32 → C (60% is skipped)', () => expect(num('28 + 32 = 60%', '32').value).toBe('C'));
  it('[test] "the value is 1000" vs 1e3 → C', () => expect(num('the value is 1000', '1e3').value).toBe('C'));
  it('[test] "2.0" vs 2 → C', () => expect(num('2.0', '2').value).toBe('C'));
  it('[test] "pi is approximately 33.14" vs 3.14 → I', () => expect(num('pi is approximately 33.14', '3.14').value).toBe('I'));
  it('[test] "answer: −5" vs -5 → C', () => expect(num('answer: −5', '-5')).toMatchObject({ value: 'C', answer: '-5' }));
  it('[test] "result: 三" vs 3 → C', () => expect(num('result: 三', '3').value).toBe('C'));
  it('[test] any: "got 25 here" vs 5 → I', () => expect(num('got 25 here', '5', 'any').value).toBe('I'));
  it('[test] any: "first 7 then 25 then done" vs 25 → C, answer "25"', () =>
    expect(num('first 7 then 25 then done', '25', 'any')).toMatchObject({ value: 'C', answer: '25' }));
  it('[test] exact: "5 some text" vs 5 → I', () => expect(num('5 some text', '5', 'exact').value).toBe('I'));
  it('a non-numeric target (60%) uses the text path', () => expect(num('It rose by 60%', '60%').value).toBe('C'));
  it('money, grouping, edge punctuation and trailing dots: "$1,000." vs 1000, "(42)!" vs 42, "**7**" vs 7', () => {
    expect(num('It costs $1,000.', '1000').value).toBe('C');
    expect(num('so the answer is (42)!', '42').value).toBe('C');
    expect(num('The answer is **7**', '7').value).toBe('C');
    expect(num('The answer is \\$5', '5').value).toBe('C');
  });
  it('unicode numerals: ½, 2½, fullwidth digits, superscripts, 十二', () => {
    expect(num('half is ½', '0.5').value).toBe('C');
    expect(num('two and a half: 2½', '2.5').value).toBe('C');
    expect(num('答案是 １２', '12').value).toBe('C');
    expect(num('area = 3²', '9').value).toBe('C');
    expect(num('答案 十二', '12').value).toBe('C');
  });
  it('compares at 5 significant digits like format(x, ".5g"): 3.14159 = 3.1416 and 100001 = 100000, but 100051 ≠ 100000', () => {
    expect(num('x = 3.14159', '3.1416').value).toBe('C');
    expect(num('n = 100001', '100000').value).toBe('C');
    expect(num('n = 100051', '100000').value).toBe('I');
  });
  it('no number in the output → I with an empty answer; begin takes the first number', () => {
    expect(num('no idea', '4')).toMatchObject({ value: 'I', answer: '' });
    expect(num('4 apples, then 5', '4', 'begin').value).toBe('C');
  });
});

describe('match (text) and includes', () => {
  it('[test log] default match: "Yes." vs Yes → C', () => expect(match('Yes.', 'Yes')).toMatchObject({ value: 'C', answer: 'Yes.', explanation: 'Yes.' }));
  it('begin / exact / any and case', () => {
    expect(match('Paris is the capital', 'paris', { location: 'begin' }).value).toBe('C');
    expect(match('Paris is the capital', 'paris', { location: 'begin', ignoreCase: false }).value).toBe('I');
    expect(match(' Paris! ', 'paris', { location: 'exact' }).value).toBe('C');
    expect(match('I think Paris is it', 'Paris', { location: 'any' }).value).toBe('C');
    expect(match('I think Paris is it', 'Paris').value).toBe('I');
  });
  it('casefolds (ß = SS) and tries every target; answer comes from the last attempt on a miss', () => {
    expect(match('Die Straße', 'STRASSE').value).toBe('C');
    expect(match('blue', ['red', 'blue']).value).toBe('C');
    expect(match('green', ['red', 'blue'])).toMatchObject({ value: 'I', answer: 'green' });
    expect(match('green', [])).toMatchObject({ value: 'I', answer: null });
  });
  it('derived: "The flag is picoCTF{Ab1}" includes picoctf{ab1} → C', () => expect(includes('The flag is picoCTF{Ab1}', 'picoctf{ab1}').value).toBe('C'));
  it('includes is case-sensitive when asked', () => expect(includes('The flag is picoCTF{Ab1}', 'picoctf{ab1}', { ignoreCase: false }).value).toBe('I'));
});

describe('f1 and exact (_normalize)', () => {
  it('[test] f1 "Paris" vs "Paris, Texas" → 0.67', () => expect(f1('Paris', 'Paris, Texas').value).toBe(0.67));
  it('[test] f1 "Paris" vs ["Paris, Texas","Paris"] → 1.0', () => expect(f1('Paris', ['Paris, Texas', 'Paris']).value).toBe(1));
  it('[test] f1 with stop_words=["Paris"] → 0.0', () => expect(f1('Paris', 'Paris, Texas', { stopWords: ['Paris'] }).value).toBe(0));
  it('[test] f1 "The answer is 3.14." vs 3.14 → 0.5', () => expect(f1('The answer is 3.14.', '3.14').value).toBe(0.5));
  it('[test] f1 "(3.14)" vs 3.14 → 1.0', () => expect(f1('(3.14)', '3.14').value).toBe(1));
  it('f1 rounds like Python round(x, 2) and skips blank targets', () => {
    expect(f1('a b c', 'a b c d e f').value).toBe(0.57); // the article "a" is dropped: {b,c} vs {b,c,d,e,f} → 0.5714…
    expect(f1('red green', ['   ', 'red green blue']).value).toBe(0.8);
    expect(f1('anything', ['', ' ']).value).toBe(0);
  });
  it('f1 uses answerFn when given and records the extracted answer', () =>
    expect(f1('ANSWER: blue sky', 'blue sky', { answerFn: (c) => c.replace(/^ANSWER:\s*/, '') })).toEqual({ value: 1, answer: 'blue sky' }));
  it('[test] exact: "3,000"="3000", "$1,000."="1000", "don\'t"="dont", "U.S."="US"', () => {
    expect(exact('3,000', '3000').value).toBe('C');
    expect(exact('$1,000.', '1000').value).toBe('C');
    expect(exact("don't", 'dont').value).toBe('C');
    expect(exact('U.S.', 'US').value).toBe('C');
  });
  it('[test] exact: "world hello" ≠ "hello world"; "hello hello" ≠ "hello"', () => {
    expect(exact('world hello', 'hello world').value).toBe('I');
    expect(exact('hello hello', 'hello').value).toBe('I');
  });
  it('exact ignores articles, case and hyphens; blank targets never match', () => {
    expect(exact('The Eiffel-Tower', 'eiffel tower').value).toBe('C');
    expect(exact('', ['', '  ']).value).toBe('I');
  });
});

describe('pattern and answer', () => {
  it('pattern: first group equal to a target → C; one group that misses → I with that group; no match → N', () => {
    expect(pattern('The result is 42.', '42', String.raw`result is (\d+)`)).toMatchObject({ value: 'C', answer: '42' });
    expect(pattern('The result is 41.', '42', String.raw`result is (\d+)`)).toMatchObject({ value: 'I', answer: '41' });
    expect(pattern('nothing here', '42', String.raw`result is (\d+)`)).toEqual({
      value: 'N',
      explanation: 'Scoring pattern not matched in output: nothing here',
    });
  });
  it('pattern ignores case by default, and match_all needs every captured group to be a target', () => {
    expect(pattern('Colour: RED', 'red', 'colour: (\\w+)').value).toBe('C');
    expect(pattern('Colour: RED', 'red', 'colour: (\\w+)', { ignoreCase: false }).value).toBe('N');
    expect(pattern('a=x b=x', 'x', 'a=(\\w) b=(\\w)', { matchAll: true })).toMatchObject({ value: 'C', answer: 'x' });
    expect(pattern('a=x b=y', 'x', 'a=(\\w) b=(\\w)', { matchAll: true }).value).toBe('I');
    expect(pattern('a= b=', 'x', 'a=(\\w)? b=(\\w)?', { matchAll: true }).value).toBe('I');
  });
  it('an invalid pattern is refused with scoring.bad-pattern', () => {
    try {
      pattern('x', 'x', '(unclosed');
      expect.unreachable();
    } catch (e) {
      expect(isAirlockError(e) && e.code).toBe('scoring.bad-pattern');
    }
  });
  it('[test] letter: "ANSWER: B" vs B → C', () => expect(answer('ANSWER: B', 'B', 'letter').value).toBe('C'));
  it('[test] letter: "ANSWER: Yes" → N', () => expect(answer('ANSWER: Yes', 'Y', 'letter').value).toBe('N'));
  it('[test] letter: the last ANSWER wins ("…ANSWER: A\\nWait…\\nANSWER: B" → B)', () =>
    expect(answer('I think ANSWER: A\nWait, no.\nANSWER: B', 'B', 'letter')).toMatchObject({ value: 'C', answer: 'B' }));
  it('[test] word: "ANSWER: Yes." → C', () => expect(answer('ANSWER: Yes.', 'yes', 'word').value).toBe('C'));
  it('[test] word: "ANSWER: 42,\\n" → C', () => expect(answer('ANSWER: 42,\n', '42', 'word').value).toBe('C'));
  it('[test] word: "ANSWER: 3.14" → C', () => expect(answer('ANSWER: 3.14', '3.14', 'word').value).toBe('C'));
  it('[test] word: "ANSWER: ☆" → C', () => expect(answer('ANSWER: ☆', '☆', 'word').value).toBe('C'));
  it('[test] word: "ANSWER: Yes then more text" → N', () => expect(answer('ANSWER: Yes then more text', 'yes', 'word').value).toBe('N'));
  it('[test] line: "ANSWER:\\nThis is a whole new line" → C', () =>
    expect(answer('ANSWER:\nThis is a whole new line', 'This is a whole new line', 'line').value).toBe('C'));
  it('line keeps the rest of the last line; a trailing newline is allowed', () =>
    expect(answer('Reasoning…\nANSWER: the blue one\n', 'the blue one', 'line')).toMatchObject({ value: 'C', answer: 'the blue one' }));
  it('word uses Unicode word characters (Python \\w), e.g. "ANSWER: café"', () => expect(answer('ANSWER: café', 'CAFÉ', 'word').value).toBe('C'));
});

describe('unicode_number_to_float', () => {
  it('parses Unicode numerals as Inspect does', () => {
    expect(unicodeNumberToFloat('−5')).toBe(-5);
    expect(unicodeNumberToFloat('½')).toBe(0.5);
    expect(unicodeNumberToFloat('2½')).toBe(2.5);
    expect(unicodeNumberToFloat('−½')).toBe(-0.5);
    expect(unicodeNumberToFloat('三')).toBe(3);
    expect(unicodeNumberToFloat('十二')).toBe(12);
    expect(unicodeNumberToFloat('一万二千三百')).toBe(12300);
    expect(unicodeNumberToFloat('二〇二五')).toBe(2025);
    expect(unicodeNumberToFloat('三点一四')).toBeCloseTo(3.14, 12);
    expect(unicodeNumberToFloat('１２３')).toBe(123);
    expect(unicodeNumberToFloat('٣٫٥')).toBe(3.5);
    expect(unicodeNumberToFloat('3²')).toBe(9);
    expect(unicodeNumberToFloat('-2²')).toBe(4);
    expect(unicodeNumberToFloat('1.5⁻³')).toBeCloseTo(0.2962962962962963, 15);
    expect(unicodeNumberToFloat('Ⅻ')).toBe(12);
    expect(unicodeNumberToFloat('1 234,5')).toBe(1234.5);
    expect(unicodeNumberToFloat('负五')).toBe(-5);
  });
  it('refuses what Inspect refuses', () => {
    expect(unicodeNumberToFloat('²')).toBe(2); // a lone superscript is a single numeric symbol, not an exponent
    for (const s of ['', '½½', '2½x', 'abc', '60%', '1.2.3', '+', 'e5']) expect(unicodeNumberToFloat(s), s).toBeUndefined();
  });
});
