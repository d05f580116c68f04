/**
 * Detached CMS SignedData (RFC 5652) over SHA384SUMS, as spec §3 asks and
 * `openssl cms -sign -binary -md sha384 -nosmimecap -outform DER` makes it:
 * eContentType id-data without content, signed attributes contentType,
 * signingTime and messageDigest, the signer and its intermediates in
 * `certificates`, every SET OF in DER order. Co-signing adds one SignerInfo
 * the way `openssl cms -resign` does, copying the existing SignerInfos, the
 * certificates and the rest byte for byte.
 *
 * Why not pkijs's SignedData.sign: it needs a WebCrypto CryptoKey (the key
 * comes as a Node KeyObject from the keystore, and Node 20 cannot turn one
 * into a CryptoKey without exporting the private key), and pkijs re-encodes
 * what it parsed, while co-signing must keep the evaluator's SignerInfo bytes.
 * So the structure is composed from DER pieces here (asn1js encodes the
 * primitives), and the signature is Node's crypto.sign over the DER of the
 * signed attributes, after the CNSA floor has accepted the key.
 *
 * The signature always has a fixed length for a given key, so a SignedData's
 * size is known before its content is: RSA signatures are as long as the
 * modulus, and an ECDSA signature is re-drawn until its DER form has the
 * curve's maximal length (r and s with their top bit set: 1 in 4 draws).
 * The bundle writer relies on that to lay out a tar in one pass. Filtering
 * on the public output reveals nothing a verifier cannot see in the
 * signature itself.
 */
import crypto from 'node:crypto';
import { AirlockError, type ErrorCode } from '../../../shared/errors';
import { AlgError, OID, checkKeyFloor, keyDescription } from './algorithms';
import { asn1js, bytesEqual, parseDerStrict } from './asn1';
import { certLabel, parseCertificate, type Cert } from './certificate';
import { CmsError, checkSigner, parseSignedData } from './cms';
import { signerChecks } from './path';

const ID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const ID_DATA = '1.2.840.113549.1.7.1';
const ATTR_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const ATTR_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const ATTR_SIGNING_TIME = '1.2.840.113549.1.9.5';
/** Draws of an ECDSA signature before giving up on the maximal length (each succeeds with p ≈ 1/4). */
const MAX_ECDSA_DRAWS = 256;

export type SigningDigest = 'sha384' | 'sha512';

/** Who signs: the certificate, the issuing CAs below the root, and the private key (never exported). */
export interface SigningIdentity {
  /** DER signer certificate. */
  certificate: Uint8Array;
  /** DER intermediate CA certificates (a root here is harmless: verifiers never trust one from the CMS). */
  intermediates?: Uint8Array[];
  privateKey: crypto.KeyObject;
  /** For an 'rsa' key: PKCS#1 v1.5 (default; deterministic, as openssl cms signs) or RSASSA-PSS. */
  rsaPadding?: 'pkcs1' | 'pss';
}

export interface SignOptions {
  /** The signingTime attribute (whole seconds are kept). */
  signingTime: Date;
  /** Default sha384. */
  digest?: SigningDigest;
}

function signingError(code: ErrorCode, message: string, detail?: Record<string, string | number>): AirlockError {
  return new AirlockError(code, message, detail);
}

// ---------------------------------------------------------------- DER pieces

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Tag, definite minimal length, then the already-encoded content. */
function tlv(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}
const seq = (...c: Uint8Array[]): Buffer => tlv(0x30, ...c);
/** DER SET OF: elements in ascending order of their encodings (X.690 §11.6). */
const sortDer = (items: Uint8Array[]): Uint8Array[] => [...items].sort((a, b) => Buffer.compare(a, b));
const setOf = (items: Uint8Array[]): Buffer => tlv(0x31, ...sortDer(items));
const oid = (o: string): Buffer => Buffer.from(new asn1js.ObjectIdentifier({ value: o }).toBER(false));
const int = (n: number): Buffer => Buffer.from(new asn1js.Integer({ value: n }).toBER(false));
const octets = (b: Uint8Array): Buffer => tlv(0x04, b);
const DER_NULL = Buffer.from([0x05, 0x00]);
const algId = (o: string, params?: Uint8Array): Buffer => (params ? seq(oid(o), params) : seq(oid(o)));

