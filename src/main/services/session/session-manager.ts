/**
 * The vault session's lifecycle: create, unlock (passphrase or remembered
 * key) and lock run one at a time, in the order they were asked for. Two
 * unlock requests (a double click) therefore open one vault: the second finds
 * the first's session. Each session carries a token, and a vault's lock
 * callback ends only the session it belongs to, so a stale vault's idle timer
 * can never lock a newer session.
 */
import { AirlockError } from '../../../shared/errors';
import { Vault, type SecretProtector, type VaultOpenOptions } from '../vault';
import { VaultSession } from './vault-session';

export type LockReason = 'manual' | 'idle';

export interface SessionManagerOptions {
  vaultDir: string;
  /** Options for every open (KDF and clock for tests, the Electron-ABI SQLite module). */
  openOptions?: Omit<VaultOpenOptions, 'onLock' | 'operator'>;
  /** A session began. */
  onStarted?(session: VaultSession): void;
  /** A session ended (the vault locked, by request or when idle). */
  onEnded?(reason: LockReason): void;
}

export class SessionManager {
  private current: { session: VaultSession; token: object } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: SessionManagerOptions) {}

  get vaultDir(): string {
    return this.opts.vaultDir;
  }

  vaultExists(): boolean {
    return Vault.exists(this.opts.vaultDir);
  }

  /** The unlocked session, if any. */
  get session(): VaultSession | undefined {
    return this.current?.session.active ? this.current.session : undefined;
  }

  /** The unlocked session, or a clear error saying what to do. */
  require(): VaultSession {
    const s = this.session;
    if (s) return s;
    const exists = this.vaultExists();
    throw new AirlockError(
      exists ? 'vault.locked' : 'vault.missing',
      exists ? 'The vault is locked. Unlock it with your passphrase to continue.' : 'No vault exists yet. Create one first.',
    );
  }

  create(passphrase: string, operator: string): Promise<VaultSession> {
    return this.serialized(async () => {
      if (this.vaultExists()) throw new AirlockError('vault.exists', `A vault already exists at ${this.opts.vaultDir}. Unlock it instead.`);
      return this.open((onLock) => Vault.create(this.opts.vaultDir, passphrase, { ...this.opts.openOptions, operator, onLock }));
    });
  }

  unlock(passphrase: string): Promise<VaultSession> {
    return this.serialized(async () => {
      const open = this.session;
      if (open) return open;
      if (!this.vaultExists()) throw new AirlockError('vault.missing', 'No vault exists yet. Create one first.');
      return this.open((onLock) => Vault.unlock(this.opts.vaultDir, passphrase, { ...this.opts.openOptions, onLock }));
    });
  }

  unlockRemembered(protector: SecretProtector): Promise<VaultSession> {
    return this.serialized(async () => {
      const open = this.session;
      if (open) return open;
      return this.open((onLock) => Vault.unlockRemembered(this.opts.vaultDir, protector, { ...this.opts.openOptions, onLock }));
    });
  }

  /** Lock after whatever create/unlock is in flight has finished. */
  lock(reason: LockReason = 'manual'): Promise<void> {
    return this.serialized(async () => this.lockNow(reason));
  }

  /** Lock at once (app quit): the vault closes and its key is zeroed. */
  lockNow(reason: LockReason = 'manual'): void {
    // Vault.lock calls back into ended(), which disposes the session.
    this.current?.session.vault.lock(reason);
    this.current = undefined;
  }

  private async open(opener: (onLock: (reason: LockReason) => void) => Promise<Vault>): Promise<VaultSession> {
    const token = {};
    const vault = await opener((reason) => this.ended(token, reason));
    const session = new VaultSession(vault);
    this.current = { session, token };
    this.opts.onStarted?.(session);
    return session;
  }

  private ended(token: object, reason: LockReason): void {
    // Only the vault this session opened may end it.
    if (this.current?.token !== token) return;
    const { session } = this.current;
    this.current = undefined;
    session.dispose();
    this.opts.onEnded?.(reason);
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
