import { describe, expect, it } from 'vitest';
import { createThrottle, TOUCH_INTERVAL_MS } from '../../../src/renderer/lib/throttle';
import { passphraseProblem, strengthLabel } from '../../../src/renderer/lib/passphrase';

describe('createThrottle', () => {
  it('lets the first hit through and then at most one per interval', () => {
    let t = 1_000;
    const th = createThrottle(TOUCH_INTERVAL_MS, () => t);
    expect(th.hit()).toBe(true);
    t += 10_000;
    expect(th.hit()).toBe(false);
    t += 19_999;
    expect(th.hit()).toBe(false);
    t += 1;
    expect(th.hit()).toBe(true);
    expect(th.hit()).toBe(false);
    th.reset();
    expect(th.hit()).toBe(true);
  });
  it('uses a 30 s interval for vault.touch', () => {
    expect(TOUCH_INTERVAL_MS).toBe(30_000);
  });
});

describe('passphrase helpers', () => {
  it('labels scores and clamps', () => {
    expect(strengthLabel(0)).toBe('Very weak');
    expect(strengthLabel(4)).toBe('Very strong');
    expect(strengthLabel(9)).toBe('Very strong');
    expect(strengthLabel(-3)).toBe('Very weak');
  });
  const ok = { passphrase: 'correct horse staple', confirm: 'correct horse staple', score: 3, minScore: 2, minLength: 10 };
  it('accepts a long, strong, confirmed passphrase', () => {
    expect(passphraseProblem(ok)).toBeNull();
  });
  it('reports the first problem, each telling the user what to do', () => {
    expect(passphraseProblem({ ...ok, passphrase: '', confirm: '' })).toBe('Enter a passphrase.');
    expect(passphraseProblem({ ...ok, passphrase: 'short', confirm: 'short' })).toMatch(/at least 10 characters/);
    expect(passphraseProblem({ ...ok, score: 1 })).toMatch(/too easy to guess/);
    expect(passphraseProblem({ ...ok, confirm: 'different' })).toMatch(/do not match/);
  });
});
