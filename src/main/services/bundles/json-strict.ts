/**
 * Strict JSON parser (RFC 8259) that refuses duplicate object keys at any
 * depth. JSON.parse silently keeps the last duplicate, which lets two
 * readers disagree about a signed document, so we parse ourselves.
 */
export class JsonError extends Error {
  constructor(
    readonly kind: 'syntax' | 'duplicate-key',
    message: string,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 64;

export function parseStrictJson(text: string): unknown {
  let i = 0;
  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const fail = (msg: string): never => {
    const line = text.slice(0, i).split('\n').length;
    throw new JsonError('syntax', `${msg} at line ${line} (offset ${i}).`);
  };
  const str = (): string => {
    i++; // opening quote
    let out = '';
    let start = i;
    for (;;) {
      if (i >= text.length) fail('Unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c < 0x20) fail('Control character in string');
      if (c === 0x5c) {
        out += text.slice(start, i);
        const e = text[i + 1];
        const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e === 'u') {
          const h = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(h)) fail('Bad \\u escape');
          out += String.fromCharCode(parseInt(h, 16));
          i += 6;
        } else if (e !== undefined && map[e] !== undefined) {
          out += map[e];
          i += 2;
        } else fail('Bad escape');
        start = i;
      } else i++;
    }
  };
  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail('Nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      const keys = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('Expected a string key');
        const k = str();
        if (keys.has(k)) throw new JsonError('duplicate-key', `Duplicate key "${k.slice(0, 100)}" at offset ${i}.`);
        keys.add(k);
        ws();
        if (text[i] !== ':') fail('Expected ":"');
        i++;
        const v = value(depth + 1);
        // defineProperty: a key "__proto__" becomes a plain own property
        Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail('Expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('Expected "," or "]"');
      }
    }
    if (c === '"') return str();
    const rest = text.slice(i, i + 5);
    if (rest.startsWith('true')) return (i += 4), true;
    if (rest.startsWith('false')) return (i += 5), false;
    if (rest.startsWith('null')) return (i += 4), null;
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail('Unexpected token');
    i += m![0].length;
    return Number(m![0]);
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail('Trailing content after the JSON value');
  return v;
}
