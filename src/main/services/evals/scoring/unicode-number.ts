/**
 * Port of Inspect's `scorer/_unicode.py: unicode_number_to_float` (vulgar
 * fractions, superscript exponents, Chinese numerals, digits of any script,
 * Unicode signs, locale grouping). Python's `unicodedata.numeric/digit` are
 * replaced by the tables below, taken from CPython 3.11's unicodedata for the
 * blocks that hold numeric symbols (Latin-1 superscripts and fractions,
 * super/subscripts, Number Forms, Enclosed Alphanumerics, Dingbats) plus the
 * CJK numerals Inspect's own tables name; decimal digits of every script come
 * from \p{Nd}. A numeric symbol outside these blocks is not recognised.
 */
import { decimalDigitValue, isSpace } from './python';

class NotANumber extends Error {}

function ranges(entries: readonly (readonly [number, readonly number[]])[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const [start, values] of entries) values.forEach((v, i) => map.set(String.fromCodePoint(start + i), v));
  return map;
}
const ONE_TO_NINE = [1, 2, 3, 4, 5, 6, 7, 8, 9];
const TEN_TO_TWENTY = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
const ROMAN = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 50, 100, 500, 1000];

/** `unicodedata.digit` for non-Nd characters (superscripts, subscripts, enclosed digits). */
const DIGIT = ranges([
  [0xb2, [2, 3]],
  [0xb9, [1]],
  [0x2070, [0]],
  [0x2074, [4, 5, 6, 7, 8, 9]],
  [0x2080, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
  [0x2460, ONE_TO_NINE],
  [0x2474, ONE_TO_NINE],
  [0x2488, ONE_TO_NINE],
  [0x24ea, [0]],
  [0x24f5, ONE_TO_NINE],
  [0x24ff, [0]],
  [0x2776, ONE_TO_NINE],
  [0x2780, ONE_TO_NINE],
  [0x278a, ONE_TO_NINE],
]);

/** Chinese numerals and symbols, as in Inspect's tables. */
const CH_DIGITS: Record<string, number> = {
  零: 0, 〇: 0, '○': 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
  壹: 1, 贰: 2, 貳: 2, 叁: 3, 參: 3, 肆: 4, 伍: 5, 陆: 6, 陸: 6, 柒: 7, 捌: 8, 玖: 9, 两: 2, 兩: 2, 幺: 1,
};
const CH_ALT_TENS: Record<string, number> = { 廿: 20, 卅: 30, 卌: 40 };
const CH_SMALL_UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const CH_LARGE_UNITS: Record<string, number> = { 万: 10_000, 萬: 10_000, 亿: 100_000_000, 億: 100_000_000, 兆: 1_000_000_000_000 };
const CH_NEG = new Set(['负', '負']);
const CH_POS = new Set(['正']);
const CH_DEC_WORDS = new Set(['点', '點']);

/** unicodedata.numeric values of the CJK ideographs above, per CPython 3.11 (两 and ○ have none). */
const CJK_NUMERIC: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
  壹: 1, 贰: 2, 貳: 2, 叁: 3, 參: 3, 肆: 4, 伍: 5, 陆: 6, 陸: 6, 柒: 7, 捌: 8, 玖: 9, 兩: 2, 幺: 1,
  廿: 20, 卅: 30, 卌: 40, 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000,
  万: 10_000, 萬: 10_000, 亿: 100_000_000, 億: 100_000_000, 兆: 1_000_000_000_000,
};

