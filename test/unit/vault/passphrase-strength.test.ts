import { describe, expect, it } from 'vitest';
import { passphraseAcceptable, passphraseStrength } from '../../../src/shared/passphrase-strength';

describe('passphraseStrength', () => {
  it.each(['password', 'Password1', 'qwerty123', 'letmein', 'P@ssw0rd', 'iloveyou'])('common password %s scores 0', (p) => {
    expect(passphraseStrength(p).score).toBe(0);
    expect(passphraseAcceptable(p)).toBe(false);
  });
  it.each(['aaaaaaaaaaaaaaaa', 'abcdefghijklmnop', '1234567890123', 'qwertyuiopasdf'])('repeats/sequences %s are weak', (p) => {
    expect(passphraseStrength(p).score).toBeLessThan(2);
    expect(passphraseStrength(p).feedback.join(' ')).toMatch(/sequence|repeat|longer|words/i);
  });
  it('short strings are weak; empty is 0', () => {
    expect(passphraseStrength('').score).toBe(0);
    expect(passphraseAcceptable('Xk9!q')).toBe(false);
  });
  it.each(['correct horse battery staple orbit', 'violet-lantern-harbor-quartz-91', 'T7#kq!Vz2@pLm9'])('strong %s is accepted', (p) => {
    expect(passphraseStrength(p).score).toBeGreaterThanOrEqual(3);
    expect(passphraseAcceptable(p)).toBe(true);
  });
  it('longer is never weaker for random-looking input', () => {
    expect(passphraseStrength('gT4mQz8wXr2p').score).toBeGreaterThanOrEqual(passphraseStrength('gT4mQz').score);
  });
});
