/** Canonical JSON (RFC 8785): the RFC's own examples, and refusals of what is not plain JSON data. */
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonBytes } from '../../../src/main/services/bundles/canonical-json';
import { parseStrictJson } from '../../../src/main/services/bundles/json-strict';
import { AirlockError } from '../../../src/shared/errors';

function ieee(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE(0);
}

function refusal(v: unknown): AirlockError {
  try {
    canonicalJson(v);
  } catch (e) {
    expect(e).toBeInstanceOf(AirlockError);
    expect((e as AirlockError).code).toBe('json.not-canonicalizable');
    return e as AirlockError;
  }
  throw new Error('expected a refusal');
}

describe('canonical JSON (RFC 8785)', () => {
  it('§3.2.2 example: numbers, string escapes and literals', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it('§3.2.3 example: keys sorted by UTF-16 code units, not by code point or UTF-8', () => {
    const input = JSON.parse(
      '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control", "\\u00f6": "Latin Small Letter O With Diaeresis"}',
    );
    const out = canonicalJson(input);
    // (not via Object.keys: JavaScript lists integer-like keys such as "1" first)
    // U+0080 is written as itself (only controls below U+0020 are escaped)
    expect(out).toBe('{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}');
  });

  it('Appendix B: number serialisation from IEEE 754 bit patterns', () => {
    const cases: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [bits, text] of cases) expect(canonicalJson(ieee(bits)), bits).toBe(text);
    expect(() => canonicalJson(ieee('7fffffffffffffff'))).toThrow(/not a JSON number/); // NaN
    expect(() => canonicalJson(ieee('7ff0000000000000'))).toThrow(/not a JSON number/); // Infinity
  });

  it('nested objects and arrays: no whitespace, sorted at every depth, array order kept', () => {
    const v = { b: [3, { z: 1, a: [true, null] }], a: { y: 'x', x: 'y' }, skipped: undefined };
    expect(canonicalJson(v)).toBe('{"a":{"x":"y","y":"x"},"b":[3,{"a":[true,null],"z":1}]}');
    expect(canonicalJsonBytes({ k: 'é' })).toEqual(Buffer.from('{"k":"é"}', 'utf8'));
  });

  it('what it writes reads back with the strict reader, equal to the input', () => {
    const v = { title: 'Ünïcödé 😀 "quoted" \\ back', n: [0, -1.5, 1e-7, 2 ** 53], nested: { deep: [[[]]], e: {} } };
    expect(parseStrictJson(canonicalJson(v))).toEqual(v);
  });

  it('refuses lone surrogates in strings and keys (I-JSON)', () => {
    expect(refusal({ title: 'a\ud800b' }).message).toMatch(/"title".*lone UTF-16 surrogate/);
    expect(refusal({ ['\udc00']: 1 }).message).toMatch(/lone UTF-16 surrogate/);
  });

  it('refuses what JSON.stringify would silently change, naming where', () => {
    expect(refusal({ when: new Date(0) }).message).toMatch(/"when".*Date.*toISOString/);
    expect(refusal({ raw: Buffer.from('x') }).message).toMatch(/"raw".*Buffer/);
    expect(refusal({ m: new Map() }).message).toMatch(/"m".*Map/);
    expect(refusal({ list: [1, undefined] }).message).toMatch(/"list\[1\]".*undefined/);
    expect(refusal({ f: () => 1 }).message).toMatch(/"f".*function/);
    expect(refusal({ big: 10n }).message).toMatch(/"big".*bigint/);
    expect(refusal(undefined).message).toMatch(/top-level value/);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(refusal(cyclic).message).toMatch(/"self".*cycle/);
  });

  it('a value used twice (not a cycle) is fine', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });
});