/** RFC 5652 §11.3: UTCTime for 1950–2049, GeneralizedTime otherwise; always whole seconds, Z. */
function cmsTime(d: Date): Buffer {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const y = d.getUTCFullYear();
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  return y >= 1950 && y < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, 'latin1')) : tlv(0x18, Buffer.from(`${digits}Z`, 'latin1'));
}

// ---------------------------------------------------------------- the signer

interface SignatureScheme {
  /** DER AlgorithmIdentifier for SignerInfo.signatureAlgorithm. */
  algorithm: Buffer;
  /** Exact length of every signature value this scheme returns. */
  length: number;
  sign(data: Uint8Array): Buffer;
}

/** A signer whose key, certificate and algorithms passed every check. */
export interface PreparedSigner {
  cert: Cert;
  /** DER certificates to carry: the signer, then its intermediates. */
  certificates: Uint8Array[];
  digest: SigningDigest;
  scheme: SignatureScheme;
  signingTime: Date;
}

const HASH_LEN: Record<SigningDigest, number> = { sha384: 48, sha512: 64 };
const DIGEST_OID: Record<SigningDigest, string> = { sha384: OID.sha384, sha512: OID.sha512 };

function ecdsaScheme(key: crypto.KeyObject, digest: SigningDigest): SignatureScheme {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const orderBits = curve === 'secp384r1' ? 384 : curve === 'secp521r1' ? 521 : 0;
  if (!orderBits) throw signingError('signing.key-floor', `The signing key is ${keyDescription(key)}; sign with ECDSA P-384 or P-521.`);
  // The longest DER INTEGER for a value below the group order: a sign byte is needed when the order fills whole bytes.
  const intLen = Math.ceil(orderBits / 8) + (orderBits % 8 === 0 ? 1 : 0);
  const body = 2 * (2 + intLen);
  const length = 1 + derLength(body).length + body;
  return {
    algorithm: algId(digest === 'sha384' ? OID.ecdsaSha384 : OID.ecdsaSha512),
    length,
    sign(data) {
      for (let i = 0; i < MAX_ECDSA_DRAWS; i++) {
        const sig = crypto.sign(digest, data, { key, dsaEncoding: 'der' });
        if (sig.length === length) return sig;
      }
      throw signingError('signing.failed', `No ECDSA signature of the expected length after ${MAX_ECDSA_DRAWS} draws; the key or the crypto library is not behaving as expected.`);
    },
  };
}

function pssParams(digest: SigningDigest, saltLength: number): Buffer {
  // RSASSA-PSS-params with explicit hash, MGF1 with the same hash, salt length; trailerField default (RFC 4055).
  const hash = algId(DIGEST_OID[digest], DER_NULL);
  return seq(tlv(0xa0, hash), tlv(0xa1, algId(OID.mgf1, hash)), tlv(0xa2, int(saltLength)));
}

function rsaScheme(key: crypto.KeyObject, digest: SigningDigest, padding: 'pkcs1' | 'pss'): SignatureScheme {
  const d = key.asymmetricKeyDetails ?? {};
  const length = Math.ceil((d.modulusLength ?? 0) / 8);
  if (padding === 'pkcs1') {
    return {
      // rsaEncryption with NULL parameters, as OpenSSL writes it in CMS; the hash is the SignerInfo's digestAlgorithm
      algorithm: algId(OID.rsaEncryption, DER_NULL),
      length,
      sign: (data) => crypto.sign(digest, data, { key, padding: crypto.constants.RSA_PKCS1_PADDING }),
    };
  }
  // An RSA-PSS key may carry restrictions on hash and salt.
  if (key.asymmetricKeyType === 'rsa-pss') {
    const mismatch = (h: string | undefined) => h !== undefined && h.replace('-', '').toLowerCase() !== digest;
    if (mismatch(d.hashAlgorithm) || mismatch(d.mgf1HashAlgorithm))
      throw signingError('signing.key-floor', `The RSA-PSS key is restricted to ${d.hashAlgorithm}/MGF1 ${d.mgf1HashAlgorithm}; sign with ${digest.toUpperCase()} and a key restricted to it, or an unrestricted key.`);
  }
  const saltLength = Math.max(HASH_LEN[digest], d.saltLength ?? 0);
  return {
    algorithm: algId(OID.rsaPss, pssParams(digest, saltLength)),
    length,
    sign: (data) => crypto.sign(digest, data, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength }),
  };
}

