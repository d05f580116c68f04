/**
 * Certificates, CRLs, algorithms and RFC 5280 path validation. Parsing is
 * done by libraries (see asn1.ts): pkijs reads the certificate/CRL structure,
 * keeps the exact signed bytes (`tbsView`) and decodes the extension values
 * we act on (basicConstraints, AKI, RSASSA-PSS params); asn1js the rest
 * (keyUsage, SKI, cRLNumber, names for display). The *policy* stays here,
 * explicit (engineering notes: pkijs skips revocation without CRLs and checks
 * neither keyUsage nor EKU; the x509 chain builder does not validate). The
 * signature math is Node's crypto (OpenSSL) over the tbs bytes, so the CNSA
 * floor below is decided before any signature is checked.
 */
import crypto from 'node:crypto';
import type { BundleType, CertificateSummary, FailureCode } from '../../../shared/verification';
import { DerError, asn1js, bytesEqual, copy, decode, hex, integerHex, parseDerStrict, pkijs } from './asn1';
// ---------------------------------------------------------------- algorithms

export const OID = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  md5: '1.2.840.113549.2.5',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  sha512WithRSA: '1.2.840.113549.1.1.13',
  sha1WithRSA: '1.2.840.113549.1.1.5',
  md5WithRSA: '1.2.840.113549.1.1.4',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaSha1: '1.2.840.10045.4.1',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  ecdsaSha384: '1.2.840.10045.4.3.3',
  ecdsaSha512: '1.2.840.10045.4.3.4',
} as const;

const DIGESTS: Record<string, { name: string; ok: boolean }> = {
  [OID.sha384]: { name: 'SHA-384', ok: true },
  [OID.sha512]: { name: 'SHA-512', ok: true },
  [OID.sha256]: { name: 'SHA-256', ok: false },
  [OID.sha1]: { name: 'SHA-1', ok: false },
  [OID.md5]: { name: 'MD5', ok: false },
};

export function digestName(o: string): string {
  return DIGESTS[o]?.name ?? o;
}
/** Node hash name for an allowed digest OID, undefined when below the floor or unknown. */
export function allowedDigest(o: string): 'sha384' | 'sha512' | undefined {
  return o === OID.sha384 ? 'sha384' : o === OID.sha512 ? 'sha512' : undefined;
}

export class AlgError extends Error {
  constructor(
    readonly code: Extract<FailureCode, `algorithms.${string}`>,
    message: string,
  ) {
    super(message);
  }
}

export interface SigAlg {
  name: string;
  hash: string;
  kind: 'ecdsa' | 'rsa' | 'rsa-pss';
  saltLength?: number;
}

const WEAK_SIG: Record<string, string> = {
  [OID.sha1WithRSA]: 'sha1WithRSAEncryption',
  [OID.md5WithRSA]: 'md5WithRSAEncryption',
  [OID.sha256WithRSA]: 'sha256WithRSAEncryption',
  [OID.ecdsaSha1]: 'ecdsa-with-SHA1',
  [OID.ecdsaSha256]: 'ecdsa-with-SHA256',
};

/**
 * Resolve an AlgorithmIdentifier used for a signature. `digestOid` is the
 * CMS SignerInfo digestAlgorithm (RSA "rsaEncryption" and EC "id-ecPublicKey"
 * signature OIDs take their hash from it). Throws AlgError below the floor.
 */
/**
 * Resolve an AlgorithmIdentifier used for a signature. `digestOid` is the
 * CMS SignerInfo digestAlgorithm (RSA "rsaEncryption" and EC "id-ecPublicKey"
 * signature OIDs take their hash from it). Throws AlgError below the floor.
 */
