/**
 * Inspect's `multiple_choice` solver pieces and `choice()` scorer
 * (`solver/_multiple_choice.py`, `scorer/_choice.py`) as pure functions.
 *
 * Template text: UKGovernmentBEIS/inspect_ai `src/inspect_ai/solver/_multiple_choice.py`
 * at commit fb426be47010f971dfa294e7fe6612b3fa8547ee (SINGLE_ANSWER_TEMPLATE,
 * SINGLE_ANSWER_TEMPLATE_COT, MULTIPLE_ANSWER_TEMPLATE, MULTIPLE_ANSWER_TEMPLATE_COT,
 * each `r"""…""".strip()`). Answer parsing follows inspect-interop.md §3 (last
 * `ANSWER:` line, digits allowed, " AND ", single vs multiple rules).
 */
import { AirlockError } from '../../../../shared/errors';
import { pythonRegex } from './python-regex';
import { PythonRandom } from './python-random';
import { CORRECT, INCORRECT, type Score, type Target, targetText } from './types';

export const SINGLE_ANSWER_TEMPLATE =
  "Answer the following multiple choice question. The entire content of your response should be of the following format: 'ANSWER: $LETTER' (without quotes) where LETTER is one of {letters}.\n\n{question}\n\n{choices}";
export const SINGLE_ANSWER_TEMPLATE_COT =
  "Answer the following multiple choice question. The last line of your response should be of the following format: 'ANSWER: $LETTER' (without quotes) where LETTER is one of {letters}. Think step by step before answering.\n\n{question}\n\n{choices}";
export const MULTIPLE_ANSWER_TEMPLATE =
  "Answer the following multiple choice question where multiple answers may be correct. The entire content of your response should be of the following format: 'ANSWER: $LETTERS' (without quotes) where LETTERS is one or more of {letters}.\n\n{question}\n\n{choices}";
export const MULTIPLE_ANSWER_TEMPLATE_COT =
  "Answer the following multiple choice question where multiple answers may be correct. The last line of your response should be of the following format: 'ANSWER: $LETTERS' (without quotes) where LETTERS is one or more of {letters}. Think step by step before answering.\n\n{question}\n\n{choices}";

/** The template `multiple_choice(cot, multiple_correct)` uses when none is given. */
export function defaultTemplate(options: { cot?: boolean; multipleCorrect?: boolean } = {}): string {
  if (options.multipleCorrect) return options.cot ? MULTIPLE_ANSWER_TEMPLATE_COT : MULTIPLE_ANSWER_TEMPLATE;
  return options.cot ? SINGLE_ANSWER_TEMPLATE_COT : SINGLE_ANSWER_TEMPLATE;
}

/** `answer_character(i)`: 0 → "A". */
export const answerCharacter = (index: number): string => String.fromCharCode(65 + index);
/** `answer_index(ch)`: "A"/"a" → 0. */
export const answerIndex = (ch: string): number => ch.toUpperCase().charCodeAt(0) - 65;

function checkChoices(count: number): void {
  if (count < 1 || count > 26)
    throw new AirlockError('scoring.bad-choices', `A multiple-choice sample needs 1 to 26 choices (letters A–Z); this one has ${count}. Fix the sample's choices in the eval package.`);
}

/** `{choices}`: "A) x\nB) y". */
export function answerOptions(choices: readonly string[]): string {
  return choices.map((c, i) => `${answerCharacter(i)}) ${c}`).join('\n');
}

/** `{letters}`: "A,B,C". */
export function answerLetters(count: number): string {
  return Array.from({ length: count }, (_, i) => answerCharacter(i)).join(',');
}

/**
 * Renders a template as Python's `str.format(choices=…, letters=…, question=…)`:
 * one pass (a question containing "{choices}" stays literal), `{{`/`}}` are
 * braces, any other field is an error.
 */
export function renderTemplate(template: string, question: string, choices: readonly string[]): string {
  checkChoices(choices.length);
  if (!/\{question\}/.test(template) || !/\{choices\}/.test(template))
    throw new AirlockError('scoring.bad-template', "The multiple-choice template must contain '{question}' and '{choices}' placeholders; add them to the template.");
  const fields: Record<string, string> = { question, choices: answerOptions(choices), letters: answerLetters(choices.length) };
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}|[{}]/g, (token, name: string | undefined) => {
    if (token === '{{') return '{';
    if (token === '}}') return '}';
    if (name !== undefined && name in fields) return fields[name]!;
    throw new AirlockError('scoring.bad-template', `The multiple-choice template has an unknown or unbalanced placeholder ${JSON.stringify(token)}; only {question}, {choices} and {letters} are filled (write {{ and }} for literal braces).`);
  });
}

export interface ShuffledChoices {
  /** The choices in the order shown to the model. */
  choices: string[];
  /** order[i] = original position of the choice shown at position i. */
  order: number[];
  /** The seed of the Python-compatible Mersenne Twister that produced the order. */
  seed: number;
}