/**
 * Check the identity before anything is signed, so a bundle that Airlock's
 * own verifier (spec §3, §4) would refuse for its signer is never written:
 * CNSA key floor, key ↔ certificate, an end-entity certificate allowed to
 * sign, valid at the signing time.
 */
export function prepareSigner(identity: SigningIdentity, opts: SignOptions): PreparedSigner {
  const digest = opts.digest ?? 'sha384';
  if (digest !== 'sha384' && digest !== 'sha512') throw signingError('signing.digest', `Digest ${String(digest)} is not allowed; use sha384 or sha512 (CNSA floor).`);
  const t = opts.signingTime;
  if (!(t instanceof Date) || Number.isNaN(t.getTime())) throw signingError('signing.time', 'The signing time is not a valid date.');
  const signingTime = new Date(Math.floor(t.getTime() / 1000) * 1000);
  const key = identity.privateKey;
  if (!(key instanceof crypto.KeyObject) || key.type !== 'private') throw signingError('signing.key', 'The signing key must be a private key (a Node KeyObject).');

  let cert: Cert;
  try {
    cert = parseCertificate(identity.certificate);
  } catch (e) {
    throw signingError('signing.certificate', `The signer certificate is not a valid DER X.509 certificate: ${(e as Error).message}.`);
  }
  const label = certLabel(cert);
  const publicKey = crypto.createPublicKey(key);
  try {
    checkKeyFloor(publicKey, 'The signing key');
  } catch (e) {
    if (e instanceof AlgError)
      throw signingError('signing.key-floor', `The signing key is ${keyDescription(publicKey)}, below the CNSA floor (ECDSA P-384/P-521 or RSA of at least 3072 bits); create an identity with a key that meets it.`);
    throw e;
  }
  const spki = (k: crypto.KeyObject) => k.export({ type: 'spki', format: 'der' });
  if (!cert.publicKey || !bytesEqual(spki(cert.publicKey), spki(publicKey)))
    throw signingError('signing.key-mismatch', `The private key does not belong to the signer certificate ${label}; pick the certificate issued for this key.`, { certificate: cert.subject });
  // the verifier's own rules for a signer certificate (end-entity, keyUsage, extended key usage)
  const unfit = signerChecks(cert);
  if (unfit) throw signingError('signing.certificate', `${unfit.reason} Verifiers would refuse its signature; sign with a certificate issued for signing bundles.`, { certificate: cert.subject, code: unfit.code });
  if (signingTime < cert.notBefore || signingTime >= cert.notAfter)
    throw signingError(
      'signing.certificate',
      `The signer certificate ${label} is valid from ${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()}, not at the signing time ${signingTime.toISOString()}.`,
      { certificate: cert.subject },
    );
  const intermediates = identity.intermediates ?? [];
  intermediates.forEach((der, i) => {
    try {
      parseCertificate(der);
    } catch (e) {
      throw signingError('signing.certificate', `Intermediate certificate #${i + 1} is not a valid DER X.509 certificate: ${(e as Error).message}.`);
    }
  });

  let scheme: SignatureScheme;
  if (key.asymmetricKeyType === 'ec') scheme = ecdsaScheme(key, digest);
  else if (key.asymmetricKeyType === 'rsa') scheme = rsaScheme(key, digest, identity.rsaPadding ?? 'pkcs1');
  else if (key.asymmetricKeyType === 'rsa-pss') scheme = rsaScheme(key, digest, 'pss');
  else throw signingError('signing.key-floor', `The signing key is ${keyDescription(key)}; sign with ECDSA P-384/P-521 or RSA of at least 3072 bits.`);
  return { cert, certificates: [identity.certificate, ...intermediates], digest, scheme, signingTime };
}

