/**
 * Inspect's string scorers (`scorer/_match.py`, `_common.py`, `_classification.py`,
 * `_pattern.py`, `_answer.py`) as pure functions of the model's completion and
 * the target. Each returns the Score Inspect would record.
 */
import { AirlockError } from '../../../../shared/errors';
import { casefold, formatG, pyFloat, pyRound, PY_SPACE_RUN, pyStrip, pyStripChars, reprFloat, pySplitWhitespace } from './python';
import { pythonRegex } from './python-regex';
import { ASCII_PUNCTUATION, stripNumericPunctuation, stripPunctuation } from './text';
import { CORRECT, INCORRECT, NOANSWER, type Score, type Target, targetList, targetText } from './types';
import { unicodeNumberToFloat } from './unicode-number';

export type MatchLocation = 'begin' | 'end' | 'any' | 'exact';

/** Inspect's `str_match_scorer`: the first target that matches gives C, otherwise I (answer from the last attempt). */
function strMatchScore(completion: string, target: Target, match: (value: string, target: string) => [string, boolean]): Score {
  let answer: string | null = null;
  for (const t of targetList(target)) {
    const [a, matched] = match(completion, t);
    answer = a;
    if (matched) return { value: CORRECT, answer, explanation: completion };
  }
  return { value: INCORRECT, answer, explanation: completion };
}

/** `_parse_number`: plain float syntax, then Inspect's Unicode number parser; finite only. */
export function parseNumber(s: string): number | undefined {
  for (const parse of [pyFloat, unicodeNumberToFloat]) {
    const n = parse(s);
    if (n !== undefined && Number.isFinite(n)) return n;
  }
  return undefined;
}

/** `normalize_number`: `format(x, ".5g")`, or the text unchanged when it is not a number. */
export function normalizeNumber(s: string, precision = 5): string {
  const n = parseNumber(s);
  return n === undefined ? s : formatG(n, precision);
}

// Sentence/enclosing punctuation tolerated at a number token's edges ("42!", "(42)"); not "%".
const TOKEN_PUNCTUATION = '!?:;()[]{}\'"`~<=>@#^&|';

function isNumberToken(s: string): boolean {
  return parseNumber(s) !== undefined || parseNumber(pyStripChars(s, TOKEN_PUNCTUATION)) !== undefined;
}

function numberToken(s: string): string {
  const stripped = pyStripChars(s, TOKEN_PUNCTUATION);
  return stripped !== s && parseNumber(stripped) !== undefined ? stripped : s;
}

export interface MatchOptions {
  location?: MatchLocation;
  ignoreCase?: boolean;
  ignorePunctuation?: boolean;
  numeric?: boolean;
}

/** Inspect's `match_str(value, target, …)` → [answer, matched]. */
export function matchStr(value: string, target: string, options: MatchOptions = {}): [string, boolean] {
  const { location = 'end', ignoreCase = true, ignorePunctuation = true, numeric = false } = options;
  let v = pyStrip(value);
  let t = pyStrip(target);
  const answer = v;
  if (ignoreCase) {
    v = casefold(v);
    t = casefold(t);
  }
  if (numeric) t = stripNumericPunctuation(t);
  if (numeric && parseNumber(t) !== undefined) {
    // A numeric target: compare numbers only, never text ("25" ends with "5" but 25 ≠ 5).
    v = stripNumericPunctuation(v);
    t = normalizeNumber(t);
    const words = v.split(new RegExp(PY_SPACE_RUN.source, 'u'));
    if (location === 'any') {
      for (const word of words) {
        if (!isNumberToken(word)) continue;
        const n = normalizeNumber(numberToken(word));
        if (n === t) return [n, true];
      }
      return [answer, false];
    }
    if (location === 'exact') v = normalizeNumber(v);
    else {
      const ordered = location === 'end' ? [...words].reverse() : words;
      const first = ordered.find(isNumberToken);
      v = first === undefined ? '' : normalizeNumber(numberToken(first));
    }
    return [v, v === t];
  }
  if (ignorePunctuation) {
    v = stripPunctuation(v);
    t = stripPunctuation(t);
  }
  switch (location) {
    case 'begin':
      return [answer, v.startsWith(t)];
    case 'end':
      return [answer, v.endsWith(t)];
    case 'exact':
      return [answer, v === t];
    default:
      return [answer, v.includes(t)];
  }
}

/** `match(location="end", ignore_case=True, numeric=False)`. */
export function match(completion: string, target: Target, options: MatchOptions = {}): Score {
  return strMatchScore(completion, target, (v, t) => matchStr(v, t, options));
}

/** `includes(ignore_case=True)`: the target is a substring of the completion. */
export function includes(completion: string, target: Target, options: { ignoreCase?: boolean } = {}): Score {
  const ignoreCase = options.ignoreCase ?? true;
  return strMatchScore(completion, target, (value, t) => {
    const v = ignoreCase ? casefold(value) : value;
    return [v, v.includes(ignoreCase ? casefold(t) : t)];
  });
}

// ---- exact / f1 (SQuAD-style normalisation) --------------------------------

function isFiniteNumber(s: string): boolean {
  const n = pyFloat(s);
  return n !== undefined && Number.isFinite(n);
}

const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;

function removePunctuation(s: string): string {
  return Array.from(s)
    .filter((c) => !ASCII_PUNCTUATION.includes(c))
    .join('');
}

