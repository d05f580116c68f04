import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AirlockError } from '../../../shared/errors';
import { MIN_PASSPHRASE_LENGTH, MIN_PASSPHRASE_SCORE, passphraseAcceptable, passphraseStrength } from '../../../shared/passphrase-strength';
import { AuditLog, type AuditVerifyResult } from './audit';
import { AutoLock, type TimerApi } from './autolock';
import { BlobStore, BLOBS_DIR, TMP_DIR } from './blob-store';
import { TrustedClock } from './clock';
import type { VaultContext } from './context';
import { corruptError, DB_NAME, isCorruptError, openEncryptedDb } from './db';
import { dirSizeSync, atomicWriteFileSync, removeDurablySync, fsyncDirSync } from './fsutil';
import { deriveKey, type ScryptParams } from './kdf';
import {
  clearFailedUnlocks,
  KEYFILE_NAME,
  readFailedUnlocks,
  readKeyFile,
  recordFailedUnlock,
  REMEMBERED_NAME,
  unwrapDataKey,
  wrapDataKey,
  writeKeyFile,
  type KeyFile,
} from './keyfile';
import { MIGRATIONS, type Database, type Migration } from './migrations/index';
import { applyMigrations, schemaVersion } from './migrations/runner';
import { INSECURE_BACKENDS, type SecretProtector } from './protector';

export { AuditLog, BlobStore, TrustedClock, AutoLock, MIGRATIONS };
export type { AuditVerifyResult, Database, Migration, ScryptParams, SecretProtector, TimerApi };
export type { AuditEntry, AuditRecord, AuditOutcome } from './audit';
export type { ClockStatus } from './clock';
export type { BlobInfo } from './blob-store';
export { DEFAULT_SCRYPT } from './kdf';
export { INSECURE_BACKENDS } from './protector';
export { KEYFILE_NAME } from './keyfile';
export { DB_NAME } from './db';
export { Statements, type Statement } from './statements';

export interface VaultOpenOptions {
  /** Actor name for audit records (default: stored operator, else OS user name). Stored at create. */
  operator?: string;
  /** Override scrypt parameters (tests only; production uses DEFAULT_SCRYPT). */
  kdf?: Partial<ScryptParams>;
  /** System clock (tests). */
  now?: () => Date;
  /** Path to a better-sqlite3-multiple-ciphers .node binary (Electron ABI). */
  nativeBinding?: string;
  /** Idle auto-lock; overrides the stored setting for this session. 0 disables. */
  autoLockMinutes?: number;
  /** Timers for the auto-lock (tests). */
  timers?: TimerApi;
  /** Told after the vault locks (manually or on idle), e.g. to notify the renderer. */
  onLock?: (reason: 'manual' | 'idle') => void;
  /** @internal tests: migrate only with this list (to build older vaults). */
  migrations?: readonly Migration[];
  /** @internal tests/bench: blob chunk size. */
  blobChunkSize?: number;
}

export interface VaultStatus {
  dir: string;
  locked: boolean;
  sizeBytes: number;
  createdAt: string;
  schemaVersion: number;
  lastCheck?: { at: string; ok: boolean; records: number };
  autoLockMinutes: number;
}

export type VaultCheckResult = AuditVerifyResult & { integrity: 'ok' | string };

export const DEFAULT_AUTOLOCK_MINUTES = 15;
const REMEMBER_FORMAT = 'airlock-vault-remembered';

function lockedError(): AirlockError {
  return new AirlockError('vault.locked', 'The vault is locked. Unlock it with your passphrase to continue.');
}

