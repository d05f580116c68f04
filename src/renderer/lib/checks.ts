/**
 * Pure helpers that turn a verification report into what a person reads:
 * check titles, status labels, help for each failure code, grouping and a
 * one-paragraph explanation of the verdict.
 */
import type { CheckId, CheckStatus, FailureCode } from '../../shared/verification';

export interface CheckLike {
  id: string;
  status: CheckStatus;
  /** The verdict needs it to pass (absent in hand-made reports: treated as required). */
  required?: boolean;
  code?: string;
  reason: string;
  detail?: Record<string, string | number | boolean | null>;
}

export interface ReportLike {
  verdict: 'accepted' | 'rejected';
  checks: CheckLike[];
  signers: { ok: boolean }[];
  files: { count: number; bytes: number };
}

/** The order a report lists its checks in (spec §1–§5). */
export const CHECK_ORDER: readonly CheckId[] = [
  'container',
  'sums',
  'digests',
  'signature',
  'algorithms',
  'chain',
  'signer',
  'anchor-scope',
  'revocation',
  'clock',
  'metadata',
  'references',
  'window',
  'audience',
  'rollback',
];

export const CHECK_TITLES: Readonly<Record<CheckId, string>> = {
  container: 'Bundle structure',
  sums: 'Checksum list (SHA384SUMS)',
  digests: 'File contents match checksums',
  signature: 'Signature',
  algorithms: 'Cryptographic algorithms',
  chain: 'Certificate chain to a trust anchor',
  signer: 'Signer certificate',
  'anchor-scope': 'Trust anchor allowed for this bundle type',
  revocation: 'Revocation (CRLs)',
  clock: 'System clock',
  metadata: 'Bundle metadata (bundle.json)',
  references: 'Referenced files are covered',
  window: 'Validity window',
  audience: 'Intended for this lab',
  rollback: 'No rollback or equivocation',
};

export function checkTitle(id: string): string {
  return (CHECK_TITLES as Record<string, string>)[id] ?? id;
}

export const STATUS_LABELS: Readonly<Record<CheckStatus, string>> = {
  pass: 'Passed',
  fail: 'Failed',
  skip: 'Not run',
};

/** A text symbol per status, shown next to the label (never colour alone). */
export const STATUS_SYMBOLS: Readonly<Record<CheckStatus, string>> = {
  pass: '✓',
  fail: '✗',
  skip: '–',
};

export function statusLabel(status: string): string {
  return (STATUS_LABELS as Record<string, string>)[status] ?? status;
}

/**
 * What to do about each failure: shown under the verifier's own reason.
 * Typed exhaustively so a new FailureCode in src/shared/verification.ts needs help text here.
 */
