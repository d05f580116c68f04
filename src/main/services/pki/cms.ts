/**
 * Detached CMS SignedData (RFC 5652) parsing and per-signer signature
 * verification over SHA384SUMS. Structure is parsed by pkijs (ContentInfo,
 * SignedData, SignerInfo) over asn1js's strict-DER read; pkijs keeps the exact
 * signedAttrs bytes, already re-tagged as a SET. The signature math is Node
 * crypto, after the CNSA floor in algorithms.ts has accepted the algorithms
 * and key.
 */
import crypto from 'node:crypto';
import type { FailureCode } from '../../../shared/verification';
import { DerError, asn1js, bytesEqual, decode, hex, parseDerStrict, pkijs, strictTime } from './asn1';
import { AlgError, allowedDigest, checkKeyFloor, digestName, signatureAlgorithm, verifySignature } from './algorithms';
import { certLabel, parseCertificate, type Cert } from './certificate';
import { DEFAULT_PATH_LIMITS, type PathLimits } from './work';

const ID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const ID_DATA = '1.2.840.113549.1.7.1';
const ATTR_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const ATTR_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const ATTR_SIGNING_TIME = '1.2.840.113549.1.9.5';

export class CmsError extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
  ) {
    super(message);
  }
}

export interface ParsedSignedData {
  certificates: Cert[];
  signerInfos: pkijs.SignerInfo[];
}

/** Exact DER of each certificate in SignedData.certificates ([0] IMPLICIT SET OF CertificateChoices). */
function certificateBytes(sd: asn1js.AsnType): Uint8Array[] {
  if (!(sd instanceof asn1js.Sequence)) return [];
  const set = sd.valueBlock.value.find((v) => v.idBlock.tagClass === 3 && v.idBlock.tagNumber === 0);
  if (!(set instanceof asn1js.Constructed)) return [];
  // only plain X.509 certificates (a universal SEQUENCE); other CertificateChoices are skipped
  return set.valueBlock.value.filter((c) => c instanceof asn1js.Sequence).map((c) => new Uint8Array(c.valueBeforeDecodeView));
}

/**
 * Parse the outer structure; throws CmsError('signature.malformed'), also
 * when it carries more signers or certificates than `limits` allow (the work
 * of a verification grows with both).
 */
export function parseSignedData(der: Uint8Array, limits: Pick<PathLimits, 'maxSigners' | 'maxCertificates'> = DEFAULT_PATH_LIMITS): ParsedSignedData {
  try {
    const asn = parseDerStrict(der, 'CMS ContentInfo');
    const ci = decode('ContentInfo', () => new pkijs.ContentInfo({ schema: asn }));
    if (ci.contentType !== ID_SIGNED_DATA) throw new CmsError('signature.malformed', 'SHA384SUMS.p7s is not a CMS SignedData.');
    const sd = decode('SignedData', () => new pkijs.SignedData({ schema: ci.content }));
    const eType = sd.encapContentInfo.eContentType;
    if (eType !== ID_DATA) throw new CmsError('signature.malformed', `The signed content type is ${eType}, not id-data.`);
    if (sd.encapContentInfo.eContent)
      throw new CmsError('signature.malformed', 'SHA384SUMS.p7s carries encapsulated content; a bundle signature must be detached (sign with openssl cms -sign without -nodetach).');
    // crls inside the CMS are ignored: revocation uses officer-imported CRLs only
    const ders = certificateBytes(ci.content);
    if (ders.length > limits.maxCertificates)
      throw new CmsError(
        'signature.malformed',
        `SHA384SUMS.p7s carries ${ders.length} certificates; Airlock reads at most ${limits.maxCertificates}. The signature needs only the signer certificates and their intermediates; re-sign with just those (-certfile).`,
      );
    const certificates = ders.map(parseCertificate);
    if (sd.signerInfos.length === 0) throw new CmsError('signature.malformed', 'SHA384SUMS.p7s has no signers.');
    if (sd.signerInfos.length > limits.maxSigners)
      throw new CmsError('signature.malformed', `SHA384SUMS.p7s has ${sd.signerInfos.length} signers; Airlock checks at most ${limits.maxSigners}.`);
    return { certificates, signerInfos: sd.signerInfos };
  } catch (e) {
    if (e instanceof CmsError) throw e;
    throw new CmsError('signature.malformed', `SHA384SUMS.p7s is not a valid DER CMS SignedData: ${(e as Error).message}.`);
  }
}

export interface SignerOutcome {
  index: number;
  cert?: Cert;
  digestAlgorithm: string;
  signatureAlgorithm: string;
  signingTime?: string;
  /** True only when the signature value was computed and verified over SHA384SUMS with the signer's key. */
  verified: boolean;
  /** First signature-group failure for this signer. */
  signature?: { code: FailureCode; reason: string };
  algorithms?: { code: FailureCode; reason: string };
}

/** The certificate a SignerIdentifier names: IssuerAndSerialNumber, or [0] SubjectKeyIdentifier. */
function findSignerCert(sid: unknown, certs: Cert[]): Cert | undefined {
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    const issuer = new Uint8Array(sid.issuer.valueBeforeDecode);
    const serial = sid.serialNumber.valueBlock.valueHexView;
    return certs.find((c) => bytesEqual(c.issuerRaw, issuer) && bytesEqual(c.serialRaw, serial));
  }
  if (sid instanceof asn1js.Primitive && sid.idBlock.tagClass === 3 && sid.idBlock.tagNumber === 0) {
    const ski = hex(sid.valueBlock.valueHexView);
    return certs.find((c) => c.ski === ski);
  }
  throw new DerError('bad SignerIdentifier');
}

