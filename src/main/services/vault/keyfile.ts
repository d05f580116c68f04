import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { AirlockError } from '../../../shared/errors';
import { atomicWriteFileSync, removeDurablySync } from './fsutil';
import { resolveScrypt, scryptKek, validScrypt, type ScryptParams } from './kdf';

export const KEYFILE_NAME = 'vault.key.json';
export const FAILED_UNLOCKS_NAME = 'failed-unlocks.json';
export const REMEMBERED_NAME = 'vault.remembered.json';
export const KEYFILE_FORMAT = 'airlock-vault-key';
export const KEYFILE_VERSION = 1;

export interface KeyFile {
  format: typeof KEYFILE_FORMAT;
  version: number;
  vaultId: string;
  createdAt: string;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; maxmem: number; salt: string };
  wrap: { alg: 'A256GCM'; nonce: string; tag: string; ciphertext: string };
}

function aad(vaultId: string, version: number, kdf: KeyFile['kdf']): Buffer {
  // Binds the wrapped key to this vault, this format version and the KDF parameters.
  return Buffer.from(
    JSON.stringify([KEYFILE_FORMAT, version, vaultId, kdf.name, kdf.N, kdf.r, kdf.p, kdf.maxmem, kdf.salt]),
    'utf8',
  );
}

export async function wrapDataKey(
  dataKey: Buffer,
  passphrase: string,
  vaultId: string,
  createdAt: string,
  kdfParams?: Partial<ScryptParams>,
): Promise<KeyFile> {
  const k = resolveScrypt(kdfParams);
  const salt = crypto.randomBytes(32);
  const kdf: KeyFile['kdf'] = { name: 'scrypt', ...k, salt: salt.toString('base64') };
  const kek = await scryptKek(passphrase, salt, k);
  try {
    const nonce = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', kek, nonce);
    c.setAAD(aad(vaultId, KEYFILE_VERSION, kdf));
    const ct = Buffer.concat([c.update(dataKey), c.final()]);
    return {
      format: KEYFILE_FORMAT,
      version: KEYFILE_VERSION,
      vaultId,
      createdAt,
      kdf,
      wrap: { alg: 'A256GCM', nonce: nonce.toString('base64'), tag: c.getAuthTag().toString('base64'), ciphertext: ct.toString('base64') },
    };
  } finally {
    kek.fill(0);
  }
}

/** Returns the data key, or throws vault.wrong-passphrase. */
export async function unwrapDataKey(kf: KeyFile, passphrase: string): Promise<Buffer> {
  const salt = Buffer.from(kf.kdf.salt, 'base64');
  const kek = await scryptKek(passphrase, salt, kf.kdf);
  try {
    const d = crypto.createDecipheriv('aes-256-gcm', kek, Buffer.from(kf.wrap.nonce, 'base64'));
    d.setAAD(aad(kf.vaultId, kf.version, kf.kdf));
    d.setAuthTag(Buffer.from(kf.wrap.tag, 'base64'));
    const key = Buffer.concat([d.update(Buffer.from(kf.wrap.ciphertext, 'base64')), d.final()]);
    if (key.length !== 32) throw new Error('bad key length');
    return key;
  } catch {
    throw new AirlockError(
      'vault.wrong-passphrase',
      'The passphrase does not unlock this vault. Check the passphrase (and keyboard layout) and try again.',
      { vaultId: kf.vaultId },
    );
  } finally {
    kek.fill(0);
  }
}

export function keyfilePath(dir: string): string {
  return path.join(dir, KEYFILE_NAME);
}

export function readKeyFile(dir: string): KeyFile {
  const file = keyfilePath(dir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new AirlockError('vault.not-found', `No vault at ${dir}: the key file ${KEYFILE_NAME} is missing. Check the folder, or create a vault with "airlock vault init".`, { dir });
    throw new AirlockError('vault.io', `Cannot read the vault key file: ${(e as Error).message}. Check permissions on ${dir}.`, { file });
  }
  let kf: KeyFile;
  try {
    kf = JSON.parse(text) as KeyFile;
  } catch {
    throw new AirlockError('vault.keyfile-corrupt', `The vault key file ${file} is not valid JSON. Restore it from backup; without it the vault cannot be opened.`, { file });
  }
  if (kf?.format !== KEYFILE_FORMAT || typeof kf.vaultId !== 'string' || !kf.kdf || !kf.wrap)
    throw new AirlockError('vault.keyfile-corrupt', `The vault key file ${file} is damaged or not an Airlock key file. Restore it from backup.`, { file });
  if (kf.version > KEYFILE_VERSION)
    throw new AirlockError('vault.keyfile-newer', `The vault key file was written by a newer Airlock (format ${kf.version}). Update Airlock to open this vault.`, { file, version: kf.version });
  if (kf.kdf.name !== 'scrypt' || !validScrypt(kf.kdf))
    throw new AirlockError('vault.keyfile-corrupt', `The vault key file ${file} has unsupported key-derivation parameters. Restore it from backup.`, { file });
  return kf;
}

export function writeKeyFile(dir: string, kf: KeyFile): void {
  atomicWriteFileSync(keyfilePath(dir), JSON.stringify(kf, null, 2) + '\n');
}

/*
 * Failed unlock attempts cannot be written to the audit log (it lives inside the
 * encrypted DB). They are recorded in a separate small file, failed-unlocks.json
 * (timestamps only, no secrets) — NOT in the key file, so a failed attempt never
 * rewrites the key file. The next successful unlock appends one
 * `vault.unlock-failed` audit record per attempt and deletes the file.
 */
export interface FailedUnlocks {
  count: number;
  /** ISO times of the most recent attempts (capped). */
  times: string[];
}
const MAX_FAILED_TIMES = 1000;

export function readFailedUnlocks(dir: string): FailedUnlocks {
  try {
    const v = JSON.parse(fs.readFileSync(path.join(dir, FAILED_UNLOCKS_NAME), 'utf8')) as FailedUnlocks;
    if (typeof v.count === 'number' && Array.isArray(v.times)) return v;
  } catch {
    /* missing or damaged: treat as none recorded */
  }
  return { count: 0, times: [] };
}

export function recordFailedUnlock(dir: string, at: Date): void {
  const v = readFailedUnlocks(dir);
  v.count += 1;
  v.times.push(at.toISOString());
  if (v.times.length > MAX_FAILED_TIMES) v.times.splice(0, v.times.length - MAX_FAILED_TIMES);
  try {
    atomicWriteFileSync(path.join(dir, FAILED_UNLOCKS_NAME), JSON.stringify(v) + '\n');
  } catch {
    /* read-only media etc.: the wrong-passphrase error is still reported */
  }
}

export function clearFailedUnlocks(dir: string): void {
  removeDurablySync(path.join(dir, FAILED_UNLOCKS_NAME));
}
