/**
 * What bounds the work of one signature evaluation (spec §4: a verdict
 * within seconds whatever certificates a bundle carries): memoised signature
 * checks, and deterministic counters with limits. The counters are reported
 * (SignatureEvaluation.work) so tests can assert the bound without timing.
 */
import { signatureAlgorithm, verifySignature } from './algorithms';
import type { Cert, Signed } from './certificate';

export interface PathLimits {
  /** CA certificates allowed between the signer and the anchor. */
  maxIntermediates: number;
  /** Partial paths the builder may extend, over the whole evaluation. */
  maxCandidatePaths: number;
  /** Distinct signature verifications, over the whole evaluation. */
  maxSignatureChecks: number;
  /** Complete paths (signer to anchor) validated per signer. */
  maxCompletePaths: number;
  /** Nodes of the RFC 5280 valid_policy_tree, per path. */
  maxPolicyNodes: number;
  /** SignerInfos in one CMS. */
  maxSigners: number;
  /** Certificates in one CMS. */
  maxCertificates: number;
}

export const DEFAULT_PATH_LIMITS: Readonly<PathLimits> = Object.freeze({
  maxIntermediates: 8,
  maxCandidatePaths: 1000,
  maxSignatureChecks: 500,
  maxCompletePaths: 16,
  maxPolicyNodes: 1000,
  maxSigners: 16,
  maxCertificates: 128,
});

/** Deterministic work counters (plain numbers: structured-clone safe). */
export interface WorkCounts {
  /** Signature verifications actually computed (memo hits are not counted). */
  signatureChecks: number;
  /** Signature questions answered from the memo. */
  signatureMemoHits: number;
  /** Partial paths extended by the builder. */
  candidatePaths: number;
  /** Complete paths validated. */
  completePaths: number;
  /** Policy tree nodes created, all paths together. */
  policyNodes: number;
}

export class SearchLimit extends Error {}

/** Shared by every signer of one evaluation: the memo and the budget. */
export class WorkBudget {
  readonly limits: PathLimits;
  readonly counts: WorkCounts = { signatureChecks: 0, signatureMemoHits: 0, candidatePaths: 0, completePaths: 0, policyNodes: 0 };
  private readonly memo = new Map<string, boolean>();

  constructor(limits: Partial<PathLimits> = {}) {
    this.limits = { ...DEFAULT_PATH_LIMITS, ...limits };
  }

  /**
   * Does `issuer`'s key verify `child`'s signature? The math only: below-floor
   * algorithms still answer (the floor is judged separately). Memoised on the
   * child's bytes (its DER digest) and the issuer's SubjectPublicKeyInfo.
   * Throws SearchLimit when a new check would exceed the budget.
   */
  verifies(child: Signed, issuer: Cert): boolean {
    const key = `${child.id}|${issuer.spkiId}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) {
      this.counts.signatureMemoHits++;
      return hit;
    }
    if (this.counts.signatureChecks >= this.limits.maxSignatureChecks) throw new SearchLimit(`${this.limits.maxSignatureChecks} signature checks`);
    this.counts.signatureChecks++;
    let ok = false;
    if (issuer.publicKey) {
      try {
        ok = verifySignature(signatureAlgorithm(child.sigAlg, undefined, true), issuer.publicKey, child.tbs, child.signature);
      } catch {
        ok = false; // unsupported algorithm: it verifies nothing
      }
    }
    this.memo.set(key, ok);
    return ok;
  }

  /** Count one extended partial path; throws SearchLimit past the budget. */
  candidatePath(): void {
    if (this.counts.candidatePaths >= this.limits.maxCandidatePaths) throw new SearchLimit(`${this.limits.maxCandidatePaths} candidate paths`);
    this.counts.candidatePaths++;
  }
}
