import { describe, expect, it } from 'vitest';
import { parseStrictJson, JsonError } from '../../../src/main/services/bundles/json-strict';
import { pathProblem } from '../../../src/main/services/bundles/paths';
import { parseSums } from '../../../src/main/services/bundles/sums';
import { parseMetadata } from '../../../src/main/services/bundles/metadata';
import { evalMeta, modelAccessMeta, resultMeta } from '../../helpers/corpus/fixtures';

const H = 'a'.repeat(96);
const META = { 'model-access': modelAccessMeta, 'eval-package': evalMeta, result: resultMeta };
const metadataFor = (type: keyof typeof META, over: Record<string, unknown> = {}) => META[type](over);

describe('strict JSON', () => {
  it('parses like JSON.parse for valid input', () => {
    const s = '{"a":[1,-2.5e3,true,false,null,"x\\u00e9\\n"],"b":{"c":{}}}';
    expect(parseStrictJson(s)).toEqual(JSON.parse(s));
  });
  it('refuses duplicate keys at any depth, including escaped forms', () => {
    expect(() => parseStrictJson('{"a":1,"a":2}')).toThrow(/Duplicate key "a"/);
    expect(() => parseStrictJson('{"x":[{"k":1,"\\u006b":2}]}')).toThrow(JsonError);
  });
  it('keeps __proto__ as a plain property', () => {
    const v = parseStrictJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(v)).toEqual(['__proto__']);
  });
  it('refuses syntax errors and trailing content', () => {
    for (const bad of ['{', '{"a":1,}', '[1 2]', '01', '{"a":1} x', "{'a':1}", 'NaN', '"\t"'])
      expect(() => parseStrictJson(bad), bad).toThrow(JsonError);
    expect(() => parseStrictJson('['.repeat(100) + ']'.repeat(100))).toThrow(/deep/);
  });
});

describe('paths', () => {
  it('accepts the grammar and rejects the rest', () => {
    for (const ok of ['bundle.json', 'payload/a-b_c.d', 'A/b/c/d/e/f/g/h', 'x'.repeat(128)]) expect(pathProblem(ok), ok).toBeUndefined();
    for (const bad of ['', '/a', 'a//b', './a', 'a/..', '.hidden', 'a/b.', 'CON', 'com1.txt', 'Lpt9', 'a b', 'a\\b', 'é', 'a/b/c/d/e/f/g/h/i', 'x'.repeat(129), '-a'])
      expect(pathProblem(bad), bad).toBeDefined();
  });
});

describe('SHA384SUMS', () => {
  it('parses sha384sum output', () => {
    expect(parseSums(Buffer.from(`${H}  a\n${H}  b/c\n`))).toEqual([{ path: 'a', sha384: H }, { path: 'b/c', sha384: H }]);
  });
  it('rejects every deviation', () => {
    const bad = [`${H.toUpperCase()}  a\n`, `${H} *a\n`, `${H}  a\r\n`, `\ufeff${H}  a\n`, `${H}  b\n${H}  a\n`, `${H}  a\n${H}  a\n`, `${H}  a`, `${H} a\n`, '', `${H}  a\n\n`, `${H.slice(1)}  a\n`, `${H}  ../a\n`];
    for (const b of bad) expect(() => parseSums(Buffer.from(b)), JSON.stringify(b)).toThrow();
  });
  it('sorts bytewise (uppercase before lowercase)', () => {
    expect(() => parseSums(Buffer.from(`${H}  Z\n${H}  a\n`))).not.toThrow();
    expect(() => parseSums(Buffer.from(`${H}  a\n${H}  Z\n`))).toThrow(/order/);
  });
});

describe('metadata schemas', () => {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o));
  it('accepts the three types', () => {
    for (const t of ['model-access', 'eval-package', 'result'] as const) expect(parseMetadata(enc(metadataFor(t))).type).toBe(t);
    const w = metadataFor('model-access');
    (w.model as Record<string, unknown>).access = { kind: 'weights', format: 'gguf', files: ['payload/m.gguf'] };
    expect(parseMetadata(enc(w)).type).toBe('model-access');
  });
  it('names the bad field', () => {
    const m = metadataFor('model-access');
    (m.model as Record<string, unknown>).access = { kind: 'endpoint', api: 'other', baseUrl: 'https://x', model: 'm' };
    expect(() => parseMetadata(enc(m))).toThrow(/model\.access/);
    expect(() => parseMetadata(enc(metadataFor('eval-package', { id: 'Upper' })))).toThrow(/field id/);
    expect(() => parseMetadata(enc(metadataFor('result', { notBefore: 'yesterday' })))).toThrow(/notBefore/);
    expect(() => parseMetadata(Buffer.from([0xff, 0xfe]))).toThrow(/UTF-8/);
    expect(() => parseMetadata(Buffer.alloc((1 << 20) + 1, 0x20))).toThrow(/1 MiB/);
  });
});

describe('RFC 3339 times in bundle.json', () => {
  it('accepts real times and refuses impossible ones that Date.parse would roll over', async () => {
    const { isRealRfc3339 } = await import('../../../src/main/services/bundles/metadata');
    for (const ok of ['2027-02-28T00:00:00Z', '2028-02-29T23:59:59Z', '2026-01-31T12:00:00.123+05:30']) {
      expect(isRealRfc3339(ok), ok).toBe(true);
    }
    for (const bad of ['2027-02-29T00:00:00Z', '2027-02-30T00:00:00Z', '2026-04-31T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:60:00Z', '2026-12-31T23:59:60Z', '2026-01-01T00:00:00+24:00', '2026-00-10T00:00:00Z']) {
      expect(isRealRfc3339(bad), bad).toBe(false);
    }
  });
});
