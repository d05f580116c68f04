/**
 * The few pieces of Python's string and float semantics that Inspect's scorers
 * depend on, reproduced exactly: `float(str)`, `str(float)` (repr),
 * `format(x, ".Ng")`, `round(x, n)`, `str.isspace`/`str.strip()`,
 * `str.casefold()` and Unicode decimal digits. Rounding works on the exact
 * binary value of the double (as CPython does), so ties such as 123445 → ".5g"
 * round half to even like Python, not half up like Number#toPrecision.
 */

/** Code points of the digit zero of every Unicode Nd run (each run is 0–9, consecutive). From Node's \p{Nd} (Unicode 17). */
const ND_ZEROS = [
  0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0,
  0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620,
  0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30, 0x10d40, 0x11066, 0x110f0, 0x11136,
  0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x116d0, 0x116da, 0x11730, 0x118e0, 0x11950, 0x11bf0,
  0x11c50, 0x11d50, 0x11da0, 0x11de0, 0x11f50, 0x16130, 0x16a60, 0x16ac0, 0x16b50, 0x16d70, 0x1ccf0, 0x1d7ce,
  0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e4f0, 0x1e5f1, 0x1e950, 0x1fbf0,
] as const;
export const ND_ZERO_CODE_POINTS: readonly number[] = ND_ZEROS;

/** `unicodedata.decimal(ch)`: the value of a Unicode decimal digit (category Nd), else undefined. */
export function decimalDigitValue(ch: string): number | undefined {
  const cp = ch.codePointAt(0);
  if (cp === undefined || ch.length > 2 || (ch.length === 2 && cp <= 0xffff)) return undefined;
  // Largest zero ≤ cp (the table is sorted).
  let lo = 0;
  let hi = ND_ZEROS.length - 1;
  if (cp < ND_ZEROS[0]) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ND_ZEROS[mid]! <= cp) lo = mid;
    else hi = mid - 1;
  }
  const offset = cp - ND_ZEROS[lo]!;
  return offset <= 9 ? offset : undefined;
}

/** Characters for which Python's `str.isspace()` is true. */
export const PY_SPACE_CLASS = '\\t\\n\\x0b\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPACE_RE = new RegExp(`^[${PY_SPACE_CLASS}]$`, 'u');
const LEADING_SPACE = new RegExp(`^[${PY_SPACE_CLASS}]+`, 'u');
const TRAILING_SPACE = new RegExp(`[${PY_SPACE_CLASS}]+$`, 'u');
export const PY_SPACE_RUN = new RegExp(`[${PY_SPACE_CLASS}]+`, 'u');

/** Python `ch.isspace()` for one character. */
export function isSpace(ch: string): boolean {
  return SPACE_RE.test(ch);
}

/** Python `s.strip()` (no argument: Unicode whitespace). */
export function pyStrip(s: string): string {
  return s.replace(LEADING_SPACE, '').replace(TRAILING_SPACE, '');
}

/** Python `s.strip(chars)`: strips any of the given characters from both ends. */
export function pyStripChars(s: string, chars: string): string {
  const set = new Set(Array.from(chars));
  const cps = Array.from(s);
  let start = 0;
  let end = cps.length;
  while (start < end && set.has(cps[start]!)) start++;
  while (end > start && set.has(cps[end - 1]!)) end--;
  return cps.slice(start, end).join('');
}

/** Python `s.split()` (no argument): split on runs of whitespace, no empty strings. */
export function pySplitWhitespace(s: string): string[] {
  return pyStrip(s)
    .split(new RegExp(PY_SPACE_RUN.source, 'u'))
    .filter((t) => t !== '');
}

/**
 * Python `str.casefold()`. Upper- then lower-casing applies the full case
 * mappings (ß → SS → ss, ﬁ → FI → fi) that case folding uses; final sigma is
 * folded to σ as Python does (JS lower-cases a word-final Σ to ς).
 */
export function casefold(s: string): string {
  return s.toUpperCase().toLowerCase().replace(/ς/g, 'σ');
}

const PY_FLOAT_SYNTAX = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const PY_FLOAT_SPECIAL = /^([+-]?)(nan|inf|infinity)$/i;

/**
 * Python `float(s)` for a string: surrounding whitespace allowed, any Unicode
 * decimal digits, `_` between digits, `nan`/`inf`/`infinity`. Returns
 * undefined where Python raises ValueError.
 */
export function pyFloat(s: string): number | undefined {
  const stripped = pyStrip(s);
  let ascii = '';
  for (const ch of stripped) {
    const d = ch.length === 1 && ch >= '0' && ch <= '9' ? undefined : decimalDigitValue(ch);
    ascii += d === undefined ? ch : String(d);
  }
  const special = PY_FLOAT_SPECIAL.exec(ascii);
  if (special) {
    const negative = special[1] === '-';
    if (special[2]!.toLowerCase() === 'nan') return Number.NaN;
    return negative ? -Infinity : Infinity;
  }
  if (!PY_FLOAT_SYNTAX.test(ascii)) return undefined;
  return Number(ascii.replace(/_/g, ''));
}

/** Exact decimal value of a finite double x ≠ 0: |x| = digits × 10^pow. */
function exactDecimal(x: number): { negative: boolean; digits: bigint; pow: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = hi >>> 31 === 1;
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (biased === 0) e2 = -1074;
  else {
    mantissa |= 1n << 52n;
    e2 = biased - 1075;
  }
  if (e2 >= 0) return { negative, digits: mantissa << BigInt(e2), pow: 0 };
  // m / 2^k = m·5^k / 10^k
  return { negative, digits: mantissa * 5n ** BigInt(-e2), pow: e2 };
}

