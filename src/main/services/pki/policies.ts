/**
 * Certificate policy processing, RFC 5280 §6.1 (spec §4): the
 * valid_policy_tree with user-initial-policy-set = {anyPolicy} and
 * initial-explicit-policy, initial-policy-mapping-inhibit and
 * initial-any-policy-inhibit all false. Processes certificatePolicies,
 * policyMappings, policyConstraints and inhibitAnyPolicy. Policy qualifiers
 * are informational and not kept.
 *
 * The input is the path below the trust anchor, the certificate the anchor
 * issued first and the signer last (the anchor itself contributes only its
 * name and key, §6.1.1). The tree is bounded (maxNodes): mappings can make it
 * grow combinatorially (cf. CVE-2023-0464), and such a chain is refused.
 */
import { ANY_POLICY } from './certificate';

export interface PolicyCert {
  selfIssued: boolean;
  /** certificatePolicies OIDs; undefined when the extension is absent. */
  policies?: readonly string[];
  policyMappings?: readonly (readonly [string, string])[];
  requireExplicitPolicy?: number;
  inhibitPolicyMapping?: number;
  inhibitAnyPolicy?: number;
}

export type PolicyOutcome =
  | { ok: true; /** The authorities-constrained policy set: valid policies at the signer (anyPolicy when unrestricted); empty when the tree is NULL. */ policies: string[]; nodes: number }
  | { ok: false; reason: string; nodes: number };

interface PolicyNode {
  policy: string;
  expected: Set<string>;
  parent?: PolicyNode;
  children: PolicyNode[];
}

class TooManyNodes extends Error {}