export function signatureAlgorithm(algId: pkijs.AlgorithmIdentifier, digestOid?: string, allowWeak = false): SigAlg {
  const o = algId.algorithmId;
  if (allowWeak) {
    const weak: Record<string, SigAlg> = {
      [OID.sha256WithRSA]: { name: 'RSA PKCS#1 v1.5 with SHA-256', hash: 'sha256', kind: 'rsa' },
      [OID.sha1WithRSA]: { name: 'RSA PKCS#1 v1.5 with SHA-1', hash: 'sha1', kind: 'rsa' },
      [OID.ecdsaSha256]: { name: 'ECDSA with SHA-256', hash: 'sha256', kind: 'ecdsa' },
      [OID.ecdsaSha1]: { name: 'ECDSA with SHA-1', hash: 'sha1', kind: 'ecdsa' },
    };
    if (weak[o]) return weak[o];
  }
  const fromDigest = (kind: 'ecdsa' | 'rsa', label: string): SigAlg => {
    if (!digestOid) throw new AlgError('algorithms.signature', `Signature algorithm ${label} needs a digest algorithm.`);
    const h = allowedDigest(digestOid);
    if (!h) throw new AlgError('algorithms.digest', `Digest ${digestName(digestOid)} is below the CNSA floor (SHA-384 or SHA-512 required).`);
    return { name: `${kind === 'ecdsa' ? 'ECDSA' : 'RSA PKCS#1 v1.5'} with ${digestName(digestOid)}`, hash: h, kind };
  };
  switch (o) {
    case OID.ecdsaSha384:
      return { name: 'ECDSA with SHA-384', hash: 'sha384', kind: 'ecdsa' };
    case OID.ecdsaSha512:
      return { name: 'ECDSA with SHA-512', hash: 'sha512', kind: 'ecdsa' };
    case OID.sha384WithRSA:
      return { name: 'RSA PKCS#1 v1.5 with SHA-384', hash: 'sha384', kind: 'rsa' };
    case OID.sha512WithRSA:
      return { name: 'RSA PKCS#1 v1.5 with SHA-512', hash: 'sha512', kind: 'rsa' };
    case OID.rsaEncryption:
      return fromDigest('rsa', 'rsaEncryption');
    case OID.ecPublicKey:
      return fromDigest('ecdsa', 'id-ecPublicKey');
    case OID.rsaPss:
      return pssParams(algId.algorithmParams);
    default:
      if (WEAK_SIG[o]) throw new AlgError('algorithms.digest', `Signature algorithm ${WEAK_SIG[o]} is below the CNSA floor (SHA-384 or SHA-512 required).`);
      throw new AlgError('algorithms.signature', `Unsupported signature algorithm ${o}.`);
  }
}

function pssParams(params: unknown): SigAlg {
  // RSASSA-PSS-params (pkijs applies the defaults: SHA-1, MGF1-SHA1, salt 20)
  const p = params instanceof asn1js.Sequence ? decode('RSASSA-PSS parameters', () => new pkijs.RSASSAPSSParams({ schema: params })) : new pkijs.RSASSAPSSParams();
  const hashOid = p.hashAlgorithm.algorithmId;
  if (p.maskGenAlgorithm.algorithmId !== OID.mgf1) throw new AlgError('algorithms.signature', 'RSA-PSS with a mask generation function other than MGF1.');
  const mgfParams = p.maskGenAlgorithm.algorithmParams;
  const mgfHash = mgfParams instanceof asn1js.Sequence ? decode('MGF1 parameters', () => new pkijs.AlgorithmIdentifier({ schema: mgfParams })).algorithmId : OID.sha1;
  const h = allowedDigest(hashOid);
  if (!h || mgfHash !== hashOid)
    throw new AlgError('algorithms.digest', `RSA-PSS with ${digestName(hashOid)} (MGF1 ${digestName(mgfHash)}) is below the CNSA floor.`);
  return { name: `RSA-PSS with ${digestName(hashOid)}`, hash: h, kind: 'rsa-pss', saltLength: p.saltLength };
}

