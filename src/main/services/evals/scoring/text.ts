/** Inspect's `_util/text.py` helpers used by the string scorers. */
import { pyStripChars } from './python';

/** Python `string.whitespace + string.punctuation` (ASCII only). */
const WHITESPACE_AND_PUNCTUATION = ' \t\n\r\x0b\x0c!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
export const ASCII_PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** `strip_punctuation(s)`: ASCII whitespace and punctuation off both ends. */
export function stripPunctuation(s: string): string {
  return pyStripChars(s, WHITESPACE_AND_PUNCTUATION);
}

/**
 * `strip_numeric_punctuation(s)`: unescape `\$`; delete `$ , £ € * _`; delete
 * a `.` that is followed by a non-digit (whitespace included) or the end.
 */
export function stripNumericPunctuation(s: string): string {
  return s
    .replace(/\\\$/g, '$')
    .replace(/[$,£€*_]/g, '')
    .replace(/\.(?=\P{Nd}|$)/gu, '');
}