// ---------------------------------------------------------------- SignedData

/** SignerInfo (v1, issuerAndSerialNumber) over `contentDigest`; `signature` overrides signing (size prediction). */
function signerInfo(p: PreparedSigner, contentDigest: Uint8Array, signature?: Uint8Array): Buffer {
  const attrs = [
    seq(oid(ATTR_CONTENT_TYPE), setOf([oid(ID_DATA)])),
    seq(oid(ATTR_SIGNING_TIME), setOf([cmsTime(p.signingTime)])),
    seq(oid(ATTR_MESSAGE_DIGEST), setOf([octets(contentDigest)])),
  ];
  // The signature covers the attributes encoded as SET OF (tag 0x31); the SignerInfo carries them as [0] IMPLICIT.
  const signedAttrs = setOf(attrs);
  const sig = signature ?? p.scheme.sign(signedAttrs);
  if (sig.length !== p.scheme.length) throw signingError('signing.failed', `The signature is ${sig.length} bytes, expected ${p.scheme.length}.`);
  const serial = tlv(0x02, p.cert.serialRaw);
  return seq(
    int(1),
    seq(p.cert.issuerRaw, serial),
    algId(DIGEST_OID[p.digest]),
    Buffer.concat([Buffer.from([0xa0]), signedAttrs.subarray(1)]),
    p.scheme.algorithm,
    octets(sig),
  );
}

function contentInfo(signedData: Buffer): Buffer {
  return seq(oid(ID_SIGNED_DATA), tlv(0xa0, signedData));
}

function uniqueDer(items: Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const i of items) if (!out.some((o) => bytesEqual(o, i))) out.push(i);
  return out;
}

function assemble(p: PreparedSigner, si: Buffer): Buffer {
  return contentInfo(
    seq(
      int(1),
      setOf([algId(DIGEST_OID[p.digest])]),
      seq(oid(ID_DATA)),
      tlv(0xa0, ...sortDer(uniqueDer(p.certificates))),
      setOf([si]),
    ),
  );
}

/** Sign `content` (the exact SHA384SUMS bytes): DER ContentInfo of a detached SignedData with one signer. */
export function signDetached(content: Uint8Array, signer: PreparedSigner): Buffer {
  const digest = crypto.createHash(signer.digest).update(content).digest();
  return assemble(signer, signerInfo(signer, digest));
}

/** The exact size signDetached will return for this signer, whatever the content. */
export function signedDataLength(signer: PreparedSigner): number {
  return assemble(signer, signerInfo(signer, Buffer.alloc(HASH_LEN[signer.digest]), Buffer.alloc(signer.scheme.length))).length;
}

// ---------------------------------------------------------------- co-signing

interface SignedDataParts {
  version: Uint8Array;
  digestAlgorithms: Uint8Array[];
  encapContentInfo: Uint8Array;
  certificates: Uint8Array[];
  /** The [1] crls element as it was, when present. */
  crls?: Uint8Array;
  signerInfos: Uint8Array[];
}

const raw = (e: asn1js.AsnType): Uint8Array => new Uint8Array((e as asn1js.BaseBlock).valueBeforeDecodeView);
const isContext = (e: asn1js.AsnType, n: number): boolean => e.idBlock.tagClass === 3 && e.idBlock.tagNumber === n;

