/**
 * Canonical JSON (RFC 8785, JCS) for what Airlock writes and signs:
 * bundle.json (spec §5) and, later, findings. The serialisation itself is the
 * `canonicalize` package (by one of RFC 8785's authors): ECMAScript number
 * and string forms, keys sorted by UTF-16 code units, no whitespace, NaN,
 * Infinity and lone surrogates refused.
 *
 * What this wrapper adds: the input must be plain JSON data. JSON.stringify
 * (and so the package) quietly turns a Date into a string, a Buffer into
 * {"type":"Buffer",…}, a Map into {} and an undefined array element into
 * null; in signed metadata each of those is a bug, so they are refused with
 * the path of the offending value. An object member whose value is undefined
 * is left out, as JSON.stringify does (optional fields).
 */
import canonicalize from 'canonicalize';
import { AirlockError } from '../../../shared/errors';

const MAX_DEPTH = 64;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function where(path: string): string {
  return path === '' ? 'the top-level value' : `"${path}"`;
}

function refuse(path: string, what: string): never {
  throw new AirlockError('json.not-canonicalizable', `Cannot write ${where(path)} as canonical JSON: ${what}.`, { path: path || '(top level)' });
}

/** Walk the value once; throws AirlockError('json.not-canonicalizable') on anything that is not plain JSON data. */
function checkPlainJson(value: unknown, path: string, depth: number, stack: Set<object>): void {
  if (depth > MAX_DEPTH) refuse(path, `nested deeper than ${MAX_DEPTH} levels`);
  switch (typeof value) {
    case 'string':
      if (LONE_SURROGATE.test(value)) refuse(path, 'the string contains a lone UTF-16 surrogate (RFC 8785 requires I-JSON text)');
      return;
    case 'number':
      if (!Number.isFinite(value)) refuse(path, `${value} is not a JSON number`);
      return;
    case 'boolean':
      return;
    case 'object':
      break;
    default:
      refuse(path, `a ${typeof value} is not JSON data`);
  }
  if (value === null) return;
  if (stack.has(value)) refuse(path, 'the value refers to itself (a cycle)');
  stack.add(value);
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      const p = `${path}[${i}]`;
      if (v === undefined) refuse(p, 'an array element is undefined (JSON would silently write null)');
      checkPlainJson(v, p, depth + 1, stack);
    });
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null)
      refuse(path, `a ${(value as object).constructor?.name ?? 'non-plain'} object is not plain JSON data (convert it first, e.g. a Date with toISOString())`);
    if (Object.getOwnPropertySymbols(value).length > 0) refuse(path, 'symbol-keyed properties are not JSON data');
    for (const [k, v] of Object.entries(value)) {
      const p = path === '' ? k : `${path}.${k}`;
      if (LONE_SURROGATE.test(k)) refuse(p, 'the key contains a lone UTF-16 surrogate');
      if (v === undefined) continue;
      checkPlainJson(v, p, depth + 1, stack);
    }
  }
  stack.delete(value);
}

/** RFC 8785 canonical form of plain JSON data. Throws AirlockError('json.not-canonicalizable'). */
export function canonicalJson(value: unknown): string {
  checkPlainJson(value, '', 0, new Set());
  const out = canonicalize(value);
  if (out === undefined) refuse('', 'nothing to write');
  return out;
}

/** canonicalJson as UTF-8 bytes (what is hashed and signed). */
export function canonicalJsonBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}
