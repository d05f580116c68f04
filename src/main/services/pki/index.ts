/**
 * The PKI module: certificates, CRLs, CMS, path building and validation,
 * certificate policies, the CNSA algorithm floor and the trust-anchor rule —
 * one implementation for the bundle verifier, the trust store, identities and
 * the signer of result bundles. evaluateSignatures is the verifier's entry
 * point (pure, structured-clone-safe input and output).
 */
export { evaluateSignatures } from './evaluate';
export type { SignatureEvaluationInput, SignatureEvaluation, SignerEvaluation, GroupOutcome } from './evaluate';
export { anchorRefusal, parseAnchors } from './anchors';
export type { Anchor, AnchorInput, AnchorRefusal, AnchorRefusalCode } from './anchors';
export { AlgError, OID, allowedDigest, checkKeyFloor, digestName, keyDescription, signatureAlgorithm, verifySignature } from './algorithms';
export { DerError, bytesEqual, hex } from './asn1';
export {
  ANY_POLICY,
  BUNDLE_SIGNING_EKUS,
  EKU,
  EXT,
  KU,
  certLabel,
  certSignedBy,
  fingerprint,
  parseCertificate,
  summarize,
  summarizeCertificate,
} from './certificate';
export type { Cert } from './certificate';
export { CmsError, checkSigner, parseSignedData } from './cms';
export type { ParsedSignedData, SignerOutcome } from './cms';
export { CrlIndex, checkRevocation, parseCrl } from './crl';
export type { Crl, TrustFailure } from './crl';
export { nameToString } from './names';
export { findPath, signerChecks, validatePath } from './path';
export { processPolicies } from './policies';
export type { PolicyCert, PolicyOutcome } from './policies';
export { isCrlDer, readPemOrDer } from './pem';
export { DEFAULT_PATH_LIMITS, WorkBudget } from './work';
export type { PathLimits, WorkCounts } from './work';
export { addSigner, prepareSigner, signDetached, signedDataLength } from './cms-sign';
export type { PreparedSigner, SignOptions, SigningDigest, SigningIdentity } from './cms-sign';