/** `label(i)` names certificate i (0-based, anchor's child first) in reasons. */
export function processPolicies(certs: readonly PolicyCert[], label: (i: number) => string, maxNodes: number): PolicyOutcome {
  const n = certs.length;
  let nodes = 0;
  const node = (parent: PolicyNode | undefined, policy: string, expected: Iterable<string>): PolicyNode => {
    if (++nodes > maxNodes) throw new TooManyNodes();
    const c: PolicyNode = { policy, expected: new Set(expected), parent, children: [] };
    parent?.children.push(c);
    return c;
  };
  try {
    // levels[d]: the nodes of depth d; null is the NULL tree
    let levels: PolicyNode[][] | null = [[node(undefined, ANY_POLICY, [ANY_POLICY])]];
    let explicitPolicy = n + 1;
    let inhibitAny = n + 1;
    let policyMapping = n + 1;
    // who made an explicit policy necessary, for the reason
    let explicitBy: string | undefined;
    let nulledBy: string | undefined;

    /** Delete childless nodes of depth <= d, bottom up; the tree becomes NULL when the root goes. */
    const prune = (d: number): void => {
      if (!levels) return;
      for (let k = d; k >= 0; k--) {
        const keep: PolicyNode[] = [];
        for (const x of levels[k]!) {
          if (x.children.length > 0) keep.push(x);
          else if (x.parent) x.parent.children = x.parent.children.filter((y) => y !== x);
        }
        levels[k] = keep;
      }
      if (levels[0]!.length === 0) levels = null;
    };

    for (let i = 1; i <= n; i++) {
      const c = certs[i - 1]!;
      const who = label(i - 1);
      // §6.1.3 (d), (e)
      if (c.policies === undefined) {
        if (levels) nulledBy ??= `${who} has no certificatePolicies extension`;
        levels = null;
      } else if (levels) {
        const prev: PolicyNode[] = levels[i - 1]!;
        const cur: PolicyNode[] = [];
        for (const p of c.policies) {
          if (p === ANY_POLICY) continue;
          const matches = prev.filter((x) => x.expected.has(p));
          if (matches.length) for (const x of matches) cur.push(node(x, p, [p]));
          else {
            const anyNode = prev.find((x) => x.policy === ANY_POLICY);
            if (anyNode) cur.push(node(anyNode, p, [p]));
          }
        }
        if (c.policies.includes(ANY_POLICY) && (inhibitAny > 0 || (i < n && c.selfIssued))) {
          for (const x of prev)
            for (const e of x.expected) if (!x.children.some((y) => y.policy === e)) cur.push(node(x, e, [e]));
        }
        levels.push(cur);
        prune(i - 1);
        if (!levels) nulledBy ??= `no policy asserted by ${who} (${c.policies.join(', ')}) is accepted by the certificates above it`;
      }
      // §6.1.3 (f)
      if (explicitPolicy <= 0 && !levels) return { ok: false, nodes, reason: failure(explicitBy, nulledBy) };

      if (i < n) {
        // §6.1.4 (a), (b): policy mappings
        if (c.policyMappings) {
          const mapped = new Map<string, Set<string>>();
          for (const [issuerPolicy, subjectPolicy] of c.policyMappings) {
            if (issuerPolicy === ANY_POLICY || subjectPolicy === ANY_POLICY)
              return { ok: false, nodes, reason: `${who} maps anyPolicy in its policyMappings, which RFC 5280 forbids; the certificate cannot be used.` };
            mapped.set(issuerPolicy, (mapped.get(issuerPolicy) ?? new Set()).add(subjectPolicy));
          }
          for (const [issuerPolicy, subjects] of mapped) {
            if (!levels) break;
            const atI: PolicyNode[] = levels[i]!;
            const hits = atI.filter((x) => x.policy === issuerPolicy);
            if (policyMapping > 0) {
              if (hits.length) for (const h of hits) h.expected = new Set(subjects);
              else if (atI.some((x) => x.policy === ANY_POLICY)) {
                const anyParent = levels[i - 1]!.find((x) => x.policy === ANY_POLICY);
                if (anyParent) atI.push(node(anyParent, issuerPolicy, subjects));
              }
            } else if (hits.length) {
              for (const h of hits) h.parent!.children = h.parent!.children.filter((y) => y !== h);
              levels[i] = atI.filter((x) => !hits.includes(x));
              prune(i - 1);
              if (!levels) nulledBy ??= `${who} maps ${issuerPolicy} although policy mapping is inhibited`;
            }
          }
        }
        // §6.1.4 (h), (i), (j)
        if (!c.selfIssued) {
          if (explicitPolicy > 0) explicitPolicy--;
          if (policyMapping > 0) policyMapping--;
          if (inhibitAny > 0) inhibitAny--;
        }
        if (c.requireExplicitPolicy !== undefined && c.requireExplicitPolicy < explicitPolicy) {
          explicitPolicy = c.requireExplicitPolicy;
          explicitBy = `${who} requires an explicit policy (requireExplicitPolicy ${c.requireExplicitPolicy})`;
        }
        if (c.inhibitPolicyMapping !== undefined && c.inhibitPolicyMapping < policyMapping) policyMapping = c.inhibitPolicyMapping;
        if (c.inhibitAnyPolicy !== undefined && c.inhibitAnyPolicy < inhibitAny) inhibitAny = c.inhibitAnyPolicy;
      } else {
        // §6.1.5 (a), (b): wrap-up on the signer certificate
        if (explicitPolicy > 0) explicitPolicy--;
        if (c.requireExplicitPolicy === 0) {
          explicitPolicy = 0;
          explicitBy = `${who} requires an explicit policy (requireExplicitPolicy 0)`;
        }
      }
    }
    // §6.1.5 (g): with user-initial-policy-set {anyPolicy} the tree is kept as it is
    if (explicitPolicy > 0 || levels) {
      const finalLevels = levels as PolicyNode[][] | null;
      const policies = finalLevels ? [...new Set(finalLevels[n]!.map((x) => x.policy))] : [];
      return { ok: true, policies, nodes };
    }
    return { ok: false, nodes, reason: failure(explicitBy, nulledBy) };
  } catch (e) {
    if (e instanceof TooManyNodes)
      return { ok: false, nodes, reason: `The certificate policies and mappings of this chain are too complex to evaluate (more than ${maxNodes} policy tree nodes); ask the issuer for a chain with simpler policies.` };
    throw e;
  }
}

function failure(explicitBy: string | undefined, nulledBy: string | undefined): string {
  return `No certificate policy is valid for the whole chain (${nulledBy ?? 'the policy tree is empty'}), and ${explicitBy ?? 'an explicit policy is required'}. Ask the issuer for a signer certificate under an accepted policy.`;
}