/** Values of each signed attribute, by type; a repeated attribute type is malformed. */
function signedAttributes(attrs: pkijs.Attribute[]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const a of attrs) {
    if (out.has(a.type)) throw new DerError(`signed attribute ${a.type} appears twice`);
    out.set(a.type, a.values);
  }
  return out;
}

/** Check one SignerInfo against the exact SHA384SUMS bytes. */
export function checkSigner(si: pkijs.SignerInfo, index: number, certs: Cert[], content: Uint8Array): SignerOutcome {
  const out: SignerOutcome = { index, verified: false, digestAlgorithm: '?', signatureAlgorithm: '?' };
  const who = () => (out.cert ? `signer ${certLabel(out.cert)}` : `signer #${index + 1}`);
  try {
    out.cert = findSignerCert(si.sid, certs);
    const digestOid = si.digestAlgorithm.algorithmId;
    out.digestAlgorithm = digestName(digestOid);

    const hash = allowedDigest(digestOid);
    if (!hash) out.algorithms = { code: 'algorithms.digest', reason: `${who()} uses digest ${digestName(digestOid)}; the CNSA floor requires SHA-384 or SHA-512.` };
    let alg;
    try {
      alg = signatureAlgorithm(si.signatureAlgorithm, digestOid);
      out.signatureAlgorithm = alg.name;
      if (hash && alg.hash !== hash) throw new AlgError('algorithms.signature', `signature hash ${alg.hash} differs from digest algorithm ${out.digestAlgorithm}.`);
    } catch (e) {
      if (!(e instanceof AlgError)) throw e;
      out.signatureAlgorithm = si.signatureAlgorithm.algorithmId;
      out.algorithms ??= { code: e.code, reason: `${who()}: ${e.message}` };
    }
    if (out.cert?.publicKey && !out.algorithms) {
      try {
        checkKeyFloor(out.cert.publicKey, `Signer certificate ${certLabel(out.cert)}`);
      } catch (e) {
        if (e instanceof AlgError) out.algorithms = { code: e.code, reason: e.message };
        else throw e;
      }
    }

    if (!si.signedAttrs) {
      out.signature = { code: 'signature.no-signed-attributes', reason: `${who()} has no signed attributes; sign with openssl cms (without -noattr).` };
      return out;
    }
    const attrs = signedAttributes(si.signedAttrs.attributes);
    const ct = attrs.get(ATTR_CONTENT_TYPE);
    if (ct?.length === 1 && !(ct[0] instanceof asn1js.ObjectIdentifier)) throw new DerError('contentType attribute is not an OBJECT IDENTIFIER');
    if (!ct || ct.length !== 1 || (ct[0] as asn1js.ObjectIdentifier).valueBlock.toString() !== ID_DATA) {
      out.signature = { code: 'signature.content-type', reason: `${who()}: the contentType signed attribute is ${ct ? 'not id-data' : 'missing'}.` };
      return out;
    }
    const st = attrs.get(ATTR_SIGNING_TIME);
    if (st?.length === 1 && (st[0] instanceof asn1js.UTCTime || st[0] instanceof asn1js.GeneralizedTime)) {
      try {
        out.signingTime = strictTime(st[0]).toISOString();
      } catch {
        /* informational only */
      }
    }
    const md = attrs.get(ATTR_MESSAGE_DIGEST);
    if (!md || md.length !== 1 || !(md[0] instanceof asn1js.OctetString)) {
      out.signature = { code: 'signature.message-digest', reason: `${who()}: the messageDigest signed attribute is missing.` };
      return out;
    }
    if (!hash || !alg) return out; // algorithms group already failed; we cannot compute a trustworthy digest
    const actual = crypto.createHash(hash).update(content).digest();
    if (!bytesEqual(actual, md[0].valueBlock.valueHexView)) {
      out.signature = { code: 'signature.message-digest', reason: `${who()}: the signed messageDigest does not match SHA384SUMS; the file was changed after signing.` };
      return out;
    }
    if (!out.cert) {
      out.signature = { code: 'signature.no-signer-cert', reason: `${who()}: its certificate is not in the signature's certificates set; re-sign including the signer certificate.` };
      return out;
    }
    if (!out.cert.publicKey) {
      out.algorithms ??= { code: 'algorithms.key', reason: `${who()} has a key type this verifier does not support.` };
      return out;
    }
    // pkijs keeps the exact signedAttrs bytes with the [0] IMPLICIT tag already replaced by SET (0x31):
    // the signature covers the DER of SET OF Attribute
    const signed = new Uint8Array(si.signedAttrs.encodedValue);
    if (signed[0] !== 0x31) throw new DerError('signed attributes are not re-tagged as a SET');
    if (!verifySignature(alg, out.cert.publicKey, signed, si.signature.valueBlock.valueHexView))
      out.signature = { code: 'signature.invalid', reason: `${who()}: the signature value does not verify with the signer certificate's key.` };
    else out.verified = true;
    return out;
  } catch (e) {
    if (e instanceof CmsError) throw e;
    out.signature ??= { code: 'signature.malformed', reason: `${who()}: malformed SignerInfo (${(e as Error).message}).` };
    return out;
  }
}
