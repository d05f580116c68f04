/**
 * Sealing an identity's private key under the holder's password: scrypt
 * (per-identity random salt, parameters stored) derives an AES-256-GCM key;
 * the additional data binds the sealed blob to its identity id, so a blob
 * copied onto another row does not open. Key material is zeroed after use.
 */
import crypto from 'node:crypto';
import { AirlockError } from '../../../shared/errors';

export interface SealKdf {
  N: number;
  r: number;
  p: number;
}

/** 2^17 × 8 × 128 B = 128 MiB and roughly half a second: one unseal per approval or run. */
export const IDENTITY_SCRYPT: Readonly<SealKdf> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

const VERSION = 1;
const NONCE = 12;
const TAG = 16;
const SALT = 32;

export interface Sealed {
  blob: Buffer;
  salt: Buffer;
  kdf: SealKdf;
}

function aad(id: string): Buffer {
  return Buffer.from(`airlock-identity-key/v${VERSION}|${id}`, 'utf8');
}

async function deriveKey(password: string, salt: Buffer, kdf: SealKdf): Promise<Buffer> {
  const pw = Buffer.from(password.normalize('NFC'), 'utf8');
  try {
    return await new Promise<Buffer>((resolve, reject) =>
      crypto.scrypt(pw, salt, 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + (1 << 20) }, (err, key) => (err ? reject(err) : resolve(key))),
    );
  } finally {
    pw.fill(0);
  }
}

/** Seal `plain` (PKCS#8 DER) for identity `id`. The caller zeroes `plain`. */
export async function seal(id: string, plain: Uint8Array, password: string, kdf: SealKdf): Promise<Sealed> {
  const salt = crypto.randomBytes(SALT);
  const key = await deriveKey(password, salt, kdf);
  try {
    const nonce = crypto.randomBytes(NONCE);
    const c = crypto.createCipheriv('aes-256-gcm', key, nonce);
    c.setAAD(aad(id));
    const body = Buffer.concat([c.update(plain), c.final()]);
    return { blob: Buffer.concat([Buffer.from([VERSION]), nonce, body, c.getAuthTag()]), salt, kdf: { ...kdf } };
  } finally {
    key.fill(0);
  }
}

/**
 * Open a sealed key; returns the PKCS#8 DER (the caller zeroes it). A wrong
 * password fails GCM authentication: identity.bad-password.
 */
export async function unsealBytes(id: string, sealed: Sealed, password: string): Promise<Buffer> {
  const { blob } = sealed;
  if (blob.length < 1 + NONCE + TAG + 1 || blob[0] !== VERSION)
    throw new AirlockError('identity.sealed-corrupt', `The sealed key of identity ${id} has an unknown format. Re-import the identity from its PKCS#12 file.`, { id });
  const key = await deriveKey(password, sealed.salt, sealed.kdf);
  try {
    const d = crypto.createDecipheriv('aes-256-gcm', key, blob.subarray(1, 1 + NONCE));
    d.setAAD(aad(id));
    d.setAuthTag(blob.subarray(blob.length - TAG));
    const out = d.update(blob.subarray(1 + NONCE, blob.length - TAG));
    try {
      d.final();
    } catch {
      out.fill(0);
      throw new AirlockError('identity.bad-password', `The password does not open identity ${id}. Enter the password this identity was imported with (or last changed to).`, { id });
    }
    return out;
  } finally {
    key.fill(0);
  }
}
