/**
 * Detached CMS SignedData (RFC 5652) parsing and per-signer signature
 * verification over SHA384SUMS. Structure is parsed with the strict DER
 * reader (we need the exact signedAttrs bytes); signature math is Node crypto.
 */
import crypto from 'node:crypto';
import type { FailureCode } from '../../../shared/verification';
import { DerError, TAG, bytesEqual, children, expectTag, hex, oid, parseDer, smallInteger, time, type Tlv } from './der';
import { AlgError, allowedDigest, checkKeyFloor, digestName, parseCertificate, signatureAlgorithm, verifySignature, certLabel, type Cert } from './pki';

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
  signerInfos: Tlv[];
}

/** Parse the outer structure; throws CmsError('signature.malformed'). */
export function parseSignedData(der: Uint8Array): ParsedSignedData {
  try {
    const ci = children(expectTag(parseDer(der), TAG.SEQUENCE, 'ContentInfo'));
    if (ci.length !== 2 || oid(ci[0]!) !== ID_SIGNED_DATA) throw new CmsError('signature.malformed', 'SHA384SUMS.p7s is not a CMS SignedData.');
    const sdWrap = expectTag(ci[1], 0xa0, '[0] content');
    const sd = children(expectTag(children(sdWrap)[0], TAG.SEQUENCE, 'SignedData'));
    let i = 0;
    smallInteger(sd[i++]!);
    expectTag(sd[i++], TAG.SET, 'digestAlgorithms');
    const eci = children(expectTag(sd[i++], TAG.SEQUENCE, 'encapContentInfo'));
    if (oid(eci[0]!) !== ID_DATA) throw new CmsError('signature.malformed', `The signed content type is ${oid(eci[0]!)}, not id-data.`);
    if (eci.length > 1) throw new CmsError('signature.malformed', 'SHA384SUMS.p7s carries encapsulated content; a bundle signature must be detached (sign with openssl cms -sign without -nodetach).');
    const certificates: Cert[] = [];
    if (sd[i]?.tag === 0xa0) {
      for (const c of children(sd[i++]!)) if (c.tag === TAG.SEQUENCE) certificates.push(parseCertificate(c.raw));
    }
    if (sd[i]?.tag === 0xa1) i++; // crls inside the CMS are ignored: revocation uses officer-imported CRLs only
    const signerInfos = children(expectTag(sd[i++], TAG.SET, 'signerInfos'));
    if (i !== sd.length) throw new CmsError('signature.malformed', 'Unexpected fields after signerInfos.');
    if (signerInfos.length === 0) throw new CmsError('signature.malformed', 'SHA384SUMS.p7s has no signers.');
    return { certificates, signerInfos };
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
  /** First signature-group failure for this signer. */
  signature?: { code: FailureCode; reason: string };
  algorithms?: { code: FailureCode; reason: string };
}

/** Check one SignerInfo against the exact SHA384SUMS bytes. */
export function checkSigner(si: Tlv, index: number, certs: Cert[], content: Uint8Array): SignerOutcome {
  const out: SignerOutcome = { index, digestAlgorithm: '?', signatureAlgorithm: '?' };
  const who = () => (out.cert ? `signer ${certLabel(out.cert)}` : `signer #${index + 1}`);
  try {
    const f = children(expectTag(si, TAG.SEQUENCE, 'SignerInfo'));
    let i = 0;
    smallInteger(f[i++]!);
    const sid = f[i++]!;
    if (sid.tag === TAG.SEQUENCE) {
      const [iss, ser] = children(sid);
      out.cert = certs.find((c) => bytesEqual(c.issuerRaw, iss!.raw) && bytesEqual(c.serialRaw, expectTag(ser, TAG.INTEGER, 'serial').content));
    } else if (sid.tag === 0x80) {
      out.cert = certs.find((c) => c.ski === hex(sid.content));
    } else throw new DerError('bad SignerIdentifier');
    const digT = children(expectTag(f[i++], TAG.SEQUENCE, 'digestAlgorithm'));
    const digestOid = oid(digT[0]!);
    out.digestAlgorithm = digestName(digestOid);
    const attrsT = f[i]?.tag === 0xa0 ? f[i++]! : undefined;
    const sigAlgT = expectTag(f[i++], TAG.SEQUENCE, 'signatureAlgorithm');
    const sigT = expectTag(f[i++], TAG.OCTET_STRING, 'signature');

    const hash = allowedDigest(digestOid);
    if (!hash) out.algorithms = { code: 'algorithms.digest', reason: `${who()} uses digest ${digestName(digestOid)}; the CNSA floor requires SHA-384 or SHA-512.` };
    let alg;
    try {
      alg = signatureAlgorithm(sigAlgT, digestOid);
      out.signatureAlgorithm = alg.name;
      if (hash && alg.hash !== hash) throw new AlgError('algorithms.signature', `signature hash ${alg.hash} differs from digest algorithm ${out.digestAlgorithm}.`);
    } catch (e) {
      if (!(e instanceof AlgError)) throw e;
      out.signatureAlgorithm = oid(children(sigAlgT)[0]!);
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

    if (!attrsT) {
      out.signature = { code: 'signature.no-signed-attributes', reason: `${who()} has no signed attributes; sign with openssl cms (without -noattr).` };
      return out;
    }
    const attrs = new Map<string, Tlv[]>();
    for (const a of children(attrsT)) {
      const [t, vals] = children(a);
      const o = oid(t!);
      if (attrs.has(o)) throw new DerError(`signed attribute ${o} appears twice`);
      attrs.set(o, children(expectTag(vals, TAG.SET, 'attribute values')));
    }
    const ct = attrs.get(ATTR_CONTENT_TYPE);
    if (!ct || ct.length !== 1 || oid(ct[0]!) !== ID_DATA) {
      out.signature = { code: 'signature.content-type', reason: `${who()}: the contentType signed attribute is ${ct ? 'not id-data' : 'missing'}.` };
      return out;
    }
    const st = attrs.get(ATTR_SIGNING_TIME);
    if (st?.length === 1) {
      try {
        out.signingTime = time(st[0]!).toISOString();
      } catch {
        /* informational only */
      }
    }
    const md = attrs.get(ATTR_MESSAGE_DIGEST);
    if (!md || md.length !== 1 || md[0]!.tag !== TAG.OCTET_STRING) {
      out.signature = { code: 'signature.message-digest', reason: `${who()}: the messageDigest signed attribute is missing.` };
      return out;
    }
    if (!hash || !alg) return out; // algorithms group already failed; we cannot compute a trustworthy digest
    const actual = crypto.createHash(hash).update(content).digest();
    if (!bytesEqual(actual, md[0]!.content)) {
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
    const signed = new Uint8Array(attrsT.raw);
    signed[0] = TAG.SET; // signature covers the DER of SET OF Attribute, not the [0] IMPLICIT tag
    if (!verifySignature(alg, out.cert.publicKey, signed, sigT.content))
      out.signature = { code: 'signature.invalid', reason: `${who()}: the signature value does not verify with the signer certificate's key.` };
    return out;
  } catch (e) {
    if (e instanceof CmsError) throw e;
    out.signature ??= { code: 'signature.malformed', reason: `${who()}: malformed SignerInfo (${(e as Error).message}).` };
    return out;
  }
}