function osUser(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

function setMeta(db: Database, key: string, value: string): void {
  db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
function getMeta(db: Database, key: string): string | undefined {
  return db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value;
}

function kcv(dataKey: Buffer, vaultId: string): string {
  return crypto.createHmac('sha384', deriveKey(dataKey, 'key-check')).update(vaultId).digest('hex');
}

/** Undo a half-done create/open: stop the timer, close the DB, zero the key. */
function abandonOpen(vault: Vault | undefined, db: Database | undefined, dataKey: Buffer): void {
  vault?.stopAutoLock();
  try {
    db?.close();
  } catch {
    /* already failing: the original error is what the caller reports */
  }
  dataKey.fill(0);
}

/**
 * An Airlock vault: a folder holding an SQLCipher-encrypted `vault.db`, the
 * passphrase-wrapped data key (`vault.key.json`) and encrypted blobs.
 */
export class Vault {
  readonly blobs: BlobStore;
  readonly audit: AuditLog;
  readonly clock: TrustedClock;

  private _db: Database | null;
  private dataKey: Buffer;
  private readonly derived = new Map<string, Buffer>();
  private readonly autoLock: AutoLock;
  private readonly systemNow: () => Date;
  private readonly operator: string;
  private readonly onLock: ((reason: 'manual' | 'idle') => void) | undefined;
  private schemaVer: number;
  private createdAt: string;
  private lastCheck: VaultStatus['lastCheck'];
  private readonly kdfOverride: Partial<ScryptParams> | undefined;

  private constructor(
    readonly dir: string,
    readonly vaultId: string,
    db: Database,
    dataKey: Buffer,
    opts: VaultOpenOptions,
  ) {
    this._db = db;
    this.dataKey = dataKey;
    this.systemNow = opts.now ?? (() => new Date());
    this.kdfOverride = opts.kdf;
    this.operator = opts.operator ?? getMeta(db, 'operator') ?? osUser();
    this.onLock = opts.onLock;
    this.schemaVer = schemaVersion(db);
    this.createdAt = getMeta(db, 'created_at') ?? '';
    const lc = getMeta(db, 'last_check');
    this.lastCheck = lc ? (JSON.parse(lc) as VaultStatus['lastCheck']) : undefined;
    const ctx: VaultContext = {
      dir,
      vaultId,
      db: () => this.db,
      assertUnlocked: () => {
        if (!this._db) throw lockedError();
      },
      key: (purpose) => this.key(purpose),
      now: () => this.clock.now(),
      defaultActor: () => this.operator,
    };
    this.audit = new AuditLog(ctx);
    this.clock = new TrustedClock(ctx, this.systemNow);
    this.blobs = new BlobStore(ctx, opts.blobChunkSize);
    const stored = Number(getMeta(db, 'autolock_minutes') ?? DEFAULT_AUTOLOCK_MINUTES);
    this.autoLock = new AutoLock({
      minutes: opts.autoLockMinutes ?? (Number.isFinite(stored) ? stored : DEFAULT_AUTOLOCK_MINUTES),
      onIdle: () => this.lock('idle'),
      ...(opts.timers ? { timers: opts.timers } : {}),
    });
  }

  // ---------------------------------------------------------------- lifecycle

  static exists(dir: string): boolean {
    return fs.existsSync(path.join(dir, KEYFILE_NAME));
  }

  static async create(dir: string, passphrase: string, opts: VaultOpenOptions = {}): Promise<Vault> {
    if (!passphraseAcceptable(passphrase)) {
      const s = passphraseStrength(passphrase);
      throw new AirlockError(
        'vault.weak-passphrase',
        `The passphrase is too weak (score ${s.score}/4; need ${MIN_PASSPHRASE_SCORE}+ and at least ${MIN_PASSPHRASE_LENGTH} characters). ${s.feedback.join(' ')}`.trim(),
        { score: s.score },
      );
    }
    dir = path.resolve(dir);
    if (fs.existsSync(dir)) {
      if (!fs.statSync(dir).isDirectory()) throw new AirlockError('vault.not-a-directory', `${dir} is a file. Choose an empty folder for the new vault.`, { dir });
      if (Vault.exists(dir)) throw new AirlockError('vault.exists', `A vault already exists in ${dir}. Unlock it instead, or choose an empty folder.`, { dir });
      if (fs.readdirSync(dir).length > 0) throw new AirlockError('vault.dir-not-empty', `${dir} is not empty. Choose an empty or new folder for the vault.`, { dir });
    }
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.mkdirSync(path.join(dir, TMP_DIR), { mode: 0o700 });
    fs.mkdirSync(path.join(dir, BLOBS_DIR), { mode: 0o700 });
    const dataKey = crypto.randomBytes(32);
    const vaultId = crypto.randomUUID();
    const now = opts.now ?? (() => new Date());
    let db: Database | undefined;
    let vault: Vault | undefined;
    try {
      db = openEncryptedDb(path.join(dir, DB_NAME), dataKey, { create: true, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
      applyMigrations(db, opts.migrations ?? MIGRATIONS);
      const createdAt = now().toISOString();
      const d = db;
      d.transaction(() => {
        setMeta(d, 'vault_id', vaultId);
        setMeta(d, 'created_at', createdAt);
        setMeta(d, 'autolock_minutes', String(opts.autoLockMinutes ?? DEFAULT_AUTOLOCK_MINUTES));
        if (opts.operator) setMeta(d, 'operator', opts.operator);
      })();
      vault = new Vault(dir, vaultId, db, dataKey, opts);
      const kf = await wrapDataKey(dataKey, passphrase, vaultId, createdAt, opts.kdf);
      vault.audit.append({ action: 'vault.created', target: dir, outcome: 'success', detail: { vaultId, kdf: `scrypt N=${kf.kdf.N} r=${kf.kdf.r} p=${kf.kdf.p}`, schemaVersion: vault.schemaVer } });
      // The key file is written last: its presence marks a complete vault.
      writeKeyFile(dir, kf);
      vault.audit.writeHeadSidecar();
      fsyncDirSync(dir);
      return vault;
    } catch (e) {
      abandonOpen(vault, db, dataKey);
      for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
      throw e;
    }
  }

  static async unlock(dir: string, passphrase: string, opts: VaultOpenOptions = {}): Promise<Vault> {
    dir = path.resolve(dir);
    const kf = readKeyFile(dir);
    let dataKey: Buffer;
    try {
      dataKey = await unwrapDataKey(kf, passphrase);
    } catch (e) {
      if (e instanceof AirlockError && e.code === 'vault.wrong-passphrase') recordFailedUnlock(dir, (opts.now ?? (() => new Date()))());
      throw e;
    }
    return Vault.openWithKey(dir, kf, dataKey, opts, 'passphrase');
  }

  private static openWithKey(dir: string, kf: KeyFile, dataKey: Buffer, opts: VaultOpenOptions, method: string): Vault {
    const file = path.join(dir, DB_NAME);
    if (!fs.existsSync(file)) {
      dataKey.fill(0);
      throw new AirlockError('vault.corrupt', `The vault database ${file} is missing. Restore it from backup.`, { file });
    }
    let db: Database | undefined;
    let vault: Vault | undefined;
    try {
      db = openEncryptedDb(file, dataKey, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
      const ver = schemaVersion(db);
      if (ver >= 1) {
        const id = getMeta(db, 'vault_id');
        if (id !== kf.vaultId)
          throw new AirlockError('vault.mismatch', `The database in ${dir} belongs to a different vault than its key file. Restore the matching vault.db and vault.key.json together.`, { dir });
      }
      applyMigrations(db, opts.migrations ?? MIGRATIONS);
      vault = new Vault(dir, kf.vaultId, db, dataKey, opts);
      const swept = vault.blobs.sweepTemp();
      const failed = readFailedUnlocks(dir);
      const v = vault;
      vault.transaction(() => {
        for (const t of failed.times) v.audit.append({ action: 'vault.unlock-failed', target: dir, outcome: 'failure', detail: { attemptedAt: t, reason: 'wrong passphrase' } });
        if (failed.count > failed.times.length)
          v.audit.append({ action: 'vault.unlock-failed', target: dir, outcome: 'failure', detail: { unrecordedAttempts: failed.count - failed.times.length } });
        v.audit.append({ action: 'vault.unlocked', target: dir, outcome: 'success', detail: { method, schemaVersion: v.schemaVer, ...(swept ? { tempFilesSwept: swept } : {}) } });
      });
      if (failed.count) clearFailedUnlocks(dir);
      return vault;
    } catch (e) {
      abandonOpen(vault, db, dataKey);
      if (isCorruptError(e)) throw corruptError(file, e);
      throw e;
    }
  }

  /** @internal for abandonOpen */
  stopAutoLock(): void {
    this.autoLock.stop();
  }

  /** Closes the DB and zeroes key material. Idempotent. */
  lock(reason: 'manual' | 'idle' = 'manual'): void {
    const db = this._db;
    if (!db) return;
    this.autoLock.stop();
    try {
      this.clock.persist();
      this.audit.append({ action: 'vault.locked', target: this.dir, outcome: 'success', detail: { reason } });
      this.audit.writeHeadSidecar();
    } catch {
      /* locking must not fail: the DB is closed below regardless */
    }
    this._db = null;
    try {
      db.close();
    } finally {
      this.dataKey.fill(0);
      for (const k of this.derived.values()) k.fill(0);
      this.derived.clear();
    }
    this.onLock?.(reason);
  }

  /** The name audit records carry by default (given at create, else the OS user). */
  get operatorName(): string {
    return this.operator;
  }

  get locked(): boolean {
    return this._db === null;
  }

  /** Record user activity (resets the idle auto-lock). */
  touch(): void {
    this.autoLock.touch();
  }

  get db(): Database {
    if (!this._db) throw lockedError();
    this.autoLock.touch();
    return this._db;
  }

  /** Runs fn in an IMMEDIATE transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  private key(purpose: 'blob' | 'blob-name' | 'audit-head'): Buffer {
    if (!this._db) throw lockedError();
    let k = this.derived.get(purpose);
    if (!k) {
      k = deriveKey(this.dataKey, purpose);
      this.derived.set(purpose, k);
    }
    return k;
  }

  // ---------------------------------------------------------------- settings & status

  get autoLockMinutes(): number {
    return this.autoLock.minutes;
  }

  setAutoLockMinutes(minutes: number): void {
    if (!Number.isFinite(minutes) || minutes < 0) throw new AirlockError('vault.bad-setting', 'Auto-lock minutes must be 0 (off) or a positive number.');
    setMeta(this.db, 'autolock_minutes', String(minutes));
    this.autoLock.setMinutes(minutes);
  }

  status(): VaultStatus {
    if (this._db) this.schemaVer = schemaVersion(this._db);
    return {
      dir: this.dir,
      locked: this.locked,
      sizeBytes: dirSizeSync(this.dir),
      createdAt: this.createdAt,
      schemaVersion: this.schemaVer,
      ...(this.lastCheck ? { lastCheck: this.lastCheck } : {}),
      autoLockMinutes: this.autoLock.minutes,
    };
  }

  /** Full check: SQLite integrity_check (every page decrypted and authenticated) + audit chain. */
  check(): VaultCheckResult {
    const db = this.db;
    let integrity: string;
    try {
      const rows = db.pragma('integrity_check') as { integrity_check: string }[];
      integrity = rows.map((r) => r.integrity_check).join('; ');
    } catch (e) {
      integrity = `${(e as { code?: string }).code ?? 'error'}: ${(e as Error).message}`;
    }
    let audit: AuditVerifyResult;
    try {
      audit = this.audit.verify();
    } catch (e) {
      audit = { ok: false, records: 0, firstBroken: { seq: 0, reason: `audit unreadable: ${(e as Error).message}` } };
    }
    const ok = audit.ok && integrity === 'ok';
    const at = this.clock.now().toISOString();
    this.lastCheck = { at, ok, records: audit.records };
    try {
      setMeta(db, 'last_check', JSON.stringify(this.lastCheck));
      this.audit.append({
        action: 'vault.check',
        target: this.dir,
        outcome: ok ? 'success' : 'failure',
        detail: { integrity, records: audit.records, ...(audit.firstBroken ? { brokenSeq: audit.firstBroken.seq, reason: audit.firstBroken.reason } : {}) },
      });
      if (ok) this.audit.writeHeadSidecar();
    } catch {
      /* a damaged DB may refuse writes; the result is still reported */
    }
    return { ...audit, integrity };
  }

  /**
   * Deep check of every stored blob: decrypt, authenticate and re-hash each one
   * (reads skip the re-hash because each file is bound to its row). Slow on
   * large vaults, so it is separate from check(). Audited.
   */
  async checkBlobs(onProgress?: (done: number, total: number) => void): Promise<{ checked: number; bad: { sha384: string; code: string; message: string }[] }> {
    const all = this.db.prepare<[], { sha384: string }>('SELECT sha384 FROM blobs ORDER BY sha384').all().map((r) => r.sha384);
    const bad: { sha384: string; code: string; message: string }[] = [];
    for (const [i, sha384] of all.entries()) {
      try {
        await this.blobs.verify(sha384);
      } catch (e) {
        bad.push({ sha384, code: e instanceof AirlockError ? e.code : 'blob.corrupt', message: (e as Error).message });
      }
      onProgress?.(i + 1, all.length);
    }
    this.audit.append({
      action: 'vault.blobs-checked',
      target: this.dir,
      outcome: bad.length ? 'failure' : 'success',
      detail: { checked: all.length, bad: bad.length, ...(bad[0] ? { firstBad: bad[0].sha384 } : {}) },
    });
    return { checked: all.length, bad };
  }

  // ---------------------------------------------------------------- passphrase

  /** Re-wraps the data key under a new passphrase. Only the key file changes; vault.db is not rewritten. */
  async changePassphrase(oldPass: string, newPass: string): Promise<void> {
    if (!this._db) throw lockedError();
    const kf = readKeyFile(this.dir);
    let key: Buffer;
    try {
      key = await unwrapDataKey(kf, oldPass);
    } catch (e) {
      if (this._db) this.audit.append({ action: 'vault.passphrase-change-failed', target: this.dir, outcome: 'failure', detail: { reason: 'wrong current passphrase' } });
      throw e;
    }
    try {
      if (!this._db) throw lockedError();
      if (key.length !== this.dataKey.length || !crypto.timingSafeEqual(key, this.dataKey))
        throw new AirlockError('vault.mismatch', 'The key file no longer matches the open vault. Lock and unlock the vault, then try again.');
      if (!passphraseAcceptable(newPass)) {
        const s = passphraseStrength(newPass);
        throw new AirlockError('vault.weak-passphrase', `The new passphrase is too weak (score ${s.score}/4). ${s.feedback.join(' ')}`.trim(), { score: s.score });
      }
      const next = await wrapDataKey(key, newPass, kf.vaultId, kf.createdAt, this.kdfOverride);
      writeKeyFile(this.dir, next);
      this.audit.append({ action: 'vault.passphrase-changed', target: this.dir, outcome: 'success', detail: { kdf: `scrypt N=${next.kdf.N} r=${next.kdf.r} p=${next.kdf.p}` } });
    } finally {
      key.fill(0);
    }
  }

  // ---------------------------------------------------------------- remember on this machine

  /** Store the data key protected by the OS keystore (refuses insecure backends). */
  rememberOnThisMachine(protector: SecretProtector): void {
    if (!this._db) throw lockedError();
    if (!protector.isAvailable())
      throw new AirlockError('vault.remember-unavailable', 'This machine has no OS key store available, so the vault cannot be remembered. Unlock with your passphrase instead.');
    const backend = protector.backend();
    if (INSECURE_BACKENDS.has(backend))
      throw new AirlockError(
        'vault.remember-insecure',
        `The OS key store here ("${backend || 'none'}") stores secrets without real protection, so Airlock will not remember the vault key. Set up a keyring (e.g. GNOME Keyring or KWallet), or unlock with your passphrase.`,
        { backend },
      );
    const body = {
      format: REMEMBER_FORMAT,
      version: 1,
      vaultId: this.vaultId,
      backend,
      kcv: kcv(this.dataKey, this.vaultId),
      protected: protector.encrypt(Buffer.from(this.dataKey)).toString('base64'),
    };
    atomicWriteFileSync(path.join(this.dir, REMEMBERED_NAME), JSON.stringify(body) + '\n');
    this.audit.append({ action: 'vault.remembered', target: this.dir, outcome: 'success', detail: { backend } });
  }

  static isRemembered(dir: string): boolean {
    return fs.existsSync(path.join(dir, REMEMBERED_NAME));
  }

  static async unlockRemembered(dir: string, protector: SecretProtector, opts: VaultOpenOptions = {}): Promise<Vault> {
    dir = path.resolve(dir);
    const kf = readKeyFile(dir);
    const fail = (why: string): AirlockError =>
      new AirlockError('vault.remember-failed', `The remembered key for this vault could not be used (${why}). Unlock with your passphrase.`, { dir });
    let body: { format: string; vaultId: string; backend: string; kcv: string; protected: string };
    try {
      body = JSON.parse(fs.readFileSync(path.join(dir, REMEMBERED_NAME), 'utf8')) as typeof body;
    } catch {
      throw new AirlockError('vault.not-remembered', 'This vault is not remembered on this machine. Unlock it with your passphrase.', { dir });
    }
    if (body.format !== REMEMBER_FORMAT || body.vaultId !== kf.vaultId) throw fail('it belongs to another vault');
    if (!protector.isAvailable() || INSECURE_BACKENDS.has(protector.backend())) throw fail('the OS key store is unavailable or insecure');
    let key: Buffer;
    try {
      key = protector.decrypt(Buffer.from(body.protected, 'base64'));
    } catch {
      throw fail('the OS key store could not decrypt it');
    }
    if (key.length !== 32 || kcv(key, kf.vaultId) !== body.kcv) {
      key.fill(0);
      throw fail('it does not match the vault key');
    }
    return Vault.openWithKey(dir, kf, key, opts, 'remembered');
  }

  /** Delete the remembered key for this vault. */
  forget(): void {
    removeDurablySync(path.join(this.dir, REMEMBERED_NAME));
    if (this._db) this.audit.append({ action: 'vault.forgotten', target: this.dir, outcome: 'success' });
  }

  static forgetRemembered(dir: string): void {
    removeDurablySync(path.join(dir, REMEMBERED_NAME));
  }
}
