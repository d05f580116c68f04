/**
 * Compiles a Python `re` pattern (as Inspect writes them) to an equivalent
 * JavaScript RegExp. Python's str patterns are Unicode-aware and differ from
 * JS in ways that change matches:
 * - `\w` `\d` `\s` `\b` are Unicode (`\w` = letters, numbers, `_`);
 * - `$` without MULTILINE also matches before a final "\n"; `\Z` is the very end;
 * - with MULTILINE, `^`/`$` break only at "\n" (JS also breaks at \r, U+2028/9);
 * - `.` excludes only "\n" (JS also excludes \r, U+2028/9);
 * - inline flags `(?ims)` at the start, `(?P<name>…)`, `(?P=name)`.
 * Verbose (`x`), ASCII (`a`) and locale (`L`) flags are refused.
 */
import { AirlockError } from '../../../../shared/errors';
import { PY_SPACE_CLASS } from './python';

const WORD = '\\p{L}\\p{N}_';
const W = `[${WORD}]`;
const NOT_W = `[^${WORD}]`;
const END = '(?![\\s\\S])';
const START = '(?<![\\s\\S])';
const SYNTAX = new Set(Array.from('^$\\.*+?()[]{}|/'));

export interface PythonRegexFlags {
  ignoreCase?: boolean;
  multiline?: boolean;
  dotAll?: boolean;
  /** Add JS `g` (for matchAll). */
  global?: boolean;
}

function badPattern(source: string, why: string): AirlockError {
  return new AirlockError('scoring.bad-pattern', `The scoring pattern ${JSON.stringify(source)} cannot be used: ${why}. Write it in Python re syntax without verbose, ASCII or locale flags.`);
}

export function pythonRegex(source: string, flags: PythonRegexFlags = {}): RegExp {
  let pattern = source;
  let ignoreCase = flags.ignoreCase ?? false;
  let multiline = flags.multiline ?? false;
  let dotAll = flags.dotAll ?? false;
  for (let m = /^\(\?([aiLmsux]+)\)/.exec(pattern); m; m = /^\(\?([aiLmsux]+)\)/.exec(pattern)) {
    for (const f of m[1]!) {
      if (f === 'i') ignoreCase = true;
      else if (f === 'm') multiline = true;
      else if (f === 's') dotAll = true;
      else if (f !== 'u') throw badPattern(source, `the inline flag "${f}" is not supported`);
    }
    pattern = pattern.slice(m[0].length);
  }
  let out = '';
  let inClass = false;
  const cps = Array.from(pattern);
  for (let i = 0; i < cps.length; i++) {
    const ch = cps[i]!;
    if (ch === '\\') {
      const next = cps[++i];
      if (next === undefined) throw badPattern(source, 'it ends with a lone backslash');
      out += inClass ? classEscape(next, source) : escape(next, multiline);
      if (next === 'x') {
        out += cps.slice(i + 1, i + 3).join('');
        i += 2;
      } else if (next === 'u') {
        out += cps.slice(i + 1, i + 5).join('');
        i += 4;
      } else if (next === 'U') {
        out += `{${cps.slice(i + 1, i + 9).join('').replace(/^0+(?=.)/, '')}}`;
        i += 8;
      }
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      if (ch === '[') out += '\\[';
      else out += ch;
      continue;
    }
    switch (ch) {
      case '[': {
        inClass = true;
        out += '[';
        if (cps[i + 1] === '^') {
          out += '^';
          i++;
        }
        if (cps[i + 1] === ']') {
          out += '\\]';
          i++;
        }
        break;
      }
      case '.':
        out += dotAll ? '[\\s\\S]' : '[^\\n]';
        break;
      case '^':
        out += multiline ? `(?:${START}|(?<=\\n))` : START;
        break;
      case '$':
        out += multiline ? `(?=\\n|${END})` : `(?=\\n?${END})`;
        break;
      case '(':
        if (pattern.startsWith('?P<', stringIndex(cps, i + 1))) {
          out += '(?<';
          i += 3;
        } else if (pattern.startsWith('?P=', stringIndex(cps, i + 1))) {
          const close = cps.indexOf(')', i);
          out += `\\k<${cps.slice(i + 4, close).join('')}>`;
          i = close;
        } else out += ch;
        break;
      case '{': {
        const rest = cps.slice(i).join('');
        out += /^\{\d*(?:,\d*)?\}/.test(rest) && rest !== '{}' && !rest.startsWith('{,}') ? '{' : '\\{';
        break;
      }
      case '}':
        out += /\{\d*(?:,\d*)?$/.test(out) ? '}' : '\\}';
        break;
      default:
        out += ch;
    }
  }
  const jsFlags = `u${ignoreCase ? 'i' : ''}${flags.global ? 'g' : ''}`;
  try {
    return new RegExp(out, jsFlags);
  } catch (e) {
    throw badPattern(source, (e as Error).message);
  }
}

function stringIndex(cps: string[], cpIndex: number): number {
  return cps.slice(0, cpIndex).join('').length;
}

function escape(c: string, multiline: boolean): string {
  switch (c) {
    case 'w':
      return W;
    case 'W':
      return NOT_W;
    case 'd':
      return '\\p{Nd}';
    case 'D':
      return '\\P{Nd}';
    case 's':
      return `[${PY_SPACE_CLASS}]`;
    case 'S':
      return `[^${PY_SPACE_CLASS}]`;
    case 'b':
      return `(?:(?<=${W})(?!${W})|(?<!${W})(?=${W}))`;
    case 'B':
      return `(?:(?<=${W})(?=${W})|(?<!${W})(?!${W}))`;
    case 'A':
      return START;
    case 'Z':
      return END;
    case 'U':
      return '\\u';
    default:
      void multiline;
      return plainEscape(c);
  }
}

function classEscape(c: string, source: string): string {
  switch (c) {
    case 'w':
      return WORD;
    case 'd':
      return '\\p{Nd}';
    case 'D':
      return '\\P{Nd}';
    case 's':
      return PY_SPACE_CLASS;
    case 'W':
    case 'S':
      throw badPattern(source, `\\${c} inside a character class is not supported`);
    case 'b':
      return '\\x08';
    case 'U':
      return '\\u';
    case '-':
      return '\\-';
    default:
      return plainEscape(c);
  }
}

/** Python lets any non-alphanumeric be escaped; JS's u mode only syntax characters. */
function plainEscape(c: string): string {
  if (/^[A-Za-z0-9]$/.test(c)) return `\\${c}`;
  return SYNTAX.has(c) ? `\\${c}` : c;
}
