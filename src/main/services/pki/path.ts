/**
 * Certification path building and validation (RFC 5280 §6, spec §4).
 *
 * Building is bounded by construction (spec §4: a verdict within seconds
 * whatever the bundle carries): candidates are indexed by subject name and
 * deduplicated by DER; a path never holds the same subject name and key twice
 * (RFC 4158 loop detection); every signature question is memoised (see
 * WorkBudget); the search is breadth-first, so the shortest paths are tried
 * first, and stops at the depth, candidate-path and signature-check limits
 * with `chain.search-limit`. Each complete path is validated in full
 * (validity, CA constraints, critical extensions, policies, algorithms,
 * signer usage, revocation); the first path that passes everything wins.
 */
import type { BundleType } from '../../../shared/verification';
import { hex } from './asn1';
import { AlgError, checkKeyFloor, signatureAlgorithm } from './algorithms';
import type { Anchor } from './anchors';
import {
  ANCHOR_PROCESSED_CRITICAL,
  BUNDLE_SIGNING_EKUS,
  EKU,
  KU,
  PROCESSED_CRITICAL,
  certLabel,
  extensionName,
  unprocessedCritical,
  type Cert,
} from './certificate';
import { checkRevocation, type CrlIndex, type TrustFailure } from './crl';
import { processPolicies } from './policies';
import { SearchLimit, type WorkBudget } from './work';

export interface PathChecks {
  chain?: TrustFailure;
  algorithms?: TrustFailure;
  signer?: TrustFailure;
  /** Valid policies at the signer (RFC 5280 authorities-constrained set; [] when the tree is NULL). */
  policies?: string[];
}

export interface PathVerdict extends PathChecks {
  /** Signer first, anchor last. */
  path?: Cert[];
  anchor?: Anchor;
  revocation?: TrustFailure | { ok: string };
}

export interface PathContext {
  anchors: readonly Anchor[];
  /** CA certificates from the signature, deduplicated by DER. */
  intermediates: readonly Cert[];
  crls: CrlIndex;
  at: Date;
  requireCrls: boolean;
  /** When known, a valid path to an anchor bound to this type is preferred. */
  bundleType?: BundleType;
  work: WorkBudget;
}

const EKU_NAMES: Record<string, string> = {
  [EKU.any]: 'anyExtendedKeyUsage',
  [EKU.serverAuth]: 'serverAuth',
  [EKU.clientAuth]: 'clientAuth',
  [EKU.codeSigning]: 'codeSigning',
  [EKU.emailProtection]: 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
};
const ekuList = (oids: readonly string[]) => oids.map((o) => EKU_NAMES[o] ?? o).join(', ');

/** The signer certificate on its own: end-entity, keyUsage, extended key usage (spec §4). */
export function signerChecks(leaf: Cert): TrustFailure | undefined {
  if (leaf.ca)
    return { code: 'signer.is-ca', reason: `Signer certificate ${certLabel(leaf)} is a CA certificate (basicConstraints cA=TRUE); bundles must be signed with an end-entity certificate.` };
  if (!leaf.keyUsage || !(leaf.keyUsage.has(KU.digitalSignature) || leaf.keyUsage.has(KU.nonRepudiation)))
    return { code: 'signer.key-usage', reason: `Signer certificate ${certLabel(leaf)} lacks keyUsage digitalSignature or nonRepudiation.` };
  if (leaf.extendedKeyUsage && !leaf.extendedKeyUsage.some((o) => BUNDLE_SIGNING_EKUS.has(o)))
    return {
      code: 'signer.extended-key-usage',
      reason: `Signer certificate ${certLabel(leaf)} has extended key usage ${ekuList(leaf.extendedKeyUsage)} only; signing bundles needs codeSigning, emailProtection or anyExtendedKeyUsage (a TLS-only certificate cannot sign bundles).`,
    };
  return undefined;
}

/**
 * RFC 5280 checks along a built path (signer first, anchor last) at time
 * `at`; the first failure per group. The anchor is checked as a certificate
 * (validity, CA, critical extensions) but contributes only its name and key
 * to policy processing.
 */
