/**
 * Passphrase strength estimate. Pure (no Node / DOM imports): used by the
 * vault (to enforce the minimum) and by the renderer (live feedback).
 *
 * Score: rough log2 of guesses → 0 (<28 bits) 1 (<36) 2 (<50) 3 (<64) 4.
 * Penalties: common passwords, repeats, keyboard/alphabet sequences, years.
 * Minimum enforced by Vault.create: score >= 2 AND length >= 10
 * (MIN_PASSPHRASE_SCORE / MIN_PASSPHRASE_LENGTH).
 */
export interface PassphraseStrength {
  score: 0 | 1 | 2 | 3 | 4;
  feedback: string[];
}

export const MIN_PASSPHRASE_SCORE = 2;
export const MIN_PASSPHRASE_LENGTH = 10;

const COMMON = new Set(
  `123456 password 12345678 qwerty 123456789 12345 1234 111111 1234567 dragon 123123 baseball abc123 football monkey letmein
696969 shadow master 666666 qwertyuiop 123321 mustang 1234567890 michael 654321 superman 1qaz2wsx 7777777 121212 000000
qazwsx 123qwe killer trustno1 jordan jennifer zxcvbnm asdfgh hunter buster soccer harley batman andrew tigger sunshine
iloveyou 2000 charlie robert thomas hockey ranger daniel starwars klaster 112233 george computer michelle jessica pepper
1111 zxcvbn 555555 11111111 131313 freedom 777777 pass maggie 159753 aaaaaa ginger princess joshua cheese amanda summer
love ashley nicole chelsea biteme matthew access yankees 987654321 dallas austin thunder taylor matrix welcome admin
password1 password123 passw0rd p@ssw0rd changeme secret login administrator root toor qwerty123 letmein123 welcome1
correcthorsebatterystaple airlock`
    .split(/\s+/)
    .filter(Boolean),
);

const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '01234567890', 'qwertyuiopasdfghjklzxcvbnm', '1qaz2wsx3edc4rfv5tgb6yhn7ujm'];

function charsetSize(p: string): number {
  let n = 0;
  if (/[a-z]/.test(p)) n += 26;
  if (/[A-Z]/.test(p)) n += 26;
  if (/[0-9]/.test(p)) n += 10;
  if (/[^a-zA-Z0-9\s]/.test(p)) n += 33;
  if (/\s/.test(p)) n += 1;
  // eslint-disable-next-line no-control-regex
  if (/[^\u0000-\u007f]/.test(p)) n += 100;
  return Math.max(n, 1);
}

/** Count characters that continue a run of repeats or a forward/backward sequence. */
function predictableChars(p: string): number {
  const s = p.toLowerCase();
  let n = 0;
  for (let i = 1; i < s.length; i++) {
    const a = s[i - 1]!;
    const b = s[i]!;
    if (a === b) {
      n++;
      continue;
    }
    if (SEQUENCES.some((q) => q.includes(a + b) || q.includes(b + a))) n++;
  }
  return n;
}

export function passphraseStrength(p: string): PassphraseStrength {
  const feedback: string[] = [];
  const len = [...p].length;
  if (len === 0) return { score: 0, feedback: ['Enter a passphrase.'] };
  const lower = p.toLowerCase();
  const stripped = lower.replace(/[^a-z0-9]/g, '');
  if (COMMON.has(lower) || COMMON.has(stripped) || COMMON.has(stripped.replace(/\d+$/, ''))) {
    return { score: 0, feedback: ['This is a commonly used password; choose something unique, e.g. several unrelated words.'] };
  }
  const pred = predictableChars(p);
  const effective = Math.max(1, len - pred * 0.75);
  let bits = effective * Math.log2(charsetSize(p));
  // Word-based passphrases: count words as ~11 bits each when that is higher.
  const words = p.split(/[\s\-_.]+/).filter((w) => w.length >= 3);
  if (words.length >= 3) bits = Math.max(bits, words.length * 11);
  if (/(19|20)\d\d/.test(p)) {
    bits -= 6;
    feedback.push('Avoid years and dates.');
  }
  if (pred > len / 3) feedback.push('Avoid repeated characters and sequences like "aaa", "abc" or "qwerty".');
  if (len < MIN_PASSPHRASE_LENGTH) feedback.push(`Use at least ${MIN_PASSPHRASE_LENGTH} characters; longer is better.`);
  if (charsetSize(p) <= 26 && words.length < 3) feedback.push('Add more words, or mix in capitals, digits or symbols.');
  const score: PassphraseStrength['score'] = bits < 28 ? 0 : bits < 36 ? 1 : bits < 50 ? 2 : bits < 64 ? 3 : 4;
  if (score < MIN_PASSPHRASE_SCORE && feedback.length === 0) feedback.push('Make it longer: a few unrelated words work well.');
  return { score, feedback };
}

/** The rule Vault.create enforces. */
export function passphraseAcceptable(p: string): boolean {
  return [...p].length >= MIN_PASSPHRASE_LENGTH && passphraseStrength(p).score >= MIN_PASSPHRASE_SCORE;
}
