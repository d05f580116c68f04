/**
 * The verification report: what the bundle verifier returns, what the CLI
 * prints, what the app renders and what the vault keeps. JSON-safe.
 * See ../shared/spec/bundle-format.md section 7.
 */
export type BundleType = 'model-access' | 'eval-package' | 'result';
export const BUNDLE_TYPES: readonly BundleType[] = ['model-access', 'eval-package', 'result'];

/** The groups of checks, in the order a report lists them. */
export type CheckId =
  | 'container' // tar/directory structure, member types, paths (spec §1)
  | 'sums' // SHA384SUMS format and coverage (spec §2)
  | 'digests' // every file's SHA-384 matches SHA384SUMS
  | 'signature' // CMS structure, signed attributes, messageDigest, signature value (spec §3)
  | 'algorithms' // CNSA floor on digests and keys (spec §3)
  | 'chain' // RFC 5280 path to an installed anchor, certificate policies (spec §4)
  | 'signer' // signer cert not CA, keyUsage digitalSignature|nonRepudiation, extendedKeyUsage (spec §4)
  | 'anchor-scope' // anchor is bound to this bundle type (spec §4)
  | 'revocation' // CRLs present, current, signed by issuer, not revoked (spec §4)
  | 'clock' // verification time vs high-water mark (spec §4)
  | 'metadata' // bundle.json: size, UTF-8, duplicate keys, format, schema (spec §5)
  | 'references' // every referenced path is listed in SHA384SUMS (spec §5)
  | 'window' // notBefore <= now < notAfter (spec §5)
  | 'audience' // lab id in audience when present (spec §5)
  | 'rollback'; // series/sequence: no lower sequence, no equivocation (spec §5)

/**
 * Stable failure codes. Tests assert on these; the UI maps them to help text.
 * Add codes here (never reuse one for a different meaning).
 */