/** Split a DER ContentInfo/SignedData into the exact bytes of its parts. */
function splitSignedData(p7s: Uint8Array): SignedDataParts {
  const bad = (why: string) => signingError('signing.malformed-signature', `SHA384SUMS.p7s cannot be co-signed: ${why}.`);
  let ci: asn1js.AsnType;
  try {
    ci = parseDerStrict(p7s, 'SHA384SUMS.p7s');
  } catch (e) {
    throw bad((e as Error).message);
  }
  const top = ci instanceof asn1js.Sequence ? ci.valueBlock.value : [];
  const [type, wrapped] = top;
  if (top.length !== 2 || !(type instanceof asn1js.ObjectIdentifier) || type.valueBlock.toString() !== ID_SIGNED_DATA || !wrapped || !isContext(wrapped, 0))
    throw bad('it is not a CMS SignedData');
  const sd = (wrapped as asn1js.Constructed).valueBlock.value[0];
  const parts = sd instanceof asn1js.Sequence ? [...sd.valueBlock.value] : [];
  const version = parts.shift();
  const digestAlgorithms = parts.shift();
  const encap = parts.shift();
  const signerInfos = parts.pop();
  if (!(version instanceof asn1js.Integer) || !(digestAlgorithms instanceof asn1js.Set) || !(encap instanceof asn1js.Sequence) || !(signerInfos instanceof asn1js.Set))
    throw bad('its SignedData structure is malformed');
  const certs = parts.find((e) => isContext(e, 0));
  const crls = parts.find((e) => isContext(e, 1));
  if (parts.length !== (certs ? 1 : 0) + (crls ? 1 : 0)) throw bad('its SignedData has unexpected fields');
  return {
    version: raw(version),
    digestAlgorithms: digestAlgorithms.valueBlock.value.map(raw),
    encapContentInfo: raw(encap),
    certificates: certs ? (certs as asn1js.Constructed).valueBlock.value.map(raw) : [],
    crls: crls ? raw(crls) : undefined,
    signerInfos: signerInfos.valueBlock.value.map(raw),
  };
}

/** Whether a DER AlgorithmIdentifier list names `o` (with or without parameters). */
function hasAlgorithm(algs: Uint8Array[], o: string): boolean {
  const want = oid(o);
  return algs.some((a) => a[0] === 0x30 && a[1]! < 0x80 && bytesEqual(a.subarray(2, 2 + want.length), want));
}

/**
 * Add `signer`'s SignerInfo to an existing detached SignedData over
 * `content`, as `openssl cms -resign` does: every existing SignerInfo,
 * certificate, CRL and the content info are kept byte for byte; the
 * co-signer's digest algorithm and certificates are added when missing.
 * Refused when an existing signature does not verify over `content` (a
 * co-signer must not countersign something else) or when the same
 * certificate has signed already.
 */
export function addSigner(p7s: Uint8Array, content: Uint8Array, signer: PreparedSigner): Buffer {
  let parsed;
  try {
    parsed = parseSignedData(p7s);
  } catch (e) {
    if (e instanceof CmsError) throw signingError('signing.malformed-signature', `${e.message} It cannot be co-signed.`);
    throw e;
  }
  parsed.signerInfos.forEach((si, i) => {
    const o = checkSigner(si, i, parsed.certificates, content);
    const problem = o.signature ?? o.algorithms;
    if (problem) throw signingError('signing.existing-signature', `The existing signature does not check out, so it is not co-signed: ${problem.reason}`, { signer: i + 1 });
    if (o.cert && bytesEqual(o.cert.issuerRaw, signer.cert.issuerRaw) && bytesEqual(o.cert.serialRaw, signer.cert.serialRaw))
      throw signingError('signing.already-signed', `${certLabel(signer.cert)} has already signed this bundle; a co-signature must come from another certificate.`, { certificate: signer.cert.subject });
  });
  const parts = splitSignedData(p7s);
  const digest = crypto.createHash(signer.digest).update(content).digest();
  const si = signerInfo(signer, digest);
  const signedData = seq(
    parts.version,
    setOf(hasAlgorithm(parts.digestAlgorithms, DIGEST_OID[signer.digest]) ? parts.digestAlgorithms : [...parts.digestAlgorithms, algId(DIGEST_OID[signer.digest])]),
    parts.encapContentInfo,
    tlv(0xa0, ...sortDer(uniqueDer([...parts.certificates, ...signer.certificates]))),
    ...(parts.crls ? [parts.crls] : []),
    setOf([...parts.signerInfos, si]),
  );
  return contentInfo(signedData);
}