/** `unicodedata.numeric` for the remaining numeric symbols (fractions, Roman numerals, numbers 10–20). */
const NUMERIC = ranges([
  [0xbc, [1 / 4, 1 / 2, 3 / 4]],
  [0x2150, [1 / 7, 1 / 9, 1 / 10, 1 / 3, 2 / 3, 1 / 5, 2 / 5, 3 / 5, 4 / 5, 1 / 6, 5 / 6, 1 / 8, 3 / 8, 5 / 8, 7 / 8, 1]],
  [0x2160, ROMAN],
  [0x2170, ROMAN],
  [0x2180, [1000, 5000, 10000]],
  [0x2185, [6, 50, 50000, 100000, 0]],
  [0x2469, TEN_TO_TWENTY],
  [0x247d, TEN_TO_TWENTY],
  [0x2491, TEN_TO_TWENTY],
  [0x24eb, TEN_TO_TWENTY.slice(1)],
  [0x24fe, [10]],
  [0x277f, [10]],
  [0x2789, [10]],
  [0x2793, [10]],
]);

/** `unicodedata.numeric(ch)` (undefined where Python raises). */
export function unicodeNumeric(ch: string): number | undefined {
  return decimalDigitValue(ch) ?? DIGIT.get(ch) ?? NUMERIC.get(ch) ?? CJK_NUMERIC[ch];
}

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const SUPERSCRIPT_SIGNS = new Set(['⁻', '⁺']);
const MINUS_CHARS = new Set(['-', '−', '﹣', '－']);
const PLUS_CHARS = new Set(['+', '＋', '﹢']);
const DECIMAL_SEP_EXTRAS = new Set(['٫', '．']);
const GROUP_SEPARATORS = new Set([',', '，', '﹐', '、', '٬', ' ', '\u00a0', '\u202f', '\u2009', '\u2007', '\u2008', "'", '’', 'ʼ', '＇']);

const stripSpace = (chars: string[]): string[] => {
  let start = 0;
  let end = chars.length;
  while (start < end && isSpace(chars[start]!)) start++;
  while (end > start && isSpace(chars[end - 1]!)) end--;
  return chars.slice(start, end);
};

/**
 * Inspect's `unicode_number_to_float(s)`: the number a Unicode string spells,
 * or undefined where Inspect raises ValueError.
 */
export function unicodeNumberToFloat(s: string): number | undefined {
  try {
    return parse(s);
  } catch (e) {
    if (e instanceof NotANumber) return undefined;
    throw e;
  }
}

function parse(s: string): number {
  let text = stripSpace(Array.from(s));
  if (text.length === 0) throw new NotANumber();
  let negative = false;
  // 1) leading signs (ASCII/Unicode/Chinese) bind to the base
  for (;;) {
    const ch = text[0];
    if (ch === undefined) break;
    if (MINUS_CHARS.has(ch) || CH_NEG.has(ch)) negative = !negative;
    else if (!(PLUS_CHARS.has(ch) || CH_POS.has(ch))) break;
    text = stripSpace(text.slice(1));
  }
  // 2) a single numeric symbol
  const single = text.length === 1 ? unicodeNumeric(text[0]!) : undefined;
  if (single !== undefined) return negative ? -single : single;
  // 3) a trailing superscript exponent
  const [baseText, exponent] = splitSuperscriptExponent(text);
  // 4) the base, with an optional embedded vulgar fraction
  let base = parseWithVulgarFraction(baseText);
  if (base === undefined) throw new NotANumber();
  if (negative) base = -base;
  // 5) the exponent
  if (exponent !== undefined) {
    const result = base ** exponent;
    // Python raises ZeroDivisionError/OverflowError here, which Inspect reports as ValueError.
    if (!Number.isFinite(result) && Number.isFinite(base)) throw new NotANumber();
    return result;
  }
  return base;
}

