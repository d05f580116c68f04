/**
 * evaluateSignatures: the whole signature side of a bundle verification as
 * one pure function — CMS parse, every SignerInfo, path building and
 * validation, revocation — over bytes in and plain data out. Input and output
 * are structured-clone safe (strings, numbers, booleans, plain objects,
 * arrays, Uint8Array; no class instances, no KeyObjects), so it can run in a
 * worker thread as well as in-process.
 *
 * Fail closed by construction: every check group of every signer ends with an
 * explicit status; 'pass' is set only where the check ran and passed.
 */
import { AirlockError, type ErrorCode } from '../../../shared/errors';
import type { BundleType, CertificateSummary, FailureCode } from '../../../shared/verification';
import { parseAnchors, type AnchorInput } from './anchors';
import { summarize, type Cert } from './certificate';
import { CmsError, checkSigner, parseSignedData } from './cms';
import { CrlIndex, parseCrl, type Crl } from './crl';
import { findPath, signerChecks, type PathVerdict } from './path';
import { WorkBudget, type PathLimits, type WorkCounts } from './work';

export interface SignatureEvaluationInput {
  /** DER CMS SignedData (SHA384SUMS.p7s). */
  signature: Uint8Array;
  /** The exact signed content (SHA384SUMS). */
  content: Uint8Array;
  anchors: AnchorInput[];
  /** DER CRLs; unreadable ones are ignored and listed in `ignoredCrls`. */
  crls: Uint8Array[];
  /** Verification time, ISO 8601. */
  at: string;
  /** A missing CRL fails closed when true. */
  requireCrls: boolean;
  /** The bundle's type when known: a valid path to an anchor bound to it is preferred. */
  bundleType?: BundleType;
  /** Override the work limits (tests). */
  limits?: Partial<PathLimits>;
}

/** One check group's result for one signer. */
export type GroupOutcome = { status: 'pass'; note?: string } | { status: 'fail'; code: FailureCode; reason: string } | { status: 'skip'; reason: string };

export interface SignerEvaluation {
  index: number;
  /** The signer certificate, when the SignerInfo names one that is in the CMS. */
  certificate?: CertificateSummary;
  digestAlgorithm: string;
  signatureAlgorithm: string;
  signingTime?: string;
  signature: GroupOutcome;
  algorithms: GroupOutcome;
  chain: GroupOutcome;
  signer: GroupOutcome;
  revocation: GroupOutcome;
  /** The anchor the reported path ends at. */
  anchor?: { index: number; label?: string; types: BundleType[] | 'any'; certificate: CertificateSummary };
  /** DER of the reported path below the anchor, signer first. */
  path?: Uint8Array[];
  /** Valid certificate policies at the signer (RFC 5280), when the path has any. */
  policies?: string[];
}

export interface SignatureEvaluation {
  /** The CMS itself could not be used (every signer group is then not checked). */
  malformed?: { code: FailureCode; reason: string };
  /** An anchor is not usable (configuration, not the bundle): the caller raises it as an AirlockError. */
  anchorError?: { code: ErrorCode; message: string; detail?: Record<string, string | number | boolean | null> };
  signers: SignerEvaluation[];
  /** CRLs that could not be read, with why. */
  ignoredCrls: string[];
  work: WorkCounts;
}

const pass = (note?: string): GroupOutcome => (note ? { status: 'pass', note } : { status: 'pass' });
const skip = (reason: string): GroupOutcome => ({ status: 'skip', reason });
const fail = (f: { code: FailureCode; reason: string }): GroupOutcome => ({ status: 'fail', code: f.code, reason: f.reason });

/** Evaluate every signature of a detached CMS over `content`. Never throws for bad bundle input. */
export function evaluateSignatures(input: SignatureEvaluationInput): SignatureEvaluation {
  const work = new WorkBudget(input.limits);
  const out: SignatureEvaluation = { signers: [], ignoredCrls: [], work: work.counts };
  let anchors;
  try {
    anchors = parseAnchors(input.anchors);
  } catch (e) {
    if (!(e instanceof AirlockError)) throw e;
    out.anchorError = { code: e.code, message: e.message, ...(e.detail ? { detail: { ...e.detail } } : {}) };
    return finish(out, work);
  }
  const crls: Crl[] = [];
  input.crls.forEach((c, i) => {
    try {
      crls.push(parseCrl(c));
    } catch (e) {
      out.ignoredCrls.push(`CRL #${i + 1}: ${(e as Error).message}`);
    }
  });
  const at = new Date(input.at);
  if (Number.isNaN(at.getTime())) throw new TypeError(`evaluateSignatures: "at" is not a time: ${input.at}`);

  let sd;
  try {
    sd = parseSignedData(input.signature, work.limits);
  } catch (e) {
    if (!(e instanceof CmsError)) throw e;
    out.malformed = { code: e.code, reason: e.message };
    return finish(out, work);
  }
  // a root (self-issued certificate) inside the CMS is never trusted nor used; duplicates count once
  const intermediates = [...new Map(sd.certificates.filter((c) => !c.selfIssued).map((c) => [c.id, c])).values()];
  const ctx = { anchors, intermediates, crls: new CrlIndex(crls), at, requireCrls: input.requireCrls, bundleType: input.bundleType, work };

  sd.signerInfos.forEach((si, i) => {
    const o = checkSigner(si, i, sd.certificates, input.content);
    const cert = o.cert;
    const ev: SignerEvaluation = {
      index: i,
      digestAlgorithm: o.digestAlgorithm,
      signatureAlgorithm: o.signatureAlgorithm,
      signature: o.signature ? fail(o.signature) : o.verified ? pass() : skip('Not checked: the signature algorithm or key is below the floor, so the signature value was not computed.'),
      algorithms: skip('Not checked: the signer certificate was not found.'),
      chain: skip('Not checked: the signer certificate was not found.'),
      signer: skip('Not checked: the signer certificate was not found.'),
      revocation: skip('Not checked: the signer certificate was not found.'),
    };
    if (o.signingTime) ev.signingTime = o.signingTime;
    if (cert) {
      ev.certificate = summarize(cert);
      const v: PathVerdict = findPath(cert, ctx);
      ev.chain = v.chain ? fail(v.chain) : v.path ? pass() : skip('Not checked: no path was built.');
      ev.algorithms = o.algorithms
        ? fail(o.algorithms)
        : v.algorithms
          ? fail(v.algorithms)
          : v.path
            ? pass()
            : skip('Not checked for the chain: no path to a trust anchor (the signer\'s own digest, signature algorithm and key meet the floor).');
      const own = v.signer ?? (v.path ? undefined : signerChecks(cert));
      ev.signer = own ? fail(own) : pass();
      ev.revocation = !v.revocation ? skip('Not checked: no chain to a trust anchor.') : 'code' in v.revocation ? fail(v.revocation) : pass(v.revocation.ok || undefined);
      if (v.path && v.anchor) {
        const a = v.anchor;
        ev.anchor = { index: a.index, types: a.types, certificate: summarize(a.cert), ...(a.label !== undefined ? { label: a.label } : {}) };
        ev.path = v.path.slice(0, -1).map((c: Cert) => c.der.slice());
        if (v.policies?.length) ev.policies = v.policies;
      }
    } else if (o.algorithms) ev.algorithms = fail(o.algorithms);
    out.signers.push(ev);
  });
  return finish(out, work);
}

function finish(out: SignatureEvaluation, work: WorkBudget): SignatureEvaluation {
  out.work = { ...work.counts };
  return out;
}