export function keyDescription(key: crypto.KeyObject): string {
  const d = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const c = d.namedCurve;
      return c === 'secp384r1' ? 'ECDSA P-384' : c === 'secp521r1' ? 'ECDSA P-521' : c === 'prime256v1' ? 'ECDSA P-256' : `ECDSA ${c ?? '?'}`;
    }
    case 'rsa':
      return `RSA ${d.modulusLength ?? '?'}`;
    case 'rsa-pss':
      return `RSA-PSS ${d.modulusLength ?? '?'}`;
    default:
      return key.asymmetricKeyType ?? 'unknown';
  }
}

/** Throws AlgError when a public key is below the CNSA 1.0 floor. */
export function checkKeyFloor(key: crypto.KeyObject, whose: string): void {
  const d = key.asymmetricKeyDetails ?? {};
  const t = key.asymmetricKeyType;
  if (t === 'ec' && (d.namedCurve === 'secp384r1' || d.namedCurve === 'secp521r1')) return;
  if ((t === 'rsa' || t === 'rsa-pss') && (d.modulusLength ?? 0) >= 3072) return;
  throw new AlgError('algorithms.key', `${whose} has a ${keyDescription(key)} key; the CNSA floor is ECDSA P-384/P-521 or RSA of at least 3072 bits.`);
}

/** Verify a signature with Node crypto; false on mismatch or on a key/algorithm mismatch. */
export function verifySignature(alg: SigAlg, key: crypto.KeyObject, data: Uint8Array, sig: Uint8Array): boolean {
  const t = key.asymmetricKeyType;
  if (alg.kind === 'ecdsa' && t !== 'ec') return false;
  if (alg.kind !== 'ecdsa' && t !== 'rsa' && t !== 'rsa-pss') return false;
  if (alg.kind === 'rsa' && t === 'rsa-pss') return false;
  try {
    if (alg.kind === 'ecdsa') return crypto.verify(alg.hash, data, { key, dsaEncoding: 'der' }, sig);
    if (alg.kind === 'rsa') return crypto.verify(alg.hash, data, { key, padding: crypto.constants.RSA_PKCS1_PADDING }, sig);
    return crypto.verify(alg.hash, data, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: alg.saltLength ?? 20 }, sig);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- names

const ATTR_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
};

/** Human form of a DER Name (as asn1js reads it), most specific first ("CN=…, O=…, C=…"). */
export function nameToString(raw: Uint8Array): string {
  try {
    const seq = parseDerStrict(raw, 'Name') as asn1js.Sequence;
    const rdns = seq.valueBlock.value.map((rdn) =>
      (rdn as asn1js.Set).valueBlock.value
        .map((atv) => {
          const [t, v] = (atv as asn1js.Sequence).valueBlock.value as [asn1js.ObjectIdentifier, { valueBlock: { value?: unknown; valueHexView: Uint8Array } }];
          const o = t.valueBlock.toString();
          const val = typeof v.valueBlock.value === 'string' ? v.valueBlock.value : Buffer.from(v.valueBlock.valueHexView).toString('utf8');
          return `${ATTR_NAMES[o] ?? o}=${val.replace(/([,+"\\<>;])/g, '\\$1')}`;
        })
        .join('+'),
    );
    return rdns.reverse().join(', ');
  } catch {
    return '(unparseable name)';
  }
}

// ---------------------------------------------------------------- certificates

export const EXT = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  ski: '2.5.29.14',
  aki: '2.5.29.35',
  san: '2.5.29.17',
  ian: '2.5.29.18',
  certificatePolicies: '2.5.29.32',
  crlDistributionPoints: '2.5.29.31',
  aia: '1.3.6.1.5.5.7.1.1',
  crlNumber: '2.5.29.20',
  deltaCrlIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
} as const;

/** Critical extensions this validator processes; any other critical extension fails the chain. */
const KNOWN_CRITICAL = new Set<string>([EXT.basicConstraints, EXT.keyUsage, EXT.extKeyUsage, EXT.ski, EXT.aki, EXT.san, EXT.ian, EXT.certificatePolicies]);