function splitSuperscriptExponent(s: string[]): [string[], number | undefined] {
  if (s.length === 0) return [s, undefined];
  let end = s.length - 1;
  while (end >= 0 && (isSpace(s[end]!) || GROUP_SEPARATORS.has(s[end]!))) end--;
  if (end < 0) return [stripSpace(s), undefined];
  let j = end;
  while (j >= 0 && SUPERSCRIPT_DIGITS.includes(s[j]!)) j--;
  let start = j + 1;
  if (start > end) return [stripSpace(s), undefined];
  if (j >= 0 && SUPERSCRIPT_SIGNS.has(s[j]!)) start = j;
  const base = stripSpace(s.slice(0, start)); // Python: s[:start].rstrip(); the left side is already stripped
  if (base.length === 0) return [stripSpace(s), undefined];
  const exponentAscii = s
    .slice(start, end + 1)
    .map((c) => (c === '⁻' ? '-' : c === '⁺' ? '+' : String(SUPERSCRIPT_DIGITS.indexOf(c))))
    .join('');
  if (!/^[+-]?\d+$/.test(exponentAscii)) throw new NotANumber();
  return [base, Number(exponentAscii)];
}

function fractionCharValue(ch: string): number | undefined {
  const v = unicodeNumeric(ch);
  return v !== undefined && v > 0 && v < 1 ? v : undefined;
}

function parseWithVulgarFraction(s: string[]): number | undefined {
  if (s.length === 0) return undefined;
  const hits = s.flatMap((ch, i) => {
    const v = fractionCharValue(ch);
    return v === undefined ? [] : [[i, v] as const];
  });
  if (hits.length === 0) return parseCore(s);
  if (hits.length > 1) throw new NotANumber();
  const [idx, fraction] = hits[0]!;
  const head = stripSpace(s.slice(0, idx));
  const tail = stripSpace(s.slice(idx + 1));
  if (tail.some((c) => !(isSpace(c) || GROUP_SEPARATORS.has(c)))) throw new NotANumber();
  let headValue = 0;
  if (head.length > 0) {
    const parsed = parseCore(head);
    if (parsed === undefined) throw new NotANumber();
    headValue = parsed;
  }
  return headValue + fraction;
}

function parseCore(input: string[]): number | undefined {
  const s = stripSpace(input);
  if (s.length === 0) return undefined;
  if (looksLikeChineseNumeral(s)) {
    const v = parseChineseNumber(s);
    if (v !== undefined) return v;
  }
  const generic = parseGenericUnicodeDigits(s);
  if (generic !== undefined) return generic;
  if (s.length === 1) return unicodeNumeric(s[0]!);
  return undefined;
}

function isChinesePoolChar(ch: string): boolean {
  return (
    ch in CH_DIGITS || ch in CH_SMALL_UNITS || ch in CH_LARGE_UNITS || CH_DEC_WORDS.has(ch) || CH_NEG.has(ch) || CH_POS.has(ch) || ch in CH_ALT_TENS
  );
}

function looksLikeChineseNumeral(s: string[]): boolean {
  return s.some(isChinesePoolChar);
}

function charToAsciiDigit(ch: string): string | undefined {
  if (ch >= '0' && ch <= '9' && ch.length === 1) return ch;
  const d = decimalDigitValue(ch) ?? DIGIT.get(ch) ?? CH_DIGITS[ch];
  return d === undefined ? undefined : String(d);
}

