/**
 * X.509 certificates: parsing and the extension values the validator acts
 * on. pkijs reads the certificate structure and keeps the exact signed bytes
 * (`tbsView`); each extension we act on is decoded strictly here, whatever
 * its criticality, and a malformed value makes the whole certificate
 * unusable (pkijs's lazy `parsedValue` would swallow the error).
 *
 * PROCESSED_CRITICAL is the set of extensions this module and path.ts really
 * process; any other critical extension fails the chain (spec §4). Name
 * constraints are not implemented, so a critical nameConstraints fails.
 */
import crypto from 'node:crypto';
import type { CertificateSummary } from '../../../shared/verification';
import { DerError, asn1js, bytesEqual, copy, decode, hex, integerHex, parseDerStrict, pkijs } from './asn1';
import { keyDescription, signatureAlgorithm, verifySignature } from './algorithms';
import { nameToString } from './names';

export const EXT = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  ski: '2.5.29.14',
  aki: '2.5.29.35',
  san: '2.5.29.17',
  ian: '2.5.29.18',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  policyConstraints: '2.5.29.36',
  inhibitAnyPolicy: '2.5.29.54',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  aia: '1.3.6.1.5.5.7.1.1',
  crlNumber: '2.5.29.20',
  deltaCrlIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
} as const;

