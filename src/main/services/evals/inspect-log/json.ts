/**
 * JSON as Inspect writes it (`_util/json.py: to_json_safe`): compact UTF-8, `exclude_none` (a None field is omitted),
 * and non-finite floats as bare `NaN` / `Infinity` / `-Infinity`, which plain JSON.parse refuses. NaN is Inspect's
 * "unscored" sentinel, so it must survive a round trip.
 */
import { randomBytes } from 'node:crypto';

/**
 * Keys whose object values are free-form data (pydantic `dict[str, Any]` / JsonValue), where a null is a value the
 * author put there and is kept; everywhere else a null is an unset model field and is omitted (exclude_none).
 */
const FREE_FORM_KEYS = new Set([
  'metadata',
  'store',
  'value',
  'task_args',
  'task_args_passed',
  'task_attribs',
  'solver_args',
  'solver_args_passed',
  'model_args',
  'params',
  'params_passed',
  'options',
  'arguments',
  'extra_body',
  'state',
  'attachments',
  'packages',
]);

function sentinelPrefix(): string {
  // Random per call, so no string in the data can be mistaken for a placeholder.
  return `\u0000airlock-nonfinite-${randomBytes(9).toString('base64url')}:`;
}

/** Serialise like Inspect's writer: compact, None-omitting, bare NaN/Infinity. Key order is kept, so output is deterministic. */
export function stringifyInspectJson(value: unknown): string {
  const prefix = sentinelPrefix();
  let sawNonFinite = false;
  const keepNulls = new WeakSet<object>();
  const text = JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    const holder = this as object;
    if (typeof v === 'number' && !Number.isFinite(v)) {
      sawNonFinite = true;
      return prefix + (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');
    }
    if (v === null) {
      return Array.isArray(holder) || keepNulls.has(holder) ? null : undefined;
    }
    if (typeof v === 'object' && (keepNulls.has(holder) || FREE_FORM_KEYS.has(key))) keepNulls.add(v);
    return v;
  });
  if (text === undefined) throw new TypeError('The value cannot be written as JSON.');
  if (!sawNonFinite) return text;
  const escaped = JSON.stringify(prefix).slice(1, -1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`"${escaped}(NaN|Infinity|-Infinity)"`, 'g'), '$1');
}

/**
 * Parse Inspect JSON. The fast path is JSON.parse; only text that it refuses is scanned for bare NaN/Infinity
 * outside strings, which become placeholders that a reviver turns back into numbers.
 */
export function parseInspectJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (first) {
    const prefix = sentinelPrefix();
    const quoted = replaceBareNonFinite(text, prefix);
    if (quoted === undefined) throw first;
    return JSON.parse(quoted, (_key, v: unknown) => {
      if (typeof v === 'string' && v.startsWith(prefix)) {
        const word = v.slice(prefix.length);
        return word === 'NaN' ? NaN : word === 'Infinity' ? Infinity : -Infinity;
      }
      return v;
    });
  }
}

/** Quote bare NaN / Infinity / -Infinity tokens outside strings; undefined when there are none. */
function replaceBareNonFinite(text: string, prefix: string): string | undefined {
  const out: string[] = [];
  let last = 0;
  let inString = false;
  let found = false;
  const encodedPrefix = JSON.stringify(prefix).slice(1, -1);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    let word: string | undefined;
    if (c === 0x4e && text.startsWith('NaN', i)) word = 'NaN';
    else if (c === 0x49 && text.startsWith('Infinity', i)) word = 'Infinity';
    else if (c === 0x2d && text.startsWith('-Infinity', i)) word = '-Infinity';
    if (word) {
      out.push(text.slice(last, i), `"${encodedPrefix}${word}"`);
      i += word.length - 1;
      last = i + 1;
      found = true;
    }
  }
  if (!found) return undefined;
  out.push(text.slice(last));
  return out.join('');
}
