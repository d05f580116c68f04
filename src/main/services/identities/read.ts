/**
 * Reading an identity from what people hold: a PKCS#12 file (OpenSSL 3's
 * default AES-256-CBC/PBKDF2 with a SHA-256 MAC, or the legacy
 * 3DES/RC2-40 form: node-forge decrypts both), or a PEM/DER private key
 * (encrypted PKCS#8 or not) with its certificate and chain. The outcome is
 * the private key as a Node KeyObject and the certificates as DER; which
 * certificate is the identity's is decided by the caller (key match).
 *
 * node-forge keeps decrypted key bytes in JS strings, which cannot be zeroed;
 * they become garbage as soon as this function returns (see the report).
 */
import crypto from 'node:crypto';
import forge from 'node-forge';
import { AirlockError } from '../../../shared/errors';
import { readPemOrDer } from '../pki';

export interface IdentityMaterial {
  key: crypto.KeyObject;
  /** Every certificate in the input, DER, in input order. */
  certificates: Uint8Array[];
}

const OIDS = {
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
} as const;

function forgeDer(a: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(a).getBytes(), 'binary');
}

/** PKCS#8 PrivateKeyInfo DER of a key bag: forge decodes RSA keys into objects and leaves others (EC) as ASN.1. */
function bagKeyDer(bag: forge.pkcs12.Bag): Buffer {
  if (bag.key) return forgeDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)));
  if (bag.asn1) return forgeDer(bag.asn1);
  throw new AirlockError('identity.malformed', 'A private key in the PKCS#12 file could not be read.');
}

/** Certificate DER of a cert bag: forge parses RSA certificates (keeping the signed tbs as read), others stay ASN.1. */
function bagCertDer(bag: forge.pkcs12.Bag): Buffer | undefined {
  if (bag.cert) return forgeDer(forge.pki.certificateToAsn1(bag.cert));
  if (bag.asn1) return forgeDer(bag.asn1);
  return undefined;
}

function keyFromPkcs8(der: Buffer, what: string): crypto.KeyObject {
  try {
    return crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch (e) {
    throw new AirlockError('identity.malformed', `The private key in ${what} is not a usable PKCS#8 key: ${(e as Error).message}.`);
  } finally {
    der.fill(0);
  }
}

/**
 * forge takes one password string for both the MAC (PKCS#12 KDF over the
 * password as BMPString) and PBES2 (PBKDF2 over its bytes). OpenSSL feeds
 * PBES2 the UTF-8 bytes, which forge's binary strings only match for ASCII;
 * so for a non-ASCII password whose MAC verified but whose PBES2 content did
 * not decrypt, the content is decrypted again with the UTF-8 form, the MAC
 * having already been checked with the first pass.
 */
function openPfx(asn: forge.asn1.Asn1, bytes: Uint8Array, password: string): forge.pkcs12.Pkcs12Pfx {
  try {
    return forge.pkcs12.pkcs12FromAsn1(asn, true, password);
  } catch (e) {
    const utf8 = forge.util.encodeUtf8(password);
    if (utf8 === password || !/decrypt/i.test((e as Error).message)) throw e;
    const again = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary')), true);
    if (!Array.isArray(again.value) || again.value.length !== 3) throw e;
    again.value.pop(); // macData, verified above
    return forge.pkcs12.pkcs12FromAsn1(again, true, utf8);
  }
}

/** Read a PKCS#12 (.p12/.pfx) file. Throws identity.bad-password, identity.malformed, identity.no-private-key, identity.several-keys. */
export function readPkcs12(bytes: Uint8Array, password: string, what = 'the PKCS#12 file'): IdentityMaterial {
  let asn: forge.asn1.Asn1;
  try {
    asn = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary')), true);
  } catch (e) {
    throw new AirlockError('identity.malformed', `${what} is not a PKCS#12 file (not DER): ${(e as Error).message}. Give the .p12/.pfx file, or a PEM key with --cert.`);
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = openPfx(asn, bytes, password);
  } catch (e) {
    const m = (e as Error).message;
    if (/MAC could not be verified|Invalid password|wrong password|decrypt/i.test(m))
      throw new AirlockError('identity.bad-password', `The password does not open ${what}. Enter the password it was exported with.`);
    throw new AirlockError('identity.malformed', `${what} is not a readable PKCS#12 file: ${m}.`);
  }
  const keys: forge.pkcs12.Bag[] = [];
  const certificates: Uint8Array[] = [];
  for (const sc of p12.safeContents)
    for (const bag of sc.safeBags) {
      if (bag.type === OIDS.keyBag || bag.type === OIDS.shroudedKeyBag) keys.push(bag);
      else if (bag.type === OIDS.certBag) {
        const der = bagCertDer(bag);
        if (der) certificates.push(new Uint8Array(der));
      }
    }
  if (keys.length === 0) throw new AirlockError('identity.no-private-key', `${what} holds certificates but no private key. Export the identity with its key (openssl pkcs12 -export -inkey KEY -in CERT).`);
  if (keys.length > 1)
    throw new AirlockError('identity.several-keys', `${what} holds ${keys.length} private keys; an identity has exactly one. Export each identity to its own file.`, { keys: keys.length });
  return { key: keyFromPkcs8(bagKeyDer(keys[0]!), what), certificates };
}

const PEM_KEY = /-----BEGIN ((?:ENCRYPTED |RSA |EC )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/g;

/** Read a PEM (or DER PKCS#8) private key, decrypting it with `password` when it is encrypted. */
export function readPrivateKey(bytes: Uint8Array, password: string, what = 'the key file'): crypto.KeyObject {
  const text = Buffer.from(bytes).toString('latin1');
  const blocks = text.match(PEM_KEY) ?? [];
  if (blocks.length > 1)
    throw new AirlockError('identity.several-keys', `${what} holds ${blocks.length} private keys; an identity has exactly one. Put one key in the file.`, { keys: blocks.length });
  if (blocks.length === 0 && /-----BEGIN /.test(text)) {
    throw new AirlockError('identity.no-private-key', `${what} holds no PEM private key. Give the private key file first and the certificate with --cert.`);
  }
  const encrypted = blocks[0]?.includes('ENCRYPTED') || (blocks[0] !== undefined && /Proc-Type: 4,ENCRYPTED/.test(blocks[0]));
  try {
    if (blocks.length === 1) return crypto.createPrivateKey(encrypted ? { key: blocks[0]!, format: 'pem', passphrase: password } : { key: blocks[0]!, format: 'pem' });
    return crypto.createPrivateKey({ key: Buffer.from(bytes), format: 'der', type: 'pkcs8', ...(password ? { passphrase: password } : {}) });
  } catch (e) {
    const m = (e as Error).message;
    if (encrypted && /bad decrypt|decrypt|passphrase/i.test(m)) throw new AirlockError('identity.bad-password', `The password does not decrypt ${what}. Enter the password the key was encrypted with.`);
    throw new AirlockError('identity.malformed', `${what} is not a readable private key: ${m}.`);
  }
}

/** Certificates (PEM or DER) from a certificate or chain file. */
export function readCertificates(bytes: Uint8Array, what: string): Uint8Array[] {
  let ders: Uint8Array[];
  try {
    ders = readPemOrDer(bytes);
  } catch (e) {
    throw new AirlockError('identity.malformed', `${what} is not a PEM or DER certificate file: ${(e as Error).message}.`);
  }
  if (ders.length === 0) throw new AirlockError('identity.no-certificate', `${what} holds no certificate.`);
  return ders;
}
