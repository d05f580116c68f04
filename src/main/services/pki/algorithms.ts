/**
 * Algorithms and the CNSA 1.0 floor (spec §3): which digests, signature
 * algorithms and keys are allowed, and the signature math itself (Node's
 * crypto, i.e. OpenSSL). The floor is decided before any key is used.
 */
import crypto from 'node:crypto';
import type { FailureCode } from '../../../shared/verification';
import { asn1js, decode, pkijs } from './asn1';

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

/** Below-floor algorithms that still chain (path building), so the floor can be reported under 'algorithms'. */
const WEAK_BUT_CHAINABLE: Record<string, SigAlg> = {
  [OID.sha256WithRSA]: { name: 'RSA PKCS#1 v1.5 with SHA-256', hash: 'sha256', kind: 'rsa' },
  [OID.sha1WithRSA]: { name: 'RSA PKCS#1 v1.5 with SHA-1', hash: 'sha1', kind: 'rsa' },
  [OID.ecdsaSha256]: { name: 'ECDSA with SHA-256', hash: 'sha256', kind: 'ecdsa' },
  [OID.ecdsaSha1]: { name: 'ECDSA with SHA-1', hash: 'sha1', kind: 'ecdsa' },
};

/**
 * Resolve an AlgorithmIdentifier used for a signature. `digestOid` is the
 * CMS SignerInfo digestAlgorithm (RSA "rsaEncryption" and EC "id-ecPublicKey"
 * signature OIDs take their hash from it). Throws AlgError below the floor,
 * unless `allowWeak` (path building only: the floor is reported separately).
 */
export function signatureAlgorithm(algId: pkijs.AlgorithmIdentifier, digestOid?: string, allowWeak = false): SigAlg {
  const o = algId.algorithmId;
  if (allowWeak && WEAK_BUT_CHAINABLE[o]) return WEAK_BUT_CHAINABLE[o];
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