export type FailureCode =
  // container (§1)
  | 'container.not-bundle' // neither a directory nor an uncompressed tar (e.g. gzip, zip)
  | 'container.order' // first three members are not SHA384SUMS, SHA384SUMS.p7s, bundle.json
  | 'container.member-type' // symlink, hard link, device, FIFO, sparse, other non-regular member
  | 'container.duplicate' // duplicate member name (exact or case-insensitive)
  | 'container.pax-global' // global pax header
  | 'container.pax-path' // pax path differs from header name
  | 'container.pax-invalid' // malformed pax extended header, repeated pax header, or pax size differing from the header size
  | 'container.checksum' // bad header checksum
  | 'container.truncated' // archive ends inside a header or member data
  | 'container.trailing-data' // non-zero bytes after the end-of-archive blocks
  | 'container.nested' // nested/compressed archive as a member (if detected)
  | 'container.path' // path fails the segment grammar, depth, reserved names, '.', '..', trailing dot
  | 'container.link' // directory form: something reached through a symlink, or non-regular file
  // sums (§2)
  | 'sums.missing'
  | 'sums.format' // bad line, uppercase hex, '*' marker, CRLF, BOM, unsorted, duplicate path
  | 'sums.unlisted-file' // a file in the bundle is not listed
  | 'sums.missing-file' // a listed file is absent
  | 'digests.mismatch' // file content does not match its listed digest
  // signature (§3)
  | 'signature.missing'
  | 'signature.malformed' // not DER CMS SignedData, has encapsulated content, wrong eContentType
  | 'signature.no-signed-attributes'
  | 'signature.content-type' // contentType attribute missing or not id-data
  | 'signature.message-digest' // messageDigest missing or does not match SHA384SUMS
  | 'signature.invalid' // signature value does not verify
  | 'signature.no-signer-cert' // signer certificate not in the certificates set
  | 'algorithms.digest' // digest below SHA-384
  | 'algorithms.key' // P-256, RSA < 3072, other unsupported key
  | 'algorithms.signature' // unsupported signature algorithm
  // trust (§4)
  | 'chain.no-anchor' // no path to an installed anchor (incl. impostor with copied names)
  | 'chain.expired'
  | 'chain.not-yet-valid'
  | 'chain.not-ca' // an issuing certificate lacks cA=TRUE or keyCertSign
  | 'chain.path-length'
  | 'chain.critical-extension' // unknown critical extension
  | 'chain.bad-signature' // a certificate's signature does not verify with its issuer key
  | 'chain.policy' // RFC 5280 §6.1 policy processing: no valid policy where an explicit policy is required, or a bad policy mapping
  | 'chain.search-limit' // path building gave up: too many cross-certified CA certificates to search within the work limits
  | 'signer.is-ca' // signer certificate is a CA
  | 'signer.key-usage' // signer lacks digitalSignature/nonRepudiation
  | 'signer.extended-key-usage' // signer (or a CA above it) has extendedKeyUsage without codeSigning, emailProtection or anyExtendedKeyUsage
  | 'anchor-scope.type' // anchor not bound to this bundle type
  | 'revocation.revoked'
  | 'revocation.missing-crl' // no CRL from an issuer in the chain
  | 'revocation.stale-crl' // nextUpdate <= now, or thisUpdate > now
  | 'revocation.bad-crl' // CRL signature does not verify with the issuer key
  | 'clock.behind' // system clock behind the stored high-water mark (informational unless configured)
  // metadata (§5)
  | 'metadata.missing'
  | 'metadata.too-large'
  | 'metadata.encoding' // not UTF-8 / BOM
  | 'metadata.syntax' // not JSON
  | 'metadata.duplicate-key'
  | 'metadata.format' // unknown format version
  | 'metadata.schema' // missing/invalid fields (message names the field)
  | 'references.unlisted' // bundle.json references a path not in SHA384SUMS
  | 'window.not-yet-valid'
  | 'window.expired'
  | 'audience.excluded'
  | 'rollback.lower-sequence'
  | 'rollback.equivocation'
  // whole-operation
  | 'io.error'
  | 'cancelled';

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  /**
   * A bundle is accepted only when every required check passed (a required
   * check that was skipped rejects). Every check is required except 'clock'
   * (informational) and 'rollback' without a vault (not applicable).
   */
  required: boolean;
  /** Present when status is 'fail'. */
  code?: FailureCode;
  /** One or two sentences: what was checked / what is wrong and what to do. */
  reason: string;
  /** JSON-safe specifics: file, certificate subject/serial, times… */
  detail?: Record<string, string | number | boolean | null>;
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string; // hex
  notBefore: string; // ISO
  notAfter: string; // ISO
  sha256Fingerprint: string; // hex, colon-free lowercase
  keyAlgorithm: string; // e.g. "ECDSA P-384", "RSA 3072"
}

export interface SignerSummary {
  certificate: CertificateSummary;
  digestAlgorithm: string;
  signatureAlgorithm: string;
  signingTime?: string;
  /** The anchor this signer chained to, when it did. */
  anchor?: CertificateSummary;
  ok: boolean;
}

export interface BundleSummary {
  id: string;
  type: BundleType;
  title: string;
  issuer: string;
  series: string;
  sequence: number;
  classification: string;
  issuedAt: string;
  notBefore: string;
  notAfter: string;
}

export interface VerificationReport {
  /** The path that was verified, as given. */
  source: string;
  verdict: 'accepted' | 'rejected';
  /** ISO time the checks were evaluated at (clock with high-water mark, or --at). */
  verifiedAt: string;
  /** Lowercase hex SHA-384 of the exact SHA384SUMS bytes (the bundle's identity for rollback). */
  sumsSha384?: string;
  bundle?: BundleSummary;
  signers: SignerSummary[];
  checks: CheckResult[];
  files: { count: number; bytes: number };
}

export function firstFailure(report: VerificationReport): CheckResult | undefined {
  return report.checks.find((c) => c.status === 'fail');
}