export const KU = { digitalSignature: 0, nonRepudiation: 1, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;

/** Extended key usages that may sign bundles (spec §4). */
export const EKU = {
  any: '2.5.29.37.0',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
} as const;
export const BUNDLE_SIGNING_EKUS: ReadonlySet<string> = new Set([EKU.codeSigning, EKU.emailProtection, EKU.any]);

export const ANY_POLICY = '2.5.29.32.0';

/** The policy extensions: processed along a path (policies.ts), never for a trust anchor (RFC 5280 §6.1.1 takes only its name and key). */
export const POLICY_EXTENSIONS: ReadonlySet<string> = new Set([EXT.certificatePolicies, EXT.policyMappings, EXT.policyConstraints, EXT.inhibitAnyPolicy]);

/**
 * Critical extensions processed for a certificate below the anchor. Subject/
 * issuer alternative names and key identifiers are decoded (and must be
 * well-formed) but constrain nothing without name constraints.
 */
export const PROCESSED_CRITICAL: ReadonlySet<string> = new Set<string>([
  EXT.basicConstraints,
  EXT.keyUsage,
  EXT.extKeyUsage,
  EXT.ski,
  EXT.aki,
  EXT.san,
  EXT.ian,
  ...POLICY_EXTENSIONS,
]);
/** Critical extensions processed for a trust anchor (its policy extensions are not: see POLICY_EXTENSIONS). */
export const ANCHOR_PROCESSED_CRITICAL: ReadonlySet<string> = new Set([...PROCESSED_CRITICAL].filter((o) => !POLICY_EXTENSIONS.has(o)));

export interface Cert {
  der: Uint8Array;
  /** SHA-256 of the DER (hex): the certificate's identity (dedupe, signature memo). */
  id: string;
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
  /** SHA-256 of the SubjectPublicKeyInfo (hex). */
  spkiId: string;
  /** Subject name + key: a path must not hold the same pair twice (RFC 4158 loop detection). */
  nameKey: string;
  /** Undefined when Node cannot load the key (unsupported algorithm). */
  publicKey?: crypto.KeyObject;
  extensions: { oid: string; critical: boolean; value: Uint8Array }[];
  ca: boolean;
  pathLen?: number;
  /** Key usage bits, undefined when the extension is absent. */
  keyUsage?: Set<number>;
  /** Extended key usage OIDs, undefined when the extension is absent. */
  extendedKeyUsage?: string[];
  ski?: string;
  aki?: string;
  /** certificatePolicies OIDs (anyPolicy included), undefined when the extension is absent. */
  policies?: string[];
  /** policyMappings as [issuerDomainPolicy, subjectDomainPolicy]. */
  policyMappings?: [string, string][];
  requireExplicitPolicy?: number;
  inhibitPolicyMapping?: number;
  inhibitAnyPolicy?: number;
  selfIssued: boolean;
}

/** Something signed by an issuer key: a certificate or a CRL. */
export interface Signed {
  id: string;
  tbs: Uint8Array;
  sigAlg: pkijs.AlgorithmIdentifier;
  signature: Uint8Array;
}

export function sha256Hex(b: Uint8Array): string {
  return crypto.createHash('sha256').update(b).digest('hex');
}

/** Extensions as pkijs lists them, with duplicates refused. */
export function extensionList(exts: pkijs.Extension[] | undefined): Cert['extensions'] {
  const out: Cert['extensions'] = [];
  for (const e of exts ?? []) {
    if (out.some((x) => x.oid === e.extnID)) throw new DerError(`extension ${e.extnID} appears twice`);
    out.push({ oid: e.extnID, critical: e.critical, value: copy(e.extnValue.valueBlock.valueHexView) });
  }
  return out;
}

/** Decode one extension value strictly; any problem is a DerError naming the extension. */
export function extValue<T>(e: { value: Uint8Array }, what: string, f: (v: asn1js.AsnType) => T): T {
  return decode(`${what} extension`, () => f(parseDerStrict(e.value, `${what} extension`)));
}

function keyUsageBits(v: asn1js.AsnType): Set<number> {
  if (!(v instanceof asn1js.BitString)) throw new DerError('keyUsage is not a BIT STRING');
  const bytes = v.valueBlock.valueHexView;
  const s = new Set<number>();
  for (let b = 0; b < bytes.length * 8; b++) if (bytes[b >> 3]! & (0x80 >> (b & 7))) s.add(b);
  return s;
}

export function akiKeyId(v: asn1js.AsnType): string | undefined {
  const k = new pkijs.AuthorityKeyIdentifier({ schema: v }).keyIdentifier;
  return k ? hex(k.valueBlock.valueHexView) : undefined;
}

function oidOf(v: asn1js.AsnType, what: string): string {
  if (!(v instanceof asn1js.ObjectIdentifier)) throw new DerError(`${what} is not an OBJECT IDENTIFIER`);
  return v.valueBlock.toString();
}

/** SEQUENCE SIZE (1..MAX) OF …: the elements, refusing an empty sequence. */
function nonEmptySequence(v: asn1js.AsnType, what: string): asn1js.AsnType[] {
  if (!(v instanceof asn1js.Sequence)) throw new DerError(`${what} is not a SEQUENCE`);
  const items = v.valueBlock.value;
  if (items.length === 0) throw new DerError(`${what} is empty`);
  return items;
}

/** Largest SkipCerts value kept: any count beyond a path's length acts the same. */
const SKIP_CERTS_CAP = 1_000_000;

/** SkipCerts ::= INTEGER (0..MAX) from its content octets (also used for [n] IMPLICIT SkipCerts). */
function skipCerts(content: Uint8Array, what: string): number {
  if (content.length === 0) throw new DerError(`${what} is an empty INTEGER`);
  if (content[0]! & 0x80) throw new DerError(`${what} is negative`);
  if (content.length > 1 && content[0] === 0 && !(content[1]! & 0x80)) throw new DerError(`${what} is not minimally encoded`);
  const n = BigInt(`0x${hex(content)}`);
  return n > BigInt(SKIP_CERTS_CAP) ? SKIP_CERTS_CAP : Number(n);
}

function extendedKeyUsage(v: asn1js.AsnType): string[] {
  return nonEmptySequence(v, 'extendedKeyUsage').map((o) => oidOf(o, 'a KeyPurposeId'));
}

function certificatePolicies(v: asn1js.AsnType): string[] {
  const out: string[] = [];
  for (const pi of nonEmptySequence(v, 'certificatePolicies')) {
    // pkijs checks the PolicyInformation shape (identifier + optional qualifiers) against its schema
    const info = new pkijs.PolicyInformation({ schema: pi });
    if (info.policyQualifiers) nonEmptySequence((pi as asn1js.Sequence).valueBlock.value[1]!, 'policyQualifiers');
    // RFC 5280 §4.2.1.4: a policy OID appears at most once
    if (out.includes(info.policyIdentifier)) throw new DerError(`certificatePolicies lists ${info.policyIdentifier} twice`);
    out.push(info.policyIdentifier);
  }
  return out;
}

function policyMappings(v: asn1js.AsnType): [string, string][] {
  return nonEmptySequence(v, 'policyMappings').map((m) => {
    if (!(m instanceof asn1js.Sequence) || m.valueBlock.value.length !== 2) throw new DerError('a policy mapping is not a pair of OIDs');
    return [oidOf(m.valueBlock.value[0]!, 'issuerDomainPolicy'), oidOf(m.valueBlock.value[1]!, 'subjectDomainPolicy')];
  });
}

function policyConstraints(v: asn1js.AsnType): { requireExplicitPolicy?: number; inhibitPolicyMapping?: number } {
  // RFC 5280 §4.2.1.11: at least one of [0] requireExplicitPolicy, [1] inhibitPolicyMapping, in that order
  const items = nonEmptySequence(v, 'policyConstraints');
  const out: { requireExplicitPolicy?: number; inhibitPolicyMapping?: number } = {};
  let last = -1;
  for (const it of items) {
    const id = it.idBlock;
    if (id.tagClass !== 3 || id.isConstructed || (id.tagNumber !== 0 && id.tagNumber !== 1) || id.tagNumber <= last) throw new DerError('policyConstraints has an unexpected element');
    last = id.tagNumber;
    const value = skipCerts((it as asn1js.Primitive).valueBlock.valueHexView, id.tagNumber === 0 ? 'requireExplicitPolicy' : 'inhibitPolicyMapping');
    if (id.tagNumber === 0) out.requireExplicitPolicy = value;
    else out.inhibitPolicyMapping = value;
  }
  return out;
}

function inhibitAnyPolicy(v: asn1js.AsnType): number {
  if (!(v instanceof asn1js.Integer)) throw new DerError('inhibitAnyPolicy is not an INTEGER');
  return skipCerts(v.valueBlock.valueHexView, 'inhibitAnyPolicy');
}

function generalNames(v: asn1js.AsnType, what: string): void {
  nonEmptySequence(v, what);
  new pkijs.AltName({ schema: v });
}

/** DER public key algorithm + key, exactly as pkijs parsed it. */
function spkiDer(p: pkijs.PublicKeyInfo): Uint8Array {
  return new Uint8Array(p.toSchema().toBER(false));
}

/** Parse a DER certificate; throws DerError on anything malformed, including a malformed extension we act on. */
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
  const spkiId = sha256Hex(spki);
  const c: Cert = {
    der: copy(der),
    id: sha256Hex(der),
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
    spkiId,
    nameKey: `${hex(subjectRaw)}/${spkiId}`,
    publicKey,
    extensions,
    ca: false,
    selfIssued: bytesEqual(issuerRaw, subjectRaw),
  };
  for (const e of extensions) {
    switch (e.oid) {
      case EXT.basicConstraints: {
        const bc = extValue(e, 'basicConstraints', (v) => new pkijs.BasicConstraints({ schema: v }));
        c.ca = bc.cA;
        if (bc.pathLenConstraint !== undefined) {
          if (typeof bc.pathLenConstraint !== 'number' || bc.pathLenConstraint < 0) throw new DerError('basicConstraints pathLenConstraint out of range');
          c.pathLen = bc.pathLenConstraint;
        }
        break;
      }
      case EXT.keyUsage:
        c.keyUsage = extValue(e, 'keyUsage', keyUsageBits);
        break;
      case EXT.extKeyUsage:
        c.extendedKeyUsage = extValue(e, 'extendedKeyUsage', extendedKeyUsage);
        break;
      case EXT.ski:
        c.ski = extValue(e, 'subjectKeyIdentifier', (v) => {
          if (!(v instanceof asn1js.OctetString)) throw new DerError('subjectKeyIdentifier is not an OCTET STRING');
          return hex(v.valueBlock.valueHexView);
        });
        break;
      case EXT.aki:
        c.aki = extValue(e, 'authorityKeyIdentifier', akiKeyId);
        break;
      case EXT.san:
        extValue(e, 'subjectAltName', (v) => generalNames(v, 'subjectAltName'));
        break;
      case EXT.ian:
        extValue(e, 'issuerAltName', (v) => generalNames(v, 'issuerAltName'));
        break;
      case EXT.certificatePolicies:
        c.policies = extValue(e, 'certificatePolicies', certificatePolicies);
        break;
      case EXT.policyMappings:
        c.policyMappings = extValue(e, 'policyMappings', policyMappings);
        break;
      case EXT.policyConstraints:
        Object.assign(c, extValue(e, 'policyConstraints', policyConstraints));
        break;
      case EXT.inhibitAnyPolicy:
        c.inhibitAnyPolicy = extValue(e, 'inhibitAnyPolicy', inhibitAnyPolicy);
        break;
    }
  }
  return c;
}