function parseGenericUnicodeDigits(input: string[]): number | undefined {
  const s = stripSpace(input);
  if (s.length === 0) return undefined;
  const dots = s.flatMap((c, i) => (c === '.' ? [i] : []));
  const commas = s.flatMap((c, i) => (c === ',' ? [i] : []));
  let decimalChar: string | undefined;
  if (dots.length && commas.length) decimalChar = dots.at(-1)! > commas.at(-1)! ? '.' : ',';
  else if (dots.length) decimalChar = '.';
  else if (commas.length) {
    const tailDigits = s.slice(commas.at(-1)! + 1).filter((c) => charToAsciiDigit(c) !== undefined).length;
    if (tailDigits >= 1 && tailDigits <= 3) decimalChar = ',';
  }
  const out: string[] = [];
  let seenDecimal = false;
  let seenExp = false;
  for (let i = 0; i < s.length; ) {
    const ch = s[i]!;
    if ((ch === 'e' || ch === 'E') && !seenExp) {
      if (out.length === 0) return undefined;
      out.push(ch);
      seenExp = true;
      i++;
      const next = s[i];
      if (next !== undefined && (PLUS_CHARS.has(next) || MINUS_CHARS.has(next))) {
        out.push(PLUS_CHARS.has(next) ? '+' : '-');
        i++;
      }
      continue;
    }
    if (DECIMAL_SEP_EXTRAS.has(ch) || (decimalChar !== undefined && ch === decimalChar)) {
      if (seenDecimal) return undefined;
      out.push('.');
      seenDecimal = true;
      i++;
      continue;
    }
    if (GROUP_SEPARATORS.has(ch) || isSpace(ch) || (decimalChar !== undefined && (ch === ',' || ch === '.') && ch !== decimalChar)) {
      i++;
      continue;
    }
    const digit = charToAsciiDigit(ch);
    if (digit !== undefined) {
      out.push(digit);
      i++;
      continue;
    }
    return undefined; // Chinese numerals and unknown symbols
  }
  if (out.length === 0 || out.every((c) => '.eE+-'.includes(c))) return undefined;
  const text = out.join('');
  // Python float() of the assembled ASCII text
  return /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text) ? Number(text) : undefined;
}

function parseChineseNumber(input: string[]): number | undefined {
  const s = stripSpace(input);
  if (s.length === 0) return undefined;
  let integerPart = s;
  let fracPart: string[] = [];
  for (const dec of [...CH_DEC_WORDS, '．', '.']) {
    const at = s.indexOf(dec);
    if (at >= 0) {
      integerPart = s.slice(0, at);
      fracPart = s.slice(at + 1);
      break;
    }
  }
  let intValue: number;
  if (!integerPart.some((ch) => ch in CH_SMALL_UNITS || ch in CH_LARGE_UNITS || ch in CH_ALT_TENS)) {
    let digits = '';
    for (const ch of integerPart) {
      if (isSpace(ch)) continue;
      const d = charToAsciiDigit(ch);
      if (d === undefined) return undefined;
      digits += d;
    }
    intValue = digits ? Number(BigInt(digits)) : 0;
  } else {
    const parsed = parseChineseIntegerWithUnits(integerPart);
    if (parsed === undefined) return undefined;
    intValue = parsed;
  }
  let fracValue = 0;
  let base = 0.1;
  for (const ch of fracPart) {
    if (isSpace(ch)) continue;
    const d = charToAsciiDigit(ch);
    if (d === undefined) return undefined;
    fracValue += Number(d) * base;
    base /= 10;
  }
  return intValue + fracValue;
}

function parseChineseIntegerWithUnits(s: string[]): number | undefined {
  // Python ints are exact: BigInt keeps 兆-scale sums exact before the final float().
  let total = 0n;
  let section = 0n;
  let number = 0n;
  const flush = (large?: bigint): void => {
    section += number;
    number = 0n;
    total += large === undefined ? section : section * large;
    section = 0n;
  };
  for (const ch of s) {
    if (isSpace(ch)) continue;
    if (ch in CH_ALT_TENS) {
      section += BigInt(CH_ALT_TENS[ch]!);
      continue;
    }
    if (ch === '零' || ch === '〇' || ch === '○') continue;
    if (ch in CH_DIGITS) {
      number = BigInt(CH_DIGITS[ch]!);
      continue;
    }
    const d = charToAsciiDigit(ch);
    if (d !== undefined) {
      number = BigInt(d);
      continue;
    }
    if (ch in CH_SMALL_UNITS) {
      section += (number || 1n) * BigInt(CH_SMALL_UNITS[ch]!);
      number = 0n;
      continue;
    }
    if (ch in CH_LARGE_UNITS) {
      flush(BigInt(CH_LARGE_UNITS[ch]!));
      continue;
    }
    return undefined;
  }
  flush();
  return Number(total);
}