function normalizeToken(token: string): string {
  let t = casefold(token);
  if (!isFiniteNumber(t)) {
    const bare = pyStripChars(t, ASCII_PUNCTUATION);
    t = isFiniteNumber(bare) ? bare : removePunctuation(t);
  }
  if (isFiniteNumber(t)) t = reprFloat(pyFloat(t)!);
  t = t.replace(ARTICLES, ' ');
  return pySplitWhitespace(t).join(' ');
}

/** Inspect's `_normalize(text, stop_words)`: tokens split on " " or "-", normalised, stop words and empties dropped. */
export function normalizeText(text: string, stopWords?: readonly string[]): string {
  const stops = new Set((stopWords ?? []).map(normalizeToken));
  return text
    .split(/ |-/)
    .map(normalizeToken)
    .filter((t) => !stops.has(t) && pyStrip(t) !== '')
    .join(' ')
    .trim();
}

function words(text: string, stopWords?: readonly string[]): Set<string> {
  return new Set(pySplitWhitespace(normalizeText(text, stopWords)));
}

/** Set-F1 of normalised tokens (an empty set counts as precision/recall 1). */
export function computeF1(answer: string, target: string, stopWords?: readonly string[]): number {
  const a = words(answer, stopWords);
  const t = words(target, stopWords);
  let common = 0;
  for (const w of a) if (t.has(w)) common++;
  const precision = a.size === 0 ? 1 : common / a.size;
  const recall = t.size === 0 ? 1 : common / t.size;
  return precision === 0 && recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

const nonBlank = (t: string): boolean => pyStrip(t) !== '';

/** `f1(answer_fn, stop_words)`: the best F1 over non-blank targets, rounded to 2 decimals as Python's round does. */
export function f1(completion: string, target: Target, options: { answerFn?: (completion: string) => string; stopWords?: readonly string[] } = {}): Score {
  const answer = options.answerFn ? options.answerFn(completion) : completion;
  let best = 0;
  for (const t of targetList(target).filter(nonBlank)) best = Math.max(best, computeF1(answer, t, options.stopWords));
  return { value: pyRound(best, 2), answer };
}

/** `exact()`: C if the normalised answer equals the normalised text of some non-blank target. */
export function exact(completion: string, target: Target): Score {
  const answer = normalizeText(completion);
  const hit = targetList(target)
    .filter(nonBlank)
    .some((t) => normalizeText(t) === answer);
  return { value: hit ? CORRECT : INCORRECT, answer: completion };
}

// ---- pattern / answer -------------------------------------------------------

export interface PatternOptions {
  ignoreCase?: boolean;
  matchAll?: boolean;
}

/**
 * `pattern(regex, ignore_case=True, match_all=False)`. `regex` is Python `re`
 * syntax (compiled with {@link pythonRegex}) or a ready JS RegExp.
 */
export function pattern(completion: string, target: Target, regex: string | RegExp, options: PatternOptions = {}): Score {
  const ignoreCase = options.ignoreCase ?? true;
  const re =
    typeof regex === 'string'
      ? pythonRegex(regex, { ignoreCase })
      : ignoreCase && !regex.flags.includes('i')
        ? new RegExp(regex.source, `${regex.flags.replace('g', '')}i`)
        : new RegExp(regex.source, regex.flags.replace('g', ''));
  const m = re.exec(completion);
  if (!m) return { value: NOANSWER, explanation: `Scoring pattern not matched in output: ${completion}` };
  const groups = m.slice(1);
  const targets = targetList(target).map((t) => (ignoreCase ? t.toLowerCase() : t));
  const matchesTarget = (g: string): boolean => targets.includes(ignoreCase ? g.toLowerCase() : g);
  let found: string | null;
  let answer: string | null;
  if (options.matchAll) {
    const captured = groups.filter((g): g is string => g !== undefined);
    found = captured.length > 0 && captured.every(matchesTarget) ? targetText(target) : null;
    answer = found;
  } else {
    found = groups.find((g): g is string => g !== undefined && matchesTarget(g)) ?? null;
    // One group that missed: report what was extracted, it is what the user needs to see.
    answer = found === null && groups.length === 1 ? (groups[0] ?? null) : found;
  }
  return { value: found !== null ? CORRECT : INCORRECT, answer, explanation: completion };
}

/** Inspect's `_util/pattern.py` answer patterns (Python syntax, each takes the last `ANSWER:`). */
export const ANSWER_PATTERNS = {
  letter: String.raw`(?is)ANSWER\s*:\s*([A-Za-z])(?:[^\w]|\n|$)(?!.*ANSWER\s*:)`,
  word: String.raw`(?is)ANSWER\s*:\s*(\S+?)(?=[.,;:!?]?\s*(?:\n|$))(?!.*ANSWER\s*:)`,
  line: String.raw`(?i)ANSWER\s*:\s*([^\n]+)\s*\Z`,
} as const;

export type AnswerKind = keyof typeof ANSWER_PATTERNS;

const ANSWER_REGEXES = Object.fromEntries(
  Object.entries(ANSWER_PATTERNS).map(([k, src]) => [k, pythonRegex(src, { ignoreCase: true })]),
) as Record<AnswerKind, RegExp>;

/** `answer(pattern)`: `pattern` with the letter, word or line answer regex. */
export function answer(completion: string, target: Target, kind: AnswerKind): Score {
  const re = ANSWER_REGEXES[kind];
  if (!re) throw new AirlockError('scoring.bad-argument', `Unknown answer pattern "${String(kind)}"; use "letter", "word" or "line".`);
  return pattern(completion, target, re);
}
