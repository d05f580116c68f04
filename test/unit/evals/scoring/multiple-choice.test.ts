import { describe, expect, it } from 'vitest';
import {
  choice,
  multipleChoicePrompt,
  parseMultipleChoiceAnswer,
  renderTemplate,
  shuffleChoices,
  unshufflePositions,
  MULTIPLE_ANSWER_TEMPLATE,
  SINGLE_ANSWER_TEMPLATE_COT,
} from '../../../../src/main/services/evals/scoring';
import { isAirlockError } from '../../../../src/shared/errors';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return isAirlockError(e) ? e.code : 'not-an-airlock-error';
  }
  return undefined;
};

describe('multiple_choice prompt (byte-identical to Inspect)', () => {
  it('SINGLE_ANSWER with {letters} "A,B,C" and {choices} "A) x\\nB) y…"', () => {
    expect(multipleChoicePrompt('What is 2+2?', ['3', '4', '5']).prompt).toBe(
      "Answer the following multiple choice question. The entire content of your response should be of the following format: 'ANSWER: $LETTER' (without quotes) where LETTER is one of A,B,C.\n\nWhat is 2+2?\n\nA) 3\nB) 4\nC) 5",
    );
  });
  it('COT single and MULTIPLE (+COT) templates', () => {
    expect(multipleChoicePrompt('Q?', ['x', 'y'], { cot: true }).prompt).toBe(
      "Answer the following multiple choice question. The last line of your response should be of the following format: 'ANSWER: $LETTER' (without quotes) where LETTER is one of A,B. Think step by step before answering.\n\nQ?\n\nA) x\nB) y",
    );
    expect(multipleChoicePrompt('Q?', ['x', 'y'], { multipleCorrect: true }).prompt).toBe(
      "Answer the following multiple choice question where multiple answers may be correct. The entire content of your response should be of the following format: 'ANSWER: $LETTERS' (without quotes) where LETTERS is one or more of A,B.\n\nQ?\n\nA) x\nB) y",
    );
    expect(multipleChoicePrompt('Q?', ['x', 'y'], { multipleCorrect: true, cot: true }).prompt).toBe(
      "Answer the following multiple choice question where multiple answers may be correct. The last line of your response should be of the following format: 'ANSWER: $LETTERS' (without quotes) where LETTERS is one or more of A,B. Think step by step before answering.\n\nQ?\n\nA) x\nB) y",
    );
    expect(SINGLE_ANSWER_TEMPLATE_COT.endsWith('{question}\n\n{choices}')).toBe(true);
  });
  it('renders like str.format: one pass, {{ }} escapes; a question containing "{choices}" stays literal', () => {
    expect(renderTemplate('{{x}} {question} | {choices} | {letters}', 'use {choices}', ['a'])).toBe('{x} use {choices} | A) a | A');
  });
  it('refuses templates without {question}/{choices}, unknown fields, and 0 or more than 26 choices', () => {
    expect(code(() => renderTemplate('{question} only', 'q', ['a']))).toBe('scoring.bad-template');
    expect(code(() => renderTemplate('{question} {choices} {other}', 'q', ['a']))).toBe('scoring.bad-template');
    expect(code(() => renderTemplate(MULTIPLE_ANSWER_TEMPLATE, 'q', []))).toBe('scoring.bad-choices');
    expect(code(() => renderTemplate(MULTIPLE_ANSWER_TEMPLATE, 'q', Array.from({ length: 27 }, String)))).toBe('scoring.bad-choices');
  });
  it('shuffles with a recorded seed exactly as CPython Random(seed).shuffle(range(n)) and records the permutation', () => {
    const shuffled = shuffleChoices(['a', 'b', 'c', 'd', 'e', 'f'], 42);
    expect(shuffled).toEqual({ choices: ['d', 'b', 'c', 'e', 'a', 'f'], order: [3, 1, 2, 4, 0, 5], seed: 42 });
    const p = multipleChoicePrompt('Q?', ['a', 'b', 'c', 'd', 'e', 'f'], { shuffleSeed: 42 });
    expect(p.prompt.endsWith('A) d\nB) b\nC) c\nD) e\nE) a\nF) f')).toBe(true);
    expect(p.shuffle?.seed).toBe(42);
    expect(code(() => shuffleChoices(['a'], 1.5))).toBe('scoring.bad-argument');
  });
});

