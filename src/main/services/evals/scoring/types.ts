/** Inspect's scoring vocabulary (`scorer/_metric.py`, `_target.py`). */

export type ScalarValue = string | number | boolean;
/** A score value: a scalar, a list of scalars, or a dict of scalars (None allowed in dicts). */
export type Value = ScalarValue | ScalarValue[] | { [key: string]: ScalarValue | null };

export const CORRECT = 'C';
export const INCORRECT = 'I';
export const PARTIAL = 'P';
export const NOANSWER = 'N';

export interface Score {
  value: Value;
  answer?: string | null;
  explanation?: string | null;
  metadata?: Record<string, unknown> | null;
}

/** One target string or several; a scorer is correct if it matches any of them. */
export type Target = string | readonly string[];

/** The target strings in order. */
export function targetList(target: Target): string[] {
  return typeof target === 'string' ? [target] : [...target];
}

/** Inspect's `Target.text`: the targets joined by "". */
export function targetText(target: Target): string {
  return targetList(target).join('');
}

/** A Score whose value is the float NaN: unscored (reducers skip it, metrics drop it). */
export function isUnscored(value: Value): boolean {
  return typeof value === 'number' && Number.isNaN(value);
}