export const KU = { digitalSignature: 0, nonRepudiation: 1, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;

export interface Cert {
  der: Uint8Array;
  /** Exact tbsCertificate bytes (pkijs tbsView): what the issuer signed. */
  tbs: Uint8Array;
  sigAlg: pkijs.AlgorithmIdentifier;
  signature: Uint8Array;
  serialHex: string;
  serialRaw: Uint8Array;
  issuerRaw: Uint8Array;
  subjectRaw: Uint8Array;
  issuer: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
  spki: Uint8Array;
  /** Undefined when Node cannot load the key (unsupported algorithm). */
  publicKey?: crypto.KeyObject;
  extensions: { oid: string; critical: boolean; value: Uint8Array }[];
  ca: boolean;
  pathLen?: number;
  /** Key usage bits, undefined when the extension is absent. */
  keyUsage?: Set<number>;
  ski?: string;
  aki?: string;
  selfIssued: boolean;
}

/** Extensions as pkijs lists them, with duplicates refused. */
function extensionList(exts: pkijs.Extension[] | undefined): Cert['extensions'] {
  const out: Cert['extensions'] = [];
  for (const e of exts ?? []) {
    if (out.some((x) => x.oid === e.extnID)) throw new DerError(`extension ${e.extnID} appears twice`);
    out.push({ oid: e.extnID, critical: e.critical, value: copy(e.extnValue.valueBlock.valueHexView) });
  }
  return out;
}

/**
 * Decode one extension value with the pkijs/asn1js class for it. (pkijs's own
 * lazy `parsedValue` swallows decoding errors; a malformed extension here must
 * make the certificate unusable, so we decode strictly ourselves.)
 */
function extValue<T>(e: { oid: string; value: Uint8Array }, what: string, f: (v: asn1js.AsnType) => T): T {
  return decode(`${what} extension`, () => f(parseDerStrict(e.value, `${what} extension`)));
}

function keyUsageBits(v: asn1js.AsnType): Set<number> {
  if (!(v instanceof asn1js.BitString)) throw new DerError('keyUsage is not a BIT STRING');
  const bytes = v.valueBlock.valueHexView;
  const s = new Set<number>();
  for (let b = 0; b < bytes.length * 8; b++) if (bytes[b >> 3]! & (0x80 >> (b & 7))) s.add(b);
  return s;
}

function akiKeyId(v: asn1js.AsnType): string | undefined {
  const k = new pkijs.AuthorityKeyIdentifier({ schema: v }).keyIdentifier;
  return k ? hex(k.valueBlock.valueHexView) : undefined;
}

/** DER public key algorithm + key, exactly as pkijs parsed it. */
function spkiDer(p: pkijs.PublicKeyInfo): Uint8Array {
  return new Uint8Array(p.toSchema().toBER(false));
}

export function parseCertificate(der: Uint8Array): Cert {
  const asn = parseDerStrict(der, 'certificate');
  const pc = decode('certificate', () => new pkijs.Certificate({ schema: asn }));
  if (!bytesEqual(new Uint8Array(pc.signature.toSchema().toBER(false)), new Uint8Array(pc.signatureAlgorithm.toSchema().toBER(false))))
    throw new DerError('signature algorithm inside and outside tbsCertificate differ');
  const extensions = extensionList(pc.extensions);
  const spki = spkiDer(pc.subjectPublicKeyInfo);
  let publicKey: crypto.KeyObject | undefined;
  try {
    publicKey = crypto.createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    publicKey = undefined;
  }
  const issuerRaw = copy(pc.issuer.valueBeforeDecode);
  const subjectRaw = copy(pc.subject.valueBeforeDecode);
  const serialRaw = copy(pc.serialNumber.valueBlock.valueHexView);
  const c: Cert = {
    der: copy(der),
    tbs: copy(pc.tbsView),
    sigAlg: pc.signatureAlgorithm,
    signature: copy(pc.signatureValue.valueBlock.valueHexView),
    serialHex: integerHex(pc.serialNumber),
    serialRaw,
    issuerRaw,
    subjectRaw,
    issuer: nameToString(issuerRaw),
    subject: nameToString(subjectRaw),
    notBefore: pc.notBefore.value,
    notAfter: pc.notAfter.value,
    spki,
    publicKey,
    extensions,
    ca: false,
    selfIssued: bytesEqual(issuerRaw, subjectRaw),
  };
  for (const e of extensions) {
    if (e.oid === EXT.basicConstraints) {
      const bc = extValue(e, 'basicConstraints', (v) => new pkijs.BasicConstraints({ schema: v }));
      c.ca = bc.cA;
      if (bc.pathLenConstraint !== undefined) {
        if (typeof bc.pathLenConstraint !== 'number' || bc.pathLenConstraint < 0) throw new DerError('basicConstraints pathLenConstraint out of range');
        c.pathLen = bc.pathLenConstraint;
      }
    } else if (e.oid === EXT.keyUsage) {
      c.keyUsage = extValue(e, 'keyUsage', keyUsageBits);
    } else if (e.oid === EXT.ski) {
      c.ski = extValue(e, 'subjectKeyIdentifier', (v) => {
        if (!(v instanceof asn1js.OctetString)) throw new DerError('subjectKeyIdentifier is not an OCTET STRING');
        return hex(v.valueBlock.valueHexView);
      });
    } else if (e.oid === EXT.aki) {
      c.aki = extValue(e, 'authorityKeyIdentifier', akiKeyId);
    }
  }
  return c;
}

export function fingerprint(der: Uint8Array): string {
  return crypto.createHash('sha256').update(der).digest('hex');
}

export function summarize(c: Cert): CertificateSummary {
  return {
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialHex,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    sha256Fingerprint: fingerprint(c.der),
    keyAlgorithm: c.publicKey ? keyDescription(c.publicKey) : 'unsupported',
  };
}

/** Summary of a DER certificate for display (trust-store screen). Throws on malformed input. */
export function summarizeCertificate(der: Uint8Array): CertificateSummary {
  return summarize(parseCertificate(der));
}

/** "CN=…, serial 0a1b" — how reasons name a certificate. */
export function certLabel(c: Cert): string {
  return `"${c.subject}" (serial ${c.serialHex})`;
}

/** Verify `child`'s signature with `issuer`'s key (algorithm floor enforced; throws AlgError). */
export function certSignedBy(child: { tbs: Uint8Array; sigAlg: pkijs.AlgorithmIdentifier; signature: Uint8Array }, issuer: Cert, allowWeak = false): boolean {
  if (!issuer.publicKey) return false;
  const alg = signatureAlgorithm(child.sigAlg, undefined, allowWeak);
  return verifySignature(alg, issuer.publicKey, child.tbs, child.signature);
}

// ---------------------------------------------------------------- CRLs

export interface Crl {
  der: Uint8Array;
  /** Exact tbsCertList bytes (pkijs tbsView). */
  tbs: Uint8Array;
  sigAlg: pkijs.AlgorithmIdentifier;
  signature: Uint8Array;
  issuerRaw: Uint8Array;
  issuer: string;
  thisUpdate: Date;
  nextUpdate?: Date;
  revoked: Map<string, Date>;
  crlNumber?: bigint;
  /** authorityKeyIdentifier keyIdentifier (hex), when present. */
  aki?: string;
  /** A critical CRL extension we do not process (delta, IDP…): such a CRL is not used. */
  unsupportedCritical?: string;
}

export function parseCrl(der: Uint8Array): Crl {
  const asn = parseDerStrict(der, 'CRL');
  const pl = decode('CRL', () => new pkijs.CertificateRevocationList({ schema: asn }));
  const revoked = new Map<string, Date>();
  for (const r of pl.revokedCertificates ?? []) {
    revoked.set(integerHex(r.userCertificate), r.revocationDate.value);
    // entry extensions: a critical one we do not understand (e.g. certificateIssuer) makes the CRL unusable
    for (const e of r.crlEntryExtensions?.extensions ?? []) if (e.critical) throw new DerError(`unsupported critical CRL entry extension ${e.extnID}`);
  }
  const issuerRaw = copy(pl.issuer.valueBeforeDecode);
  const crl: Crl = {
    der: copy(der),
    tbs: copy(pl.tbsView),
    sigAlg: pl.signatureAlgorithm,
    signature: copy(pl.signatureValue.valueBlock.valueHexView),
    issuerRaw,
    issuer: nameToString(issuerRaw),
    thisUpdate: pl.thisUpdate.value,
    nextUpdate: pl.nextUpdate?.value,
    revoked,
  };
  for (const e of extensionList(pl.crlExtensions?.extensions)) {
    if (e.oid === EXT.crlNumber)
      crl.crlNumber = extValue(e, 'cRLNumber', (v) => {
        if (!(v instanceof asn1js.Integer)) throw new DerError('cRLNumber is not an INTEGER');
        return BigInt('0x' + integerHex(v));
      });
    else if (e.oid === EXT.aki) crl.aki = extValue(e, 'authorityKeyIdentifier', akiKeyId);
    else if (e.critical) crl.unsupportedCritical = e.oid;
  }
  return crl;
}

// ---------------------------------------------------------------- PEM

/** All DER objects in a PEM file (certificates, CRLs), or the buffer itself when it is DER. */
export function readPemOrDer(buf: Uint8Array): Uint8Array[] {
  const text = Buffer.from(buf).toString('latin1');
  if (!text.includes('-----BEGIN ')) return buf.length ? [new Uint8Array(buf)] : [];
  const out: Uint8Array[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m[1] !== 'CERTIFICATE' && m[1] !== 'X509 CRL' && m[1] !== 'TRUSTED CERTIFICATE') continue;
    out.push(new Uint8Array(Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64')));
  }
  return out;
}

/** True when the DER looks like a CRL rather than a certificate (tbsCertList has no [0] version / has thisUpdate). */
export function isCrlDer(der: Uint8Array): boolean {
  try {
    parseCrl(der);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- path validation

export interface Anchor {
  cert: Cert;
  types: BundleType[] | 'any';
  label?: string;
}

export type TrustFailure = { code: FailureCode; reason: string };

export interface PathResult {
  /** Signer first, anchor last. */
  path?: Cert[];
  anchor?: Anchor;
  /** Per-group outcomes. */
  chain?: TrustFailure;
  algorithms?: TrustFailure;
  signer?: TrustFailure;
  revocation?: TrustFailure | { ok: string };
}

const MAX_DEPTH = 8;

/**
 * Build a path from `leaf` to an anchor through `intermediates` where every
 * link is name-chained, key-identifier-consistent and signature-verified.
 * A candidate whose name matches but whose key does not verify the child
 * (an impostor with copied names) is never used.
 */
export function buildPath(leaf: Cert, intermediates: Cert[], anchors: Anchor[]): { path: Cert[]; anchor: Anchor } | TrustFailure {
  let badSig: string | undefined;
  let nameOnly: string | undefined;
  const visit = (path: Cert[]): { path: Cert[]; anchor: Anchor } | undefined => {
    const cur = path[path.length - 1]!;
    if (path.length > MAX_DEPTH + 1) return undefined;
    const matches = (cand: Cert): boolean => {
      if (!bytesEqual(cand.subjectRaw, cur.issuerRaw)) return false;
      if (cur.aki && cand.ski && cur.aki !== cand.ski) {
        nameOnly ??= `${certLabel(cur)} names issuer "${cur.issuer}", but the key identifier of the candidate ${certLabel(cand)} does not match.`;
        return false;
      }
      let ok = false;
      try {
        // weak algorithms still chain here; validatePath reports them under 'algorithms'
        ok = certSignedBy(cur, cand, true);
      } catch {
        ok = false;
      }
      if (!ok) {
        const msg = `The signature on ${certLabel(cur)} does not verify with the key of ${certLabel(cand)}, whose name it claims as issuer.`;
        if (cur.aki && cand.ski && cur.aki === cand.ski) badSig ??= msg;
        else nameOnly ??= msg;
      }
      return ok;
    };
    for (const a of anchors) if (matches(a.cert)) return { path: [...path, a.cert], anchor: a };
    for (const c of intermediates) {
      if (path.some((p) => bytesEqual(p.der, c.der))) continue;
      if (matches(c)) {
        const r = visit([...path, c]);
        if (r) return r;
      }
    }
    return undefined;
  };
  const r = visit([leaf]);
  if (r) return r;
  if (badSig) return { code: 'chain.bad-signature', reason: badSig };
  return {
    code: 'chain.no-anchor',
    reason: nameOnly
      ? `No path to an installed trust anchor. ${nameOnly}`
      : `No path from ${certLabel(leaf)} (issuer "${leaf.issuer}") to an installed trust anchor. Install the issuing root, or ask the producer to include the intermediates.`,
  };
}

/**
 * RFC 5280 checks along a built path (signer first, anchor last) at time `at`.
 * Returns the first failure per group.
 */
export function validatePath(path: Cert[], at: Date): { chain?: TrustFailure; algorithms?: TrustFailure; signer?: TrustFailure } {
  const out: { chain?: TrustFailure; algorithms?: TrustFailure; signer?: TrustFailure } = {};
  const iso = at.toISOString();
  for (let i = 0; i < path.length && !out.chain; i++) {
    const c = path[i]!;
    if (at < c.notBefore) out.chain = { code: 'chain.not-yet-valid', reason: `Certificate ${certLabel(c)} is not valid until ${c.notBefore.toISOString()} (checked at ${iso}).` };
    else if (at >= c.notAfter) out.chain = { code: 'chain.expired', reason: `Certificate ${certLabel(c)} expired at ${c.notAfter.toISOString()} (checked at ${iso}).` };
    else {
      const crit = c.extensions.find((e) => e.critical && !KNOWN_CRITICAL.has(e.oid));
      if (crit) out.chain = { code: 'chain.critical-extension', reason: `Certificate ${certLabel(c)} has a critical extension ${crit.oid} that this verifier does not process.` };
    }
  }
  // issuers: cA, keyCertSign, path length
  for (let i = 1; i < path.length && !out.chain; i++) {
    const c = path[i]!;
    if (!c.ca) out.chain = { code: 'chain.not-ca', reason: `Issuing certificate ${certLabel(c)} lacks basicConstraints cA=TRUE.` };
    else if (!c.keyUsage?.has(KU.keyCertSign)) out.chain = { code: 'chain.not-ca', reason: `Issuing certificate ${certLabel(c)} lacks keyUsage keyCertSign.` };
    else if (c.pathLen !== undefined) {
      // non-self-issued intermediates strictly between c and the leaf
      let below = 0;
      for (let j = 1; j < i; j++) if (!path[j]!.selfIssued) below++;
      if (below > c.pathLen) out.chain = { code: 'chain.path-length', reason: `Certificate ${certLabel(c)} allows ${c.pathLen} intermediate CA(s) below it, but the chain has ${below}.` };
    }
  }
  // algorithms: every key meets the floor, every certificate signature algorithm too
  for (let i = 0; i < path.length && !out.algorithms; i++) {
    const c = path[i]!;
    try {
      if (!c.publicKey) throw new AlgError('algorithms.key', `Certificate ${certLabel(c)} has a key type this verifier does not support.`);
      checkKeyFloor(c.publicKey, `Certificate ${certLabel(c)}`);
      if (i < path.length - 1) signatureAlgorithm(c.sigAlg);
    } catch (e) {
      if (e instanceof AlgError) out.algorithms = { code: e.code, reason: e.message.includes(certLabel(c)) ? e.message : `Certificate ${certLabel(c)}: ${e.message}` };
      else throw e;
    }
  }
  const leaf = path[0]!;
  if (leaf.ca) out.signer = { code: 'signer.is-ca', reason: `Signer certificate ${certLabel(leaf)} is a CA certificate (basicConstraints cA=TRUE); bundles must be signed with an end-entity certificate.` };
  else if (!leaf.keyUsage || !(leaf.keyUsage.has(KU.digitalSignature) || leaf.keyUsage.has(KU.nonRepudiation)))
    out.signer = { code: 'signer.key-usage', reason: `Signer certificate ${certLabel(leaf)} lacks keyUsage digitalSignature or nonRepudiation.` };
  return out;
}

/** Revocation of every certificate below the anchor. */
export function checkRevocation(path: Cert[], crls: Crl[], at: Date, requireCrls: boolean): TrustFailure | { ok: string } {
  const notes: string[] = [];
  for (let i = 0; i < path.length - 1; i++) {
    const c = path[i]!;
    const issuer = path[i + 1]!;
    const fromIssuer = crls.filter((l) => bytesEqual(l.issuerRaw, c.issuerRaw));
    let badReason: string | undefined;
    const usable: Crl[] = [];
    for (const l of fromIssuer) {
      let ok = false;
      try {
        ok = certSignedBy(l, issuer);
      } catch (e) {
        badReason = `The CRL from "${issuer.subject}" uses a weak or unsupported algorithm: ${(e as Error).message}`;
        continue;
      }
      if (!ok) {
        badReason ??= `A CRL naming issuer "${l.issuer}" is not signed by ${certLabel(issuer)}.`;
        continue;
      }
      if (l.unsupportedCritical) {
        badReason ??= `The CRL from ${certLabel(issuer)} has a critical extension ${l.unsupportedCritical} this verifier does not process (delta or partitioned CRLs are not supported).`;
        continue;
      }
      if (issuer.keyUsage && !issuer.keyUsage.has(KU.cRLSign)) {
        badReason ??= `${certLabel(issuer)} signed a CRL but lacks keyUsage cRLSign.`;
        continue;
      }
      usable.push(l);
    }
    if (usable.length === 0) {
      if (badReason) return { code: 'revocation.bad-crl', reason: badReason };
      if (requireCrls) return { code: 'revocation.missing-crl', reason: `No CRL from ${certLabel(issuer)} covers ${certLabel(c)}. Import a current CRL from that issuer.` };
      notes.push(`no CRL for ${certLabel(c)} (not required)`);
      continue;
    }
    // newest by CRL number, then thisUpdate
    usable.sort((a, b) => {
      const an = a.crlNumber ?? -1n;
      const bn = b.crlNumber ?? -1n;
      if (an !== bn) return an > bn ? -1 : 1;
      return b.thisUpdate.getTime() - a.thisUpdate.getTime();
    });
    const l = usable[0]!;
    if (l.thisUpdate > at || !l.nextUpdate || l.nextUpdate <= at)
      return {
        code: 'revocation.stale-crl',
        reason: `The CRL from ${certLabel(issuer)} is not current at ${at.toISOString()} (thisUpdate ${l.thisUpdate.toISOString()}, nextUpdate ${l.nextUpdate?.toISOString() ?? 'absent'}). Import a fresh CRL.`,
      };
    const rev = l.revoked.get(c.serialHex);
    if (rev) return { code: 'revocation.revoked', reason: `Certificate ${certLabel(c)} was revoked by its issuer on ${rev.toISOString()}.` };
    notes.push(`${certLabel(c)} not revoked (CRL${l.crlNumber !== undefined ? ` #${l.crlNumber}` : ''} of ${l.thisUpdate.toISOString()})`);
  }
  return { ok: notes.join('; ') };
}
