import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { AirlockError } from '../../../shared/errors';
import type { Database } from './migrations/types';

export const DB_NAME = 'vault.db';

export interface OpenDbOptions {
  nativeBinding?: string;
  /** Create if missing (only Vault.create). */
  create?: boolean;
}

const CORRUPT_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_INDEX']);

export function isCorruptError(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return typeof code === 'string' && CORRUPT_CODES.has(code);
}

export function corruptError(file: string, e: unknown): AirlockError {
  return new AirlockError(
    'vault.corrupt',
    `The vault database ${file} is damaged (${(e as { code?: string }).code ?? 'unreadable'}): its pages fail authentication. The key file is intact; restore vault.db from backup.`,
    { file },
  );
}

/**
 * Opens vault.db with SQLCipher-4 compatible encryption and a raw 256-bit key
 * (no PBKDF2 in SQLCipher: the key is already a random data key).
 *
 * Pragmas:
 * - journal_mode=WAL, synchronous=FULL: every committed transaction (audit
 *   records above all) is durable across power loss; NORMAL would be crash-safe
 *   but may lose the last commits on power failure — unacceptable for the audit
 *   trail. Batch writes in transactions to amortise the fsync.
 * - secure_delete=ON: freed pages are zeroed (they are encrypted anyway; this
 *   also scrubs them inside the plaintext page image).
 * - foreign_keys=ON, temp_store=MEMORY (no plaintext temp files on disk),
 *   cache_size 64 MiB, wal_autocheckpoint 4000 pages (~16 MiB WAL).
 * - mmap is left OFF: with an encrypting VFS, mmap would bypass the codec.
 */
/**
 * Everything but the key: WAL, FULL sync (the audit trail must survive power
 * loss), foreign keys, secure_delete, in-memory temp storage. The benchmark
 * applies the same settings to its plain reference database.
 */
export function applyVaultPragmas(db: Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('secure_delete = ON');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -65536');
  db.pragma('wal_autocheckpoint = 4000');
  db.pragma('busy_timeout = 5000');
}

export function openEncryptedDb(file: string, dataKey: Buffer, opts: OpenDbOptions = {}): Database {
  let db: Database;
  try {
    db = new BetterSqlite3(file, {
      fileMustExist: !opts.create,
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    });
  } catch (e) {
    throw new AirlockError('vault.io', `Cannot open the vault database ${file}: ${(e as Error).message}.`, { file });
  }
  try {
    db.pragma(`cipher='sqlcipher'`);
    db.pragma('legacy=4');
    db.pragma(`key="x'${dataKey.toString('hex')}'"`);
    // First real read: fails with NOTADB if page 1 does not authenticate.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    applyVaultPragmas(db);
    return db;
  } catch (e) {
    try {
      db.close();
    } catch {
      /* ignore */
    }
    if (isCorruptError(e)) throw corruptError(file, e);
    throw new AirlockError('vault.io', `Cannot open the vault database ${file}: ${(e as Error).message}.`, { file });
  }
}
