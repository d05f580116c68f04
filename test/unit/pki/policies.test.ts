/**
 * RFC 5280 §6.1 certificate policy processing (services/pki/policies.ts) on
 * abstract paths: the anchor's child first, the signer last. Initial inputs as
 * spec §4 fixes them: user-initial-policy-set {anyPolicy}, no explicit policy
 * required, mapping and anyPolicy not inhibited. The corpus exercises the
 * same code on openssl-made certificates (and openssl -policy_check agrees).
 */
import { describe, expect, it } from 'vitest';
import { ANY_POLICY, processPolicies, type PolicyCert } from '../../../src/main/services/pki';

const P1 = '1.3.6.1.4.1.55555.2.1';
const P2 = '1.3.6.1.4.1.55555.2.2';
const P3 = '1.3.6.1.4.1.55555.2.3';
const P9 = '1.3.6.1.4.1.55555.2.9';

const ca = (over: Partial<PolicyCert> = {}): PolicyCert => ({ selfIssued: false, ...over });
const run = (certs: PolicyCert[], maxNodes = 1000) => processPolicies(certs, (i) => `cert#${i}`, maxNodes);

describe('certificate policies (RFC 5280 §6.1)', () => {
  it('without policy extensions anywhere the chain is valid (no explicit policy required) with an empty policy set', () => {
    expect(run([ca(), ca()])).toMatchObject({ ok: true, policies: [] });
  });

  it('a policy asserted all the way down is the valid policy at the signer', () => {
    expect(run([ca({ policies: [P1] }), ca({ policies: [P1, P2] })])).toMatchObject({ ok: true, policies: [P1] });
  });

  it('requireExplicitPolicy 0: the signer must carry a policy the CA accepted', () => {
    const strict = ca({ policies: [P1], requireExplicitPolicy: 0 });
    expect(run([strict, ca({ policies: [P1] })])).toMatchObject({ ok: true, policies: [P1] });
    const bad = run([strict, ca({ policies: [P9] })]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.reason).toContain('cert#0 requires an explicit policy (requireExplicitPolicy 0)');
      expect(bad.reason).toContain(P9);
    }
    expect(run([strict, ca()])).toMatchObject({ ok: false });
  });

  it('requireExplicitPolicy counts certificates (SkipCerts): 2 binds the signer of a 3-certificate path, 3 does not', () => {
    expect(run([ca({ requireExplicitPolicy: 2 }), ca(), ca()]).ok).toBe(false);
    expect(run([ca({ requireExplicitPolicy: 3 }), ca(), ca()]).ok).toBe(true);
    // a self-issued certificate (key rollover) does not count
    expect(run([ca({ requireExplicitPolicy: 2 }), ca({ selfIssued: true }), ca(), ca()]).ok).toBe(false);
    expect(run([ca({ requireExplicitPolicy: 3 }), ca({ selfIssued: true }), ca(), ca()]).ok).toBe(true);
  });

  it('the signer itself may require an explicit policy (wrap-up)', () => {
    expect(run([ca({ policies: [P1] }), ca({ policies: [P2], requireExplicitPolicy: 0 })]).ok).toBe(false);
    expect(run([ca({ policies: [P1] }), ca({ policies: [P1], requireExplicitPolicy: 0 })]).ok).toBe(true);
  });

  it('policy mappings: the issuer-domain policy p1 is accepted in the subject domain as p2', () => {
    const mapper = ca({ policies: [P1], policyMappings: [[P1, P2]], requireExplicitPolicy: 0 });
    expect(run([mapper, ca({ policies: [P2] })])).toMatchObject({ ok: true, policies: [P2] });
    // after the mapping, p1 itself is no longer what the subject domain calls it
    expect(run([mapper, ca({ policies: [P1] })]).ok).toBe(false);
  });

  it('a mapping from a policy only reached through anyPolicy creates it (§6.1.4 (b)(1))', () => {
    const mapper = ca({ policies: [ANY_POLICY], policyMappings: [[P1, P3]] });
    expect(run([ca({ policies: [ANY_POLICY], requireExplicitPolicy: 0 }), mapper, ca({ policies: [P3] })])).toMatchObject({ ok: true, policies: [P3] });
  });

  it('inhibitPolicyMapping 0 deletes mapped policies below it', () => {
    const inhibitor = ca({ policies: [P1], inhibitPolicyMapping: 0, requireExplicitPolicy: 0 });
    const mapper = ca({ policies: [P1], policyMappings: [[P1, P2]] });
    expect(run([ca({ policies: [P1], requireExplicitPolicy: 0 }), mapper, ca({ policies: [P2] })]).ok).toBe(true);
    const r = run([inhibitor, mapper, ca({ policies: [P2] })]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('policy mapping is inhibited');
  });

  it('mapping to or from anyPolicy makes the certificate unusable', () => {
    const r = run([ca({ policies: [P1], policyMappings: [[ANY_POLICY, P2]] }), ca({ policies: [P2] })]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/cert#0 maps anyPolicy/);
    expect(run([ca({ policies: [P1], policyMappings: [[P1, ANY_POLICY]] }), ca({ policies: [P1] })]).ok).toBe(false);
  });

  it('inhibitAnyPolicy: anyPolicy in a later CA stops counting', () => {
    const signer = ca({ policies: [P1] });
    expect(run([ca({ policies: [ANY_POLICY], requireExplicitPolicy: 0 }), ca({ policies: [ANY_POLICY] }), signer])).toMatchObject({ ok: true, policies: [P1] });
    expect(run([ca({ policies: [ANY_POLICY], requireExplicitPolicy: 0, inhibitAnyPolicy: 0 }), ca({ policies: [ANY_POLICY] }), signer]).ok).toBe(false);
    // …but a self-issued intermediate's anyPolicy still counts (§6.1.3 (d)(2)); the signer's own anyPolicy never does
    const inhibiting = ca({ policies: [ANY_POLICY], requireExplicitPolicy: 0, inhibitAnyPolicy: 0 });
    expect(run([inhibiting, ca({ policies: [ANY_POLICY], selfIssued: true }), signer])).toMatchObject({ ok: true, policies: [P1] });
    expect(run([inhibiting, ca({ policies: [ANY_POLICY], selfIssued: true }), ca({ policies: [ANY_POLICY] })]).ok).toBe(false);
  });

  it('a CA without certificatePolicies empties the tree; that only matters when an explicit policy is required', () => {
    expect(run([ca({ policies: [P1] }), ca(), ca({ policies: [P1] })])).toMatchObject({ ok: true, policies: [] });
    const r = run([ca({ policies: [P1], requireExplicitPolicy: 0 }), ca(), ca({ policies: [P1] })]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('cert#1 has no certificatePolicies extension');
  });

  it('bounds the tree: combinatorial mappings are refused, not expanded', () => {
    const many = Array.from({ length: 40 }, (_, i) => `1.3.6.1.4.1.55555.3.${i}`);
    const fanOut = ca({ policies: many, policyMappings: many.flatMap((a) => many.slice(0, 20).map((b) => [a, b] as [string, string])) });
    const r = run([fanOut, ca({ policies: many }), ca({ policies: many }), ca({ policies: many })], 500);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/too complex to evaluate \(more than 500 policy tree nodes\)/);
    expect(r.nodes).toBeLessThanOrEqual(501);
  });
});
