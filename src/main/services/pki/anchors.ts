/**
 * The one rule for what may be a trust anchor (spec §4), used by the trust
 * store (installing an anchor), `airlock verify --anchors`, and the verifier's
 * anchor input: a self-signed CA certificate — issuer = subject and its
 * signature verifies with its own key — with cA=TRUE, keyCertSign when
 * keyUsage is present, a key and self-signature at the CNSA floor, no
 * critical extension this module does not process for an anchor, and (when a
 * time is given) inside its validity. An end-entity or intermediate
 * certificate is refused with its own code and a message naming it.
 */
import { AirlockError } from '../../../shared/errors';
import type { BundleType } from '../../../shared/verification';
import { AlgError, checkKeyFloor, keyDescription } from './algorithms';
import { ANCHOR_PROCESSED_CRITICAL, KU, POLICY_EXTENSIONS, certSignedBy, extensionName, parseCertificate, unprocessedCritical, type Cert } from './certificate';

export type AnchorRefusalCode =
  | 'trust.not-ca' // an end-entity certificate (cA=FALSE or no basicConstraints), or a CA without keyCertSign
  | 'trust.not-self-signed' // an intermediate: issued by someone else
  | 'trust.weak-key' // key below the CNSA floor or unsupported
  | 'trust.weak-algorithm' // self-signature below the CNSA floor
  | 'trust.critical-extension' // a critical extension not processed for an anchor
  | 'trust.expired'
  | 'trust.not-yet-valid';

export interface AnchorRefusal {
  code: AnchorRefusalCode;
  /** Names the certificate and says why and what to do. */
  message: string;
  detail: { subject: string; serialNumber: string; fingerprint: string };
}

/** An anchor as callers hand it over (DER), bound to the bundle types its chains may sign. */
export interface AnchorInput {
  certificate: Uint8Array;
  types: BundleType[] | 'any';
  label?: string;
}

export interface Anchor {
  cert: Cert;
  types: BundleType[] | 'any';
  label?: string;
  /** Position in the caller's anchor list. */
  index: number;
}

/**
 * Why `cert` may not be a trust anchor, or undefined when it may. With `at`,
 * the certificate must also be valid at that time (installing an anchor,
 * the CLI); without it only the structure is judged (an installed anchor that
 * expired later fails the chain at verification instead).
 */
export function anchorRefusal(cert: Cert, at?: Date): AnchorRefusal | undefined {
  const who = `"${cert.subject}" (serial ${cert.serialHex})`;
  const refuse = (code: AnchorRefusalCode, why: string): AnchorRefusal => ({
    code,
    message: `${who} cannot be a trust anchor: ${why}`,
    detail: { subject: cert.subject, serialNumber: cert.serialHex, fingerprint: cert.id },
  });
  if (!cert.ca)
    return refuse(
      'trust.not-ca',
      `it is an end-entity certificate (no basicConstraints cA=TRUE), issued by "${cert.issuer}". A trust anchor is a self-signed root CA; install the root that issued it, not a signer certificate.`,
    );
  if (cert.keyUsage && !cert.keyUsage.has(KU.keyCertSign))
    return refuse('trust.not-ca', 'it is a CA certificate without keyUsage keyCertSign, so it may not sign certificates. Install the issuing root.');
  if (!cert.publicKey) return refuse('trust.weak-key', 'its key type is not supported (the CNSA floor is ECDSA P-384/P-521 or RSA of at least 3072 bits).');
  try {
    checkKeyFloor(cert.publicKey, 'its key');
  } catch (e) {
    if (e instanceof AlgError) return refuse('trust.weak-key', `it has a ${keyDescription(cert.publicKey)} key; the CNSA floor is ECDSA P-384/P-521 or RSA of at least 3072 bits.`);
    throw e;
  }
  let selfSigned = false;
  if (cert.selfIssued) {
    try {
      selfSigned = certSignedBy(cert, cert);
    } catch (e) {
      if (e instanceof AlgError) return refuse('trust.weak-algorithm', `it is self-signed with an algorithm below the CNSA floor (${e.message})`);
      throw e;
    }
  }
  if (!selfSigned)
    return refuse(
      'trust.not-self-signed',
      cert.selfIssued
        ? 'its signature does not verify with its own key, so it is not a self-signed root.'
        : `it is an intermediate issued by "${cert.issuer}", not a self-signed root. Install that root; intermediates are carried in bundles.`,
    );
  const crit = unprocessedCritical(cert, ANCHOR_PROCESSED_CRITICAL);
  if (crit)
    return refuse(
      'trust.critical-extension',
      POLICY_EXTENSIONS.has(crit)
        ? `it has a critical ${extensionName(crit)} extension; a trust anchor contributes only its name and key to path validation (RFC 5280 §6.1.1), so the constraint would be ignored. Use a root without critical policy extensions.`
        : `it has a critical extension ${extensionName(crit)} that Airlock does not process.`,
    );
  if (at && at >= cert.notAfter) return refuse('trust.expired', `it expired at ${cert.notAfter.toISOString()} (checked at ${at.toISOString()}).`);
  if (at && at < cert.notBefore) return refuse('trust.not-yet-valid', `it is not valid until ${cert.notBefore.toISOString()} (checked at ${at.toISOString()}).`);
  return undefined;
}

/**
 * Parse and check the anchors a verification is given. Throws AirlockError:
 * `trust.bad-anchor` when one is not a DER certificate, or the refusal code
 * of anchorRefusal (structure only, or also validity when `at` is given).
 */
export function parseAnchors(inputs: readonly AnchorInput[], at?: Date): Anchor[] {
  return inputs.map((a, index) => {
    const name = a.label ? `"${a.label}"` : `#${index + 1}`;
    let cert: Cert;
    try {
      cert = parseCertificate(a.certificate);
    } catch (e) {
      throw new AirlockError('trust.bad-anchor', `Trust anchor ${name} is not a valid DER certificate: ${(e as Error).message}.`, { anchor: index + 1 });
    }
    const refusal = anchorRefusal(cert, at);
    if (refusal) throw new AirlockError(refusal.code, `Trust anchor ${name}: ${refusal.message}`, { anchor: index + 1, ...refusal.detail });
    const anchor: Anchor = { cert, types: a.types, index };
    if (a.label !== undefined) anchor.label = a.label;
    return anchor;
  });
}