export const FAILURE_HELP: Readonly<Record<FailureCode, string>> = {
  'container.not-bundle':
    'This is not an uncompressed Airlock bundle (it may be compressed or zipped). Ask the sender for the .tar bundle as produced by the signing tool.',
  'container.order':
    'The archive was not produced by the signing tool or was repacked. Do not use it; ask the sender to re-export the bundle.',
  'container.member-type':
    'The archive contains links or special files, which bundles may never contain. Treat it as suspicious and report it to your security officer.',
  'container.duplicate':
    'The archive lists the same file twice, which can hide content. Treat it as suspicious and report it to your security officer.',
  'container.pax-global': 'The archive uses global headers that bundles may not contain. Ask the sender to re-export it.',
  'container.pax-invalid':
    'The archive has malformed or conflicting extended headers. Treat the bundle as suspicious and ask the sender to re-export it.',
  'container.pax-path': 'A file name in the archive is ambiguous. Treat the bundle as suspicious and ask the sender to re-export it.',
  'container.checksum': 'The archive is damaged. Copy it again from the transfer medium and retry.',
  'container.truncated': 'The archive is incomplete. Copy it again from the transfer medium and retry.',
  'container.trailing-data':
    'Extra data follows the end of the archive. Copy it again; if it persists, treat the bundle as suspicious.',
  'container.nested': 'Bundles may not contain nested or compressed archives. Ask the sender to include the files directly.',
  'container.path': 'A file path in the bundle is not allowed (for example "..", reserved names or too deep). Ask the sender to re-export it.',
  'container.link': 'The bundle folder contains links or special files. Copy the bundle without links and retry.',
  'sums.missing': 'The bundle has no SHA384SUMS file. It was not produced by the signing tool; ask the sender to re-export it.',
  'sums.format': 'SHA384SUMS is not in the required format. Ask the sender to re-export the bundle with the signing tool.',
  'sums.unlisted-file':
    'A file in the bundle is not covered by the signed checksum list: it may have been added after signing. Do not use the bundle; report it.',
  'sums.missing-file': 'A signed file is missing from the bundle. Copy it again from the transfer medium and retry.',
  'digests.mismatch':
    'A file was changed after the bundle was signed. Do not use the bundle: copy it again, and if it still fails, report it as tampered.',
  'signature.missing': 'The bundle is not signed. Ask the sender for a signed bundle.',
  'signature.malformed': 'The signature file is damaged or not a detached CMS signature. Ask the sender to re-sign the bundle.',
  'signature.no-signed-attributes': 'The signature lacks signed attributes required by policy. Ask the sender to re-sign with the signing tool.',
  'signature.content-type': 'The signature has the wrong content type. Ask the sender to re-sign with the signing tool.',
  'signature.message-digest':
    'The signature does not cover this checksum list: the list was changed after signing. Do not use the bundle; report it as tampered.',
  'signature.invalid': 'The signature does not verify. Do not use the bundle; report it as tampered or mis-signed.',
  'signature.no-signer-cert': 'The signature does not include the signer certificate. Ask the sender to re-sign including the certificate.',
  'algorithms.digest': 'The bundle uses a digest weaker than SHA-384. Ask the sender to re-sign to the CNSA policy.',
  'algorithms.key': 'The signer key is below policy (P-384 or RSA 3072+ required). Ask the sender to re-sign with a compliant key.',
  'algorithms.signature': 'The signature algorithm is not allowed. Ask the sender to re-sign to the CNSA policy.',
  'chain.no-anchor':
    'The signer does not chain to any installed trust anchor. If the sender is legitimate, ask a security officer to install their anchor under Trust; otherwise reject the bundle.',
  'chain.expired': 'A certificate in the signer chain has expired. Ask the sender to re-sign with current certificates.',
  'chain.not-yet-valid':
    'A certificate in the chain is not valid yet. Check this computer’s clock; if it is right, ask the sender about the certificate dates.',
  'chain.not-ca': 'An issuing certificate is not allowed to issue certificates. Treat the bundle as suspicious and report it.',
  'chain.path-length': 'The certificate chain is longer than its issuers allow. Treat the bundle as suspicious and report it.',
  'chain.critical-extension': 'A certificate has a critical extension Airlock does not understand. Ask the sender about their PKI profile.',
  'chain.bad-signature': 'A certificate in the chain is forged or damaged. Treat the bundle as suspicious and report it.',
  'chain.policy': "The chain's certificate policies do not allow it: an issuer requires a policy that the signer certificate does not carry. Ask the sender for a signer certificate under an accepted policy.",
  'chain.search-limit': 'The signature carries so many cross-certified CA certificates that Airlock stopped looking for a path to a trust anchor. Ask the sender to include only the signer\'s own chain.',
  'signer.is-ca': 'The bundle was signed directly with a CA certificate, which policy forbids. Ask the sender to sign with a signing certificate.',
  'signer.extended-key-usage': 'The signer certificate (or a CA above it) is restricted to other uses, such as TLS, and may not sign bundles. Ask the sender to sign with a code-signing or e-mail-protection certificate.',
  'signer.key-usage': 'The signer certificate is not allowed to sign documents. Ask the sender to re-sign with a proper signing certificate.',
  'anchor-scope.type':
    'The trust anchor is not authorised for this type of bundle. A security officer can change which types the anchor covers under Trust, if policy allows.',
  'revocation.revoked': 'A certificate in the chain has been revoked. Do not use the bundle; report it to your security officer.',
  'revocation.missing-crl':
    'No revocation list (CRL) is installed for an issuer in the chain. Ask a security officer to add the current CRL under Trust, then import again.',
  'revocation.stale-crl':
    'The installed revocation list is out of date. Ask a security officer to add the current CRL under Trust, then import again.',
  'revocation.bad-crl': 'The installed revocation list is not signed by its issuer. Ask a security officer to replace it under Trust.',
  'clock.behind':
    'This computer’s clock is behind the latest time Airlock has seen. Ask an administrator to correct the clock before relying on time checks.',
  'metadata.missing': 'The bundle has no bundle.json. Ask the sender to re-export the bundle with the signing tool.',
  'metadata.too-large': 'bundle.json is larger than allowed. Ask the sender to re-export the bundle.',
  'metadata.encoding': 'bundle.json is not plain UTF-8. Ask the sender to re-export the bundle.',
  'metadata.syntax': 'bundle.json is not valid JSON. Ask the sender to re-export the bundle.',
  'metadata.duplicate-key': 'bundle.json repeats a field, which can hide values. Treat the bundle as suspicious and report it.',
  'metadata.format': 'The bundle uses a format version this Airlock does not support. Check for an Airlock update or ask the sender.',
  'metadata.schema': 'bundle.json is missing or has invalid fields (named above). Ask the sender to correct and re-sign it.',
  'references.unlisted':
    'bundle.json refers to a file not covered by the signed checksums. Ask the sender to re-export the bundle.',
  'window.not-yet-valid':
    'The bundle is not valid yet. Wait until its start date, or check this computer’s clock.',
  'window.expired': 'The bundle has expired. Ask the sender for a current bundle.',
  'audience.excluded':
    'The bundle is addressed to other labs. Check the lab identifier under Trust; if it is right, the bundle is not meant for you.',
  'rollback.lower-sequence':
    'A newer bundle in this series was already imported: this may be a rollback. Use the newer bundle; report this one if unexpected.',
  'rollback.equivocation':
    'A different bundle with the same series and sequence was already imported. Report this to your security officer: the sender may be compromised.',
  'io.error': 'Airlock could not read the bundle. Check the file is accessible and not being written to, then retry.',
  cancelled: 'The import was cancelled. Nothing was stored. Import again to verify the bundle.',
};

