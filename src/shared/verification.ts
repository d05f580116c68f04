/**
 * The verification report: what the bundle verifier returns, what the CLI
 * prints, what the app renders and what the vault keeps. JSON-safe.
 * See ../shared/spec/bundle-format.md section 7.
 */
import { z } from 'zod';

export const BUNDLE_TYPES = ['model-access', 'eval-package', 'result'] as const;
export type BundleType = (typeof BUNDLE_TYPES)[number];

/** The groups of checks, in the order a report lists them. */
export const CHECK_IDS = [
  'container', // tar/directory structure, member types, paths (spec §1)
  'sums', // SHA384SUMS format and coverage (spec §2)
  'digests', // every file's SHA-384 matches SHA384SUMS
  'signature', // CMS structure, signed attributes, messageDigest, signature value (spec §3)
  'algorithms', // CNSA floor on digests and keys (spec §3)
  'chain', // RFC 5280 path to an installed anchor, certificate policies (spec §4)
  'signer', // signer cert not CA, keyUsage digitalSignature|nonRepudiation, extendedKeyUsage (spec §4)
  'anchor-scope', // anchor is bound to this bundle type (spec §4)
  'revocation', // CRLs present, current, signed by issuer, not revoked (spec §4)
  'clock', // verification time vs high-water mark (spec §4)
  'metadata', // bundle.json: size, UTF-8, duplicate keys, format, schema (spec §5)
  'references', // every referenced path is listed in SHA384SUMS (spec §5)
  'window', // notBefore <= now < notAfter (spec §5)
  'audience', // lab id in audience when present (spec §5)
  'rollback', // series/sequence: no lower sequence, no equivocation (spec §5)
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/**
 * Stable failure codes. Tests assert on these; the UI maps them to help text.
 * Add codes here (never reuse one for a different meaning).
 */
export const FAILURE_CODES = [
  // container (§1)
  'container.not-bundle', // neither a directory nor an uncompressed tar (e.g. gzip, zip)
  'container.order', // first three members are not SHA384SUMS, SHA384SUMS.p7s, bundle.json
  'container.member-type', // symlink, hard link, device, FIFO, sparse, other non-regular member
  'container.duplicate', // duplicate member name (exact or case-insensitive)
  'container.pax-global', // global pax header
  'container.pax-path', // pax path differs from header name
  'container.pax-invalid', // malformed pax extended header, repeated pax header, or pax size differing from the header size
  'container.checksum', // bad header checksum
  'container.truncated', // archive ends inside a header or member data
  'container.trailing-data', // non-zero bytes after the end-of-archive blocks
  'container.nested', // nested/compressed archive as a member (if detected)
  'container.path', // path fails the segment grammar, depth, reserved names, '.', '..', trailing dot
  'container.link', // directory form: something reached through a symlink, or non-regular file
  // sums (§2)
  'sums.missing',
  'sums.format', // bad line, uppercase hex, '*' marker, CRLF, BOM, unsorted, duplicate path
  'sums.unlisted-file', // a file in the bundle is not listed
  'sums.missing-file', // a listed file is absent
  'digests.mismatch', // file content does not match its listed digest
  // signature (§3)
  'signature.missing',
  'signature.malformed', // not DER CMS SignedData, has encapsulated content, wrong eContentType
  'signature.no-signed-attributes',
  'signature.content-type', // contentType attribute missing or not id-data
  'signature.message-digest', // messageDigest missing or does not match SHA384SUMS
  'signature.invalid', // signature value does not verify
  'signature.no-signer-cert', // signer certificate not in the certificates set
  'algorithms.digest', // digest below SHA-384
  'algorithms.key', // P-256, RSA < 3072, other unsupported key
  'algorithms.signature', // unsupported signature algorithm
  // trust (§4)
  'chain.no-anchor', // no path to an installed anchor (incl. impostor with copied names)
  'chain.expired',
  'chain.not-yet-valid',
  'chain.not-ca', // an issuing certificate lacks cA=TRUE or keyCertSign
  'chain.path-length',
  'chain.critical-extension', // unknown critical extension
  'chain.bad-signature', // a certificate's signature does not verify with its issuer key
  'chain.policy', // RFC 5280 §6.1 policy processing: no valid policy where an explicit policy is required, or a bad policy mapping
  'chain.search-limit', // path building gave up: too many cross-certified CA certificates to search within the work limits
  'signer.is-ca', // signer certificate is a CA
  'signer.key-usage', // signer lacks digitalSignature/nonRepudiation
  'signer.extended-key-usage', // signer (or a CA above it) has extendedKeyUsage without codeSigning, emailProtection or anyExtendedKeyUsage
  'anchor-scope.type', // anchor not bound to this bundle type
  'revocation.revoked',
  'revocation.missing-crl', // no CRL from an issuer in the chain
  'revocation.stale-crl', // nextUpdate <= now, or thisUpdate > now
  'revocation.bad-crl', // CRL signature does not verify with the issuer key
  'clock.behind', // system clock behind the stored high-water mark (informational unless configured)
  // metadata (§5)
  'metadata.missing',
  'metadata.too-large',
  'metadata.encoding', // not UTF-8 / BOM
  'metadata.syntax', // not JSON
  'metadata.duplicate-key',
  'metadata.format', // unknown format version
  'metadata.schema', // missing/invalid fields (message names the field)
  'references.unlisted', // bundle.json references a path not in SHA384SUMS
  'window.not-yet-valid',
  'window.expired',
  'audience.excluded',
  'rollback.lower-sequence',
  'rollback.equivocation',
  // whole-operation
  'io.error',
  'cancelled',
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

export const CHECK_STATUSES = ['pass', 'fail', 'skip'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

// The report's shape is declared once, as zod schemas: the types below are derived
// from them, and the IPC contract validates reports with the same schemas.
const iso = z.string().min(1).max(64);

export const checkResultSchema = z.object({
  id: z.enum(CHECK_IDS),
  status: z.enum(CHECK_STATUSES),
  /**
   * A bundle is accepted only when every required check passed (a required
   * check that was skipped rejects). Every check is required except 'clock'
   * (informational) and 'rollback' without a vault (not applicable).
   */
  required: z.boolean(),
  /** Present when status is 'fail'. */
  code: z.enum(FAILURE_CODES).optional(),
  /** One or two sentences: what was checked / what is wrong and what to do. */
  reason: z.string(),
  /** JSON-safe specifics: file, certificate subject/serial, times… */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});

export const certificateSummarySchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  /** hex */
  serialNumber: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  /** hex, colon-free lowercase */
  sha256Fingerprint: z.string(),
  /** e.g. "ECDSA P-384", "RSA 3072" */
  keyAlgorithm: z.string(),
});

export const signerSummarySchema = z.object({
  certificate: certificateSummarySchema,
  digestAlgorithm: z.string(),
  signatureAlgorithm: z.string(),
  signingTime: z.string().optional(),
  /** The anchor this signer chained to, when it did. */
  anchor: certificateSummarySchema.optional(),
  ok: z.boolean(),
});

export const bundleSummarySchema = z.object({
  id: z.string(),
  type: z.enum(BUNDLE_TYPES),
  title: z.string(),
  issuer: z.string(),
  series: z.string(),
  sequence: z.number(),
  classification: z.string(),
  issuedAt: iso,
  notBefore: iso,
  notAfter: iso,
});

export const verificationReportSchema = z.object({
  /** The path that was verified, as given. */
  source: z.string(),
  verdict: z.enum(['accepted', 'rejected']),
  /** ISO time the checks were evaluated at (clock with high-water mark, or --at). */
  verifiedAt: iso,
  /** Lowercase hex SHA-384 of the exact SHA384SUMS bytes (the bundle's identity for rollback). */
  sumsSha384: z.string().optional(),
  bundle: bundleSummarySchema.optional(),
  signers: z.array(signerSummarySchema),
  checks: z.array(checkResultSchema),
  files: z.object({ count: z.number(), bytes: z.number() }),
});

export type CheckResult = z.output<typeof checkResultSchema>;
export type CertificateSummary = z.output<typeof certificateSummarySchema>;
export type SignerSummary = z.output<typeof signerSummarySchema>;
export type BundleSummary = z.output<typeof bundleSummarySchema>;
export type VerificationReport = z.output<typeof verificationReportSchema>;

export function firstFailure(report: VerificationReport): CheckResult | undefined {
  return report.checks.find((c) => c.status === 'fail');
}