/**
 * Shuffles choices as Inspect's `Choices.shuffle(Random(seed))` does: the
 * positions 0..n-1 are shuffled with CPython's `random.shuffle` and choice i
 * becomes the original choice at positions[i]. Same seed → same order as Inspect.
 */
export function shuffleChoices(choices: readonly string[], seed: number): ShuffledChoices {
  checkChoices(choices.length);
  if (!Number.isSafeInteger(seed)) throw new AirlockError('scoring.bad-argument', `The shuffle seed must be an integer; got ${seed}.`);
  const order = new PythonRandom(seed).shuffle(choices.map((_, i) => i));
  return { choices: order.map((p) => choices[p]!), order, seed };
}

export interface MultipleChoicePrompt {
  prompt: string;
  /** Present when the choices were shuffled. */
  shuffle?: ShuffledChoices;
}

/** The user prompt the multiple_choice solver sends, optionally with shuffled choices. */
export function multipleChoicePrompt(
  question: string,
  choices: readonly string[],
  options: { template?: string; cot?: boolean; multipleCorrect?: boolean; shuffleSeed?: number } = {},
): MultipleChoicePrompt {
  const template = options.template ?? defaultTemplate(options);
  if (options.shuffleSeed === undefined) return { prompt: renderTemplate(template, question, choices) };
  const shuffle = shuffleChoices(choices, options.shuffleSeed);
  return { prompt: renderTemplate(template, question, shuffle.choices), shuffle };
}

const STRICT_ANSWER = pythonRegex(String.raw`(?i)^ANSWER\s*:\s*([A-Za-z\d ,]+)\s*(?:$|\n|\.)`, { multiline: true, global: true });
const LOOSE_ANSWER = pythonRegex(String.raw`(?i)ANSWER\s*:\s*([A-Za-z\d ,]+)(?:[^\w]|\n|$|\.)`, { global: true });

function lastGroup(re: RegExp, text: string): string | undefined {
  let last: string | undefined;
  for (const m of text.matchAll(re)) last = m[1];
  return last;
}

/**
 * Parses the model's answer: the letters it chose, as positions in the order
 * shown (sorted, unique). Empty when no valid answer was found.
 */
export function parseMultipleChoiceAnswer(completion: string, choiceCount: number, multipleCorrect = false): number[] {
  checkChoices(choiceCount);
  const raw = lastGroup(STRICT_ANSWER, completion) ?? lastGroup(LOOSE_ANSWER, completion);
  if (raw === undefined) return [];
  const text = raw.trim().replace(/\.$/, '').toUpperCase();
  const allowed = new Set(Array.from({ length: choiceCount }, (_, i) => answerCharacter(i)));
  const toPositions = (letters: Iterable<string>): number[] => [...new Set(Array.from(letters, answerIndex))].sort((a, b) => a - b);
  if (!multipleCorrect) {
    const tokens = text
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    return tokens.length === 1 && allowed.has(tokens[0]!) ? toPositions(tokens) : [];
  }
  const compact = text.replaceAll(' AND ', ',').replace(/ /g, '');
  const byComma = compact.split(',').filter((t) => t !== '');
  if (byComma.length > 0 && byComma.every((t) => allowed.has(t))) return toPositions(byComma);
  const byChar = Array.from(compact.replace(/,/g, ''));
  if (byChar.length > 0 && byChar.every((c) => allowed.has(c))) return toPositions(byChar);
  return [];
}

/** Maps positions in the shown (shuffled) order back to original positions, sorted. */
export function unshufflePositions(shownPositions: readonly number[], order: readonly number[]): number[] {
  return shownPositions.map((p) => order[p]!).sort((a, b) => a - b);
}

/**
 * `choice()`: C when the chosen positions (in the original order) equal the
 * target letters (`,` and spaces ignored: "A,B" = "A, B" = "AB"); answer "A, B".
 * When choices were shuffled, pass `shuffle` so the explanation shows what the
 * model saw, as Inspect does.
 */
export function choice(
  completion: string,
  target: Target,
  chosenOriginalPositions: readonly number[],
  shuffle?: ShuffledChoices,
): Score {
  const targetPositions = [
    ...new Set(
      Array.from(targetText(target).replace(/[,\s]/g, '')).map(answerIndex),
    ),
  ].sort((a, b) => a - b);
  const chosen = [...new Set(chosenOriginalPositions)].sort((a, b) => a - b);
  const correct = chosen.length === targetPositions.length && chosen.every((p, i) => p === targetPositions[i]);
  const answer = chosen.map(answerCharacter).join(', ');
  let explanation = completion;
  if (shuffle && shuffle.order.some((p, i) => p !== i)) {
    const shownChosen = shuffle.order.flatMap((orig, shown) => (chosen.includes(orig) ? [answerCharacter(shown)] : []));
    explanation = `Choices were shuffled before generating a response, the following was sent to the model:\n\n${answerOptions(shuffle.choices)}\nShuffled answer:\nANSWER: ${shownChosen.join(', ')}`;
  }
  return { value: correct ? CORRECT : INCORRECT, answer, explanation };
}