/** The first critical extension of `c` outside `processed`, if any. */
export function unprocessedCritical(c: Cert, processed: ReadonlySet<string> = PROCESSED_CRITICAL): string | undefined {
  return c.extensions.find((e) => e.critical && !processed.has(e.oid))?.oid;
}

const EXT_NAMES: Record<string, string> = Object.fromEntries(Object.entries(EXT).map(([k, v]) => [v, k]));
/** "nameConstraints (2.5.29.30)" or the bare OID. */
export function extensionName(oid: string): string {
  return EXT_NAMES[oid] ? `${EXT_NAMES[oid]} (${oid})` : oid;
}

export function fingerprint(der: Uint8Array): string {
  return sha256Hex(der);
}

export function summarize(c: Cert): CertificateSummary {
  return {
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialHex,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    sha256Fingerprint: c.id,
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

/** Verify `child`'s signature with `issuer`'s key (algorithm floor enforced unless allowWeak; throws AlgError). */
export function certSignedBy(child: Pick<Signed, 'tbs' | 'sigAlg' | 'signature'>, issuer: Cert, allowWeak = false): boolean {
  if (!issuer.publicKey) return false;
  const alg = signatureAlgorithm(child.sigAlg, undefined, allowWeak);
  return verifySignature(alg, issuer.publicKey, child.tbs, child.signature);
}
