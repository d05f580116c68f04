import { describe, expect, it } from 'vitest';
import {
  CHECK_ORDER,
  CHECK_TITLES,
  FAILURE_HELP,
  checkTitle,
  classificationTone,
  countChecks,
  explainVerdict,
  failureHelp,
  groupChecks,
  orderChecks,
  statusLabel,
  type CheckLike,
} from '../../../src/renderer/lib/checks';

const pass = (id: string, reason = `${id} ok`): CheckLike => ({ id, status: 'pass', reason });
const fail = (id: string, code: string, reason: string): CheckLike => ({ id, status: 'fail', code, reason });
const skip = (id: string, required = false): CheckLike => ({ id, status: 'skip', required, reason: `${id} not applicable` });

describe('check labels', () => {
  it('has a title for every check id in order', () => {
    for (const id of CHECK_ORDER) expect(CHECK_TITLES[id]).toBeTruthy();
    expect(checkTitle('digests')).toBe('File contents match checksums');
    expect(checkTitle('unknown-check')).toBe('unknown-check');
  });
  it('labels statuses', () => {
    expect(statusLabel('pass')).toBe('Passed');
    expect(statusLabel('fail')).toBe('Failed');
    expect(statusLabel('skip')).toBe('Not run');
    expect(statusLabel('other')).toBe('other');
  });
  it('gives actionable help for failure codes', () => {
    expect(failureHelp('chain.no-anchor')).toMatch(/Trust/);
    expect(failureHelp('revocation.stale-crl')).toMatch(/CRL/);
    expect(failureHelp(undefined)).toBeUndefined();
    expect(failureHelp('no.such-code')).toBeUndefined();
    for (const [code, help] of Object.entries(FAILURE_HELP)) {
      expect(help.length, code).toBeGreaterThan(20);
      expect(help.endsWith('.'), code).toBe(true);
    }
  });
});

describe('ordering and grouping', () => {
  const checks = [pass('rollback'), fail('digests', 'digests.mismatch', 'a.bin changed'), skip('audience'), pass('container'), { id: 'zz', status: 'pass' as const, reason: 'x' }];
  it('orders by report order with unknown ids last', () => {
    expect(orderChecks(checks).map((c) => c.id)).toEqual(['container', 'digests', 'audience', 'rollback', 'zz']);
    expect(orderChecks(checks)[0]!.title).toBe('Bundle structure');
  });
  it('groups failures first, then passes, then skipped', () => {
    const groups = groupChecks(checks);
    expect(groups.map((g) => g.status)).toEqual(['fail', 'pass', 'skip']);
    expect(groups[1]!.checks.map((c) => c.id)).toEqual(['container', 'rollback', 'zz']);
  });
  it('omits empty groups', () => {
    expect(groupChecks([pass('sums')]).map((g) => g.status)).toEqual(['pass']);
  });
  it('counts', () => {
    expect(countChecks(checks)).toEqual({ pass: 3, fail: 1, skip: 1, total: 5 });
  });
});

describe('explainVerdict', () => {
  const base = { signers: [{ ok: true }], files: { count: 2, bytes: 10 } };
  it('explains acceptance', () => {
    const text = explainVerdict({ ...base, verdict: 'accepted', checks: [pass('container'), pass('sums'), skip('audience')] });
    expect(text).toMatch(/^All 2 required checks passed/);
    expect(text).toMatch(/1 check was informational or not applicable/);
  });
  it('names the first failure in report order and its reason', () => {
    const text = explainVerdict({
      ...base,
      verdict: 'rejected',
      checks: [fail('signature', 'signature.invalid', 'The signature does not verify.'), fail('digests', 'digests.mismatch', 'model.bin does not match.')],
    });
    expect(text).toBe('Rejected because “File contents match checksums” failed (1 more check also failed): model.bin does not match.');
  });
  it('handles a rejection without failed checks', () => {
    expect(explainVerdict({ ...base, verdict: 'rejected', checks: [pass('sums')] })).toMatch(/suspicious/);
  });
  it('names a required check that could not run (fail closed)', () => {
    const text = explainVerdict({ ...base, verdict: 'rejected', checks: [pass('sums'), skip('clock'), skip('revocation', true)] });
    expect(text).toBe('Rejected because the required check “Revocation (CRLs)” could not run: revocation not applicable');
  });
});

describe('classificationTone', () => {
  it.each([
    ['UNCLASSIFIED', 'unclassified'],
    ['unclassified//fouo', 'unclassified'],
    ['CUI', 'cui'],
    ['CONTROLLED UNCLASSIFIED INFORMATION', 'cui'],
    ['CONFIDENTIAL', 'confidential'],
    ['SECRET//NOFORN', 'secret'],
    ['TOP SECRET', 'top-secret'],
    ['TOP SECRET//SCI', 'sci'],
    ['OFFICIAL-SENSITIVE', 'official'],
    ['', 'unknown'],
    [null, 'unknown'],
    ['ACME INTERNAL', 'unknown'],
  ])('%s → %s', (marking, tone) => {
    expect(classificationTone(marking)).toBe(tone);
  });
});