/** n / 10^drop rounded half to even. */
function roundHalfEvenDrop(n: bigint, drop: number): bigint {
  if (drop <= 0) return n * 10n ** BigInt(-drop);
  const divisor = 10n ** BigInt(drop);
  const q = n / divisor;
  const twiceR = (n % divisor) * 2n;
  if (twiceR > divisor || (twiceR === divisor && q % 2n === 1n)) return q + 1n;
  return q;
}

function exponentSuffix(e: number): string {
  const abs = Math.abs(e);
  return `e${e < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
}

function placePoint(digits: string, exponent: number): string {
  // digits = d0 d1 d2 … with d0 at 10^exponent
  if (exponent < 0) return `0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return digits + '0'.repeat(exponent + 1 - digits.length);
  return `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

function stripFractionZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Python `format(x, f".{precision}g")`. */
export function formatG(x: number, precision = 5): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  const p = precision === 0 ? 1 : precision;
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const { negative, digits, pow } = exactDecimal(x);
  const all = digits.toString();
  let exponent = all.length - 1 + pow;
  let kept: string;
  if (all.length > p) {
    kept = roundHalfEvenDrop(digits, all.length - p).toString();
    if (kept.length > p) {
      kept = kept.slice(0, p);
      exponent += 1;
    }
  } else kept = all + '0'.repeat(p - all.length);
  const sign = negative ? '-' : '';
  if (exponent >= -4 && exponent < p) return sign + stripFractionZeros(placePoint(kept, exponent));
  const mantissa = stripFractionZeros(`${kept[0]}.${kept.slice(1)}`);
  return sign + mantissa + exponentSuffix(exponent);
}

/** Python `repr(x)` / `str(x)` for a float (shortest round-trip digits, Python's layout). */
export function reprFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, exp] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const exponent = Number(exp);
  const sign = x < 0 ? '-' : '';
  if (exponent >= -4 && exponent < 16) {
    const fixed = placePoint(digits, exponent);
    return sign + (fixed.includes('.') ? fixed : `${fixed}.0`);
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return sign + m + exponentSuffix(exponent);
}

/** The double nearest to numerator/denominator (both integers, denominator > 0), correctly rounded like Python's int/int. */
export function ratioToDouble(numerator: bigint, denominator: bigint): number {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  if (n === 0n) return 0;
  // 25 significant digits plus a sticky digit: Number() then rounds exactly once, correctly.
  const scale = Math.max(0, 25 - (n.toString().length - denominator.toString().length));
  const scaled = n * 10n ** BigInt(scale);
  const q = scaled / denominator;
  const sticky = scaled % denominator === 0n ? '0' : '1';
  const value = Number(`${q}${sticky}e-${scale + 1}`);
  return negative ? -value : value;
}

/** Exact rational of a finite double: x = numerator / denominator. */
export function doubleToRatio(x: number): { numerator: bigint; denominator: bigint } {
  if (x === 0) return { numerator: 0n, denominator: 1n };
  const { negative, digits, pow } = exactDecimal(x);
  const numerator = negative ? -digits : digits;
  return pow >= 0
    ? { numerator: numerator * 10n ** BigInt(pow), denominator: 1n }
    : { numerator, denominator: 10n ** BigInt(-pow) };
}

/** Python `round(x, ndigits)` for a float: half to even on the exact binary value. */
export function pyRound(x: number, ndigits = 0): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const { negative, digits, pow } = exactDecimal(x);
  const rounded = roundHalfEvenDrop(digits, -(pow + ndigits));
  const value = Number(`${rounded}e${-ndigits}`);
  return negative ? -value : value;
}

/** Python `statistics.mean` of floats: the exact mean, rounded once. */
export function exactMean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean of no values');
  if (values.some((v) => !Number.isFinite(v))) return values.reduce((a, b) => a + b, 0) / values.length;
  let numerator = 0n;
  let denominator = 1n;
  for (const v of values) {
    const r = doubleToRatio(v);
    if (r.denominator === denominator) numerator += r.numerator;
    else if (r.denominator > denominator) {
      numerator = numerator * (r.denominator / denominator) + r.numerator;
      denominator = r.denominator;
    } else numerator += r.numerator * (denominator / r.denominator);
  }
  return ratioToDouble(numerator, denominator * BigInt(values.length));
}

/** Python `math.comb(n, k)`. */
export function comb(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  const kk = Math.min(k, n - k);
  let result = 1n;
  for (let i = 1; i <= kk; i++) result = (result * BigInt(n - kk + i)) / BigInt(i);
  return result;
}

/** numpy's pairwise summation order (`np.sum` on float64: 8 accumulators per block of ≤ 128, halves above). numpy is not installed here, so last-ulp agreement is by construction, not measured. */
export function npSum(values: readonly number[], start = 0, n = values.length): number {
  if (n < 8) {
    let res = -0;
    for (let i = 0; i < n; i++) res += values[start + i]!;
    return res;
  }
  if (n <= 128) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => values[start + j]!);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j]! += values[start + i + j]!;
    let res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) res += values[start + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return npSum(values, start, n2) + npSum(values, start + n2, n - n2);
}

/** `np.mean(values)`. */
export function npMean(values: readonly number[]): number {
  return npSum(values) / values.length;
}

/** `np.var(values, ddof)`: mean of squared deviations from the pairwise mean. */
export function npVar(values: readonly number[], ddof: number): number {
  const m = npMean(values);
  const squares = values.map((v) => (v - m) * (v - m));
  return npSum(squares) / (values.length - ddof);
}