export function failureHelp(code: string | undefined): string | undefined {
  if (!code) return undefined;
  return (FAILURE_HELP as Record<string, string>)[code];
}

export interface CheckCounts {
  pass: number;
  fail: number;
  skip: number;
  total: number;
}

export function countChecks(checks: readonly CheckLike[]): CheckCounts {
  const c: CheckCounts = { pass: 0, fail: 0, skip: 0, total: checks.length };
  for (const ch of checks) if (ch.status in c) c[ch.status]++;
  return c;
}

/** Checks sorted by CHECK_ORDER (unknown ids last, stable), each with its display title. */
export function orderChecks<T extends CheckLike>(checks: readonly T[]): (T & { title: string })[] {
  const rank = (id: string) => {
    const i = (CHECK_ORDER as readonly string[]).indexOf(id);
    return i === -1 ? CHECK_ORDER.length : i;
  };
  return checks
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c.id) - rank(b.c.id) || a.i - b.i)
    .map(({ c }) => ({ ...c, title: checkTitle(c.id) }));
}

export interface CheckGroup<T> {
  status: CheckStatus;
  checks: T[];
}

/** Failures first, then passes, then skipped checks; each group in report order. */
export function groupChecks<T extends CheckLike>(checks: readonly T[]): CheckGroup<T & { title: string }>[] {
  const ordered = orderChecks(checks);
  return (['fail', 'pass', 'skip'] as const)
    .map((status) => ({ status, checks: ordered.filter((c) => c.status === status) }))
    .filter((g) => g.checks.length > 0);
}

/** One sentence (or two) explaining the verdict from the checks themselves. */
export function explainVerdict(report: ReportLike): string {
  if (report.verdict === 'accepted') {
    const required = report.checks.filter((c) => c.required !== false && c.status === 'pass').length;
    const notRequired = report.checks.filter((c) => c.required === false).length;
    const skipped = notRequired ? ` ${notRequired} check${notRequired === 1 ? ' was' : 's were'} informational or not applicable.` : '';
    return `All ${required} required check${required === 1 ? '' : 's'} passed: the bundle is intact, signed by a trusted signer and valid for this lab.${skipped}`;
  }
  const failed = orderChecks(report.checks.filter((c) => c.status === 'fail'));
  const first = failed[0];
  if (!first) {
    // Fail closed: a required check that could not run rejects the bundle too.
    const notRun = orderChecks(report.checks.filter((c) => c.required !== false && c.status !== 'pass'))[0];
    if (notRun) return `Rejected because the required check “${notRun.title}” could not run: ${notRun.reason}`;
    return 'The bundle was rejected, but no individual check failed. Treat it as suspicious and report it to your security officer.';
  }
  const more = failed.length > 1 ? ` (${failed.length - 1} more check${failed.length === 2 ? '' : 's'} also failed)` : '';
  return `Rejected because “${first.title}” failed${more}: ${first.reason}`;
}

export type ClassificationTone = 'unclassified' | 'cui' | 'confidential' | 'secret' | 'top-secret' | 'sci' | 'official' | 'unknown';

/** Banner colour family for a classification marking (US/UK conventions). */
export function classificationTone(marking: string | null | undefined): ClassificationTone {
  const m = (marking ?? '').toUpperCase().trim();
  if (!m) return 'unknown';
  if (/\bSCI\b|TS\/\/SCI|TS\/SCI/.test(m)) return 'sci';
  if (/TOP\s*SECRET|^TS\b/.test(m)) return 'top-secret';
  if (/\bSECRET\b/.test(m)) return 'secret';
  if (/\bCONFIDENTIAL\b/.test(m)) return 'confidential';
  if (/\bCUI\b|CONTROLLED/.test(m)) return 'cui';
  if (/\bOFFICIAL\b/.test(m)) return 'official';
  if (/UNCLASSIFIED|^U$|PUBLIC/.test(m)) return 'unclassified';
  return 'unknown';
}
