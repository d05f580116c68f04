/** Labels for the shared passphrase strength score (src/shared/passphrase-strength.ts). */
export const STRENGTH_LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

export function strengthLabel(score: number): string {
  const i = Math.max(0, Math.min(4, Math.round(score)));
  return STRENGTH_LABELS[i] ?? STRENGTH_LABELS[0];
}

export interface PassphraseFormState {
  passphrase: string;
  confirm: string;
  score: number;
  minScore: number;
  minLength: number;
}

/** Why the form cannot be submitted yet (first problem), or null when it can. */
export function passphraseProblem(s: PassphraseFormState): string | null {
  if (s.passphrase.length === 0) return 'Enter a passphrase.';
  if (s.passphrase.length < s.minLength) return `Use at least ${s.minLength} characters (a few unrelated words work well).`;
  if (s.score < s.minScore) return 'This passphrase is too easy to guess. Add more unrelated words.';
  if (s.confirm !== s.passphrase) return 'The two passphrases do not match. Type the same passphrase in both fields.';
  return null;
}