export function validatePath(path: readonly Cert[], at: Date, work?: WorkBudget): PathChecks {
  const out: PathChecks = {};
  const iso = at.toISOString();
  const top = path.length - 1;
  for (let i = 0; i < path.length && !out.chain; i++) {
    const c = path[i]!;
    if (at < c.notBefore) out.chain = { code: 'chain.not-yet-valid', reason: `Certificate ${certLabel(c)} is not valid until ${c.notBefore.toISOString()} (checked at ${iso}).` };
    else if (at >= c.notAfter) out.chain = { code: 'chain.expired', reason: `Certificate ${certLabel(c)} expired at ${c.notAfter.toISOString()} (checked at ${iso}).` };
    else {
      const crit = unprocessedCritical(c, i === top ? ANCHOR_PROCESSED_CRITICAL : PROCESSED_CRITICAL);
      if (crit) out.chain = { code: 'chain.critical-extension', reason: `Certificate ${certLabel(c)} has a critical extension ${extensionName(crit)} that this verifier does not process.` };
    }
  }
  // issuers: cA, keyCertSign, path length
  for (let i = 1; i < path.length && !out.chain; i++) {
    const c = path[i]!;
    if (!c.ca) out.chain = { code: 'chain.not-ca', reason: `Issuing certificate ${certLabel(c)} lacks basicConstraints cA=TRUE.` };
    else if (!c.keyUsage?.has(KU.keyCertSign)) out.chain = { code: 'chain.not-ca', reason: `Issuing certificate ${certLabel(c)} lacks keyUsage keyCertSign.` };
    else if (c.pathLen !== undefined) {
      // non-self-issued intermediates strictly between c and the leaf
      let below = 0;
      for (let j = 1; j < i; j++) if (!path[j]!.selfIssued) below++;
      if (below > c.pathLen) out.chain = { code: 'chain.path-length', reason: `Certificate ${certLabel(c)} allows ${c.pathLen} intermediate CA(s) below it, but the chain has ${below}.` };
    }
  }
  // certificate policies, below the anchor, anchor's child first
  if (!out.chain) {
    const below = path.slice(0, top).reverse();
    const r = processPolicies(below, (i) => certLabel(below[i]!), work?.limits.maxPolicyNodes ?? 1000);
    if (work) work.counts.policyNodes += r.nodes;
    if (r.ok) out.policies = r.policies;
    else out.chain = { code: 'chain.policy', reason: r.reason };
  }
  // algorithms: every key meets the floor, every certificate signature algorithm too
  for (let i = 0; i < path.length && !out.algorithms; i++) {
    const c = path[i]!;
    try {
      if (!c.publicKey) throw new AlgError('algorithms.key', `Certificate ${certLabel(c)} has a key type this verifier does not support.`);
      checkKeyFloor(c.publicKey, `Certificate ${certLabel(c)}`);
      if (i < top) signatureAlgorithm(c.sigAlg);
    } catch (e) {
      if (e instanceof AlgError) out.algorithms = { code: e.code, reason: e.message.includes(certLabel(c)) ? e.message : `Certificate ${certLabel(c)}: ${e.message}` };
      else throw e;
    }
  }
  out.signer = signerChecks(path[0]!);
  // a CA that restricts extended key usage restricts what it vouches for (EKU chaining)
  for (let i = 1; i < path.length && !out.signer; i++) {
    const c = path[i]!;
    if (c.extendedKeyUsage && !c.extendedKeyUsage.some((o) => BUNDLE_SIGNING_EKUS.has(o)))
      out.signer = {
        code: 'signer.extended-key-usage',
        reason: `CA certificate ${certLabel(c)} restricts the certificates under it to extended key usage ${ekuList(c.extendedKeyUsage)}, so the signer ${certLabel(path[0]!)} may not sign bundles.`,
      };
  }
  return out;
}

function passes(v: PathVerdict): boolean {
  return !v.chain && !v.algorithms && !v.signer && !!v.revocation && !('code' in v.revocation);
}

function allows(a: Anchor, type: BundleType | undefined): boolean {
  return type === undefined || a.types === 'any' || a.types.includes(type);
}

function byName<T>(items: readonly T[], name: (t: T) => Uint8Array): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items) {
    const k = hex(name(t));
    const list = m.get(k);
    if (list) list.push(t);
    else m.set(k, [t]);
  }
  return m;
}

interface PartialPath {
  certs: Cert[];
  nameKeys: Set<string>;
}

/**
 * Find the best path from `leaf` to an anchor: the first (shortest) path that
 * passes every check, preferring one whose anchor may sign `bundleType`;
 * otherwise the first complete path found, with its failures; otherwise why
 * no path was found (`chain.search-limit`, `chain.bad-signature`,
 * `chain.no-anchor`). A candidate whose name matches but whose key does not
 * verify the child (an impostor with copied names) is never used.
 */
