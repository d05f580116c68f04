/** Inspect's `value_to_float()` (`scorer/_metric.py`). */
import { pyFloat } from './python';
import { CORRECT, INCORRECT, NOANSWER, PARTIAL, type Value } from './types';

/** Called when a value cannot be mapped and 0 is used instead (Inspect logs a warning there). */
export type ValueWarning = (message: string, value: Value) => void;

export interface ValueToFloatOptions {
  correct?: number;
  incorrect?: number;
  partial?: number;
  noanswer?: number;
  onWarning?: ValueWarning;
}

/**
 * Maps a score value to a float, in Inspect's order: number or bool → float;
 * "C" → 1, "P" → 0.5, "I"/"N" → 0; lower-cased "yes"/"true" → 1, "no"/"false"
 * → 0, a finite numeric string → its float; anything else → 0 with a warning.
 */
export function valueToFloat(value: Value, options: ValueToFloatOptions = {}): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    if (value === CORRECT) return options.correct ?? 1;
    if (value === PARTIAL) return options.partial ?? 0.5;
    if (value === INCORRECT) return options.incorrect ?? 0;
    if (value === NOANSWER) return options.noanswer ?? 0;
    const lower = value.toLowerCase();
    if (lower === 'yes' || lower === 'true') return 1;
    if (lower === 'no' || lower === 'false') return 0;
    const parsed = pyFloat(lower);
    if (parsed !== undefined && Number.isFinite(parsed)) return parsed;
  }
  options.onWarning?.(`Unable to convert value to float: ${JSON.stringify(value)}`, value);
  return 0;
}

/** valueToFloat that also reports whether the fallback (0 with a warning) was used. */
export function valueToFloatChecked(value: Value): { float: number; warning?: string } {
  let warning: string | undefined;
  const float = valueToFloat(value, { onWarning: (m) => (warning = m) });
  return warning === undefined ? { float } : { float, warning };
}