describe('answer parsing', () => {
  const letters = (positions: number[]) => positions.map((p) => String.fromCharCode(65 + p)).join('');
  it('[test] multiple: "ANSWER: A, B and C" → {A,B,C}', () => expect(letters(parseMultipleChoiceAnswer('ANSWER: A, B and C', 4, true))).toBe('ABC'));
  it('[test] multiple: "ANSWER: A, C," → {A,C}', () => expect(letters(parseMultipleChoiceAnswer('ANSWER: A, C,', 4, true))).toBe('AC'));
  it('[test] single: "ANSWER: A," → {A}', () => expect(letters(parseMultipleChoiceAnswer('ANSWER: A,', 4))).toBe('A'));
  it('[test] "ANSWER: b" → {B}', () => expect(letters(parseMultipleChoiceAnswer('ANSWER: b', 4))).toBe('B'));
  it('[test] "ANSWER: I don\'t know" → nothing (single and multiple)', () => {
    expect(parseMultipleChoiceAnswer("ANSWER: I don't know", 4)).toEqual([]);
    expect(parseMultipleChoiceAnswer("ANSWER: I don't know", 4, true)).toEqual([]);
  });
  it('takes the last ANSWER line; falls back to an inline ANSWER; letters beyond the choices are refused', () => {
    expect(letters(parseMultipleChoiceAnswer('ANSWER: A\nHmm, reconsider.\nANSWER: C', 4))).toBe('C');
    expect(letters(parseMultipleChoiceAnswer('So my final ANSWER: D.', 4))).toBe('D');
    expect(parseMultipleChoiceAnswer('ANSWER: E', 4)).toEqual([]);
    expect(letters(parseMultipleChoiceAnswer('ANSWER: BD', 4, true))).toBe('BD');
    expect(parseMultipleChoiceAnswer('ANSWER: A, B', 4)).toEqual([]); // single answer: two letters is no answer
    expect(parseMultipleChoiceAnswer('no answer here', 4)).toEqual([]);
  });
});

describe('choice()', () => {
  it('[test] model {A,B} vs target A → I', () => expect(choice('ANSWER: A, B', 'A', [0, 1])).toMatchObject({ value: 'I', answer: 'A, B' }));
  it('target letters ignore commas and spaces: "A,B" = "A, B" = "AB"', () => {
    for (const t of ['A,B', 'A, B', 'AB', ['A', 'B']]) expect(choice('ANSWER: A, B', t, [1, 0]).value, JSON.stringify(t)).toBe('C');
  });
  it('nothing chosen → I with an empty answer', () => expect(choice('no idea', 'A', [])).toMatchObject({ value: 'I', answer: '' }));
  it('shuffled: positions are mapped back to the original order and the explanation shows what the model saw', () => {
    const shuffled = shuffleChoices(['a', 'b', 'c', 'd', 'e', 'f'], 42); // shown: d b c e a f
    const shown = parseMultipleChoiceAnswer('ANSWER: E', 6); // the model picked "a"
    const original = unshufflePositions(shown, shuffled.order);
    expect(original).toEqual([0]);
    const score = choice('ANSWER: E', 'A', original, shuffled);
    expect(score).toMatchObject({ value: 'C', answer: 'A' });
    expect(score.explanation).toBe(
      'Choices were shuffled before generating a response, the following was sent to the model:\n\nA) d\nB) b\nC) c\nD) e\nE) a\nF) f\nShuffled answer:\nANSWER: E',
    );
  });
});