export function findPath(leaf: Cert, ctx: PathContext): PathVerdict {
  const { work } = ctx;
  const anchorsByName = byName(ctx.anchors, (a) => a.cert.subjectRaw);
  const caByName = byName(
    ctx.intermediates.filter((c) => c.id !== leaf.id),
    (c) => c.subjectRaw,
  );
  let badSig: string | undefined;
  let nameOnly: string | undefined;
  const links = (child: Cert, cand: Cert): boolean => {
    if (child.aki && cand.ski && child.aki !== cand.ski) {
      nameOnly ??= `${certLabel(child)} names issuer "${child.issuer}", but the key identifier of the candidate ${certLabel(cand)} does not match.`;
      return false;
    }
    const ok = work.verifies(child, cand);
    if (!ok) {
      const msg = `The signature on ${certLabel(child)} does not verify with the key of ${certLabel(cand)}, whose name it claims as issuer.`;
      if (child.aki && cand.ski && child.aki === cand.ski) badSig ??= msg;
      else nameOnly ??= msg;
    }
    return ok;
  };

  let first: PathVerdict | undefined;
  let validOtherType: PathVerdict | undefined;
  let completes = 0;
  let limit: string | undefined;
  // a CA candidate existed beyond the depth limit: "no path" would then be a guess
  let depthCut = false;
  // subjects of candidates skipped because they would close a loop (for the reason)
  const cycle = new Set<string>();
  const queue: (PartialPath | undefined)[] = [{ certs: [leaf], nameKeys: new Set([leaf.nameKey]) }];
  try {
    search: for (let qi = 0; qi < queue.length; qi++) {
      const p = queue[qi]!;
      queue[qi] = undefined; // done with it
      const cur = p.certs[p.certs.length - 1]!;
      const issuerKey = hex(cur.issuerRaw);
      for (const a of anchorsByName.get(issuerKey) ?? []) {
        if (p.nameKeys.has(a.cert.nameKey) || !links(cur, a.cert)) continue;
        const path = [...p.certs, a.cert];
        const v: PathVerdict = { path, anchor: a, ...validatePath(path, ctx.at, work) };
        v.revocation = checkRevocation(path, ctx.crls, ctx.at, ctx.requireCrls, work);
        work.counts.completePaths++;
        completes++;
        first ??= v;
        if (passes(v)) {
          if (allows(a, ctx.bundleType)) return v;
          validOtherType ??= v;
        }
        if (completes >= work.limits.maxCompletePaths) {
          limit = `${completes} complete paths`;
          break search;
        }
      }
      if (p.certs.length - 1 >= work.limits.maxIntermediates) {
        if ((caByName.get(issuerKey) ?? []).some((c) => !p.nameKeys.has(c.nameKey))) depthCut = true;
        continue;
      }
      for (const c of caByName.get(issuerKey) ?? []) {
        // the same subject name and key twice is a loop (this also skips the same DER twice)
        if (p.nameKeys.has(c.nameKey)) {
          cycle.add(c.subject).add(cur.subject);
          continue;
        }
        if (!links(cur, c)) continue;
        work.candidatePath();
        queue.push({ certs: [...p.certs, c], nameKeys: new Set(p.nameKeys).add(c.nameKey) });
      }
    }
  } catch (e) {
    if (!(e instanceof SearchLimit)) throw e;
    limit = e.message;
  }
  if (validOtherType) return validOtherType;
  if (first) return first;
  if (limit)
    return {
      chain: {
        code: 'chain.search-limit',
        reason: `Path building gave up after ${work.counts.candidatePaths} candidate paths (limit: ${limit}) without reaching an installed trust anchor: the signature carries ${ctx.intermediates.filter((c) => c.ca && c.id !== leaf.id).length} CA certificates that certify each other in too many ways. Ask the producer to include only the signer's own chain.`,
      },
    };
  if (depthCut)
    return {
      chain: {
        code: 'chain.search-limit',
        reason: `Path building gave up: no installed trust anchor is reachable from ${certLabel(leaf)} through at most ${work.limits.maxIntermediates} intermediate CA certificates, and longer chains are not searched. Ask the producer for a shorter chain to an installed root.`,
      },
    };
  if (badSig) return { chain: { code: 'chain.bad-signature', reason: badSig } };
  const loop = cycle.size ? ` The CA certificates in the signature (${[...cycle].map((n) => `"${n}"`).join(', ')}) only certify each other in a cycle.` : '';
  return {
    chain: {
      code: 'chain.no-anchor',
      reason: nameOnly
        ? `No path to an installed trust anchor. ${nameOnly}${loop}`
        : `No path from ${certLabel(leaf)} (issuer "${leaf.issuer}") to an installed trust anchor.${loop} Install the issuing root, or ask the producer to include the intermediates.`,
    },
  };
}
