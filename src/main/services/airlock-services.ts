/**
 * The composition root of everything main does, without Electron: app-level
 * services (the vault session's lifecycle, file grants, "remember on this
 * machine") and the platform hooks the glue provides (dialogs, event sender,
 * safeStorage). Feature services live in the unlocked session (VaultSession)
 * and end with it. The IPC handlers, the e2e harness and the smoke suite all
 * drive this one object.
 */
import { AirlockError } from '../../shared/errors';
import type { BundleType } from '../../shared/verification';
import { INSECURE_BACKENDS, Vault, type ScryptParams, type SecretProtector } from './vault';
import type { ImportResult } from './intake';
import type { Logger } from './log';
import { FileGrants, type FileDialogs } from './files';
import { SessionManager, type LockReason, type VaultSession } from './session';

export type { FileFilter } from './files';

/** What main tells the renderer without being asked (the IPC layer maps these to its events). */
export interface ServiceEvents {
  'vault.locked': { reason: LockReason };
  'bundles.progress': { bytesDone: number; bytesTotal: number; filesDone: number; filesTotal: number; bytesPerSecond: number };
}

export interface AirlockServicesOptions extends FileDialogs {
  vaultDir: string;
  version: string;
  platform: string;
  log: Logger;
  /** Main → renderer notification (webContents.send in the app). */
  emit<E extends keyof ServiceEvents>(event: E, payload: ServiceEvents[E]): void;
  /** Electron safeStorage, for "remember on this machine". */
  secretProtector?: SecretProtector;
  /** Electron-ABI build of the SQLite module. */
  sqliteNativeBinding?: string;
  /** Tests only: faster key derivation. */
  kdf?: Partial<ScryptParams>;
  /** Tests only: the system clock (the vault keeps its own high-water mark on top). */
  now?: () => Date;
}

export class AirlockServices {
  readonly sessions: SessionManager;
  readonly files: FileGrants;

  constructor(readonly options: AirlockServicesOptions) {
    this.files = new FileGrants(options);
    this.sessions = new SessionManager({
      vaultDir: options.vaultDir,
      openOptions: {
        ...(options.kdf ? { kdf: options.kdf } : {}),
        ...(options.now ? { now: options.now } : {}),
        ...(options.sqliteNativeBinding ? { nativeBinding: options.sqliteNativeBinding } : {}),
      },
      onStarted: (s) => options.log.info('vault opened', { dir: s.vault.dir }),
      onEnded: (reason) => {
        this.files.clear();
        options.log.info('vault locked', { reason });
        options.emit('vault.locked', { reason });
      },
    });
  }

  get vaultDir(): string {
    return this.options.vaultDir;
  }

  vaultExists(): boolean {
    return this.sessions.vaultExists();
  }

  /** The unlocked session and its services, or a clear error saying what to do. */
  unlocked(): VaultSession {
    return this.sessions.require();
  }

  get vault(): Vault | undefined {
    return this.sessions.session?.vault;
  }

  async createVault(passphrase: string, operator: string): Promise<Vault> {
    return (await this.sessions.create(passphrase, operator)).vault;
  }

  async unlockVault(passphrase: string): Promise<Vault> {
    return (await this.sessions.unlock(passphrase)).vault;
  }

  async unlockRemembered(): Promise<Vault> {
    const protector = this.options.secretProtector;
    if (!protector) throw new AirlockError('vault.remember-unavailable', 'This machine offers no OS key store. Unlock with your passphrase.');
    return (await this.sessions.unlockRemembered(protector)).vault;
  }

  lockVault(): Promise<void> {
    return this.sessions.lock('manual');
  }

  /** Can the OS key store protect a remembered key here? (Never on a plaintext backend.) */
  rememberSupport(): { available: boolean; backend: string | null; reason: string | null } {
    const protector = this.options.secretProtector;
    if (!protector || !protector.isAvailable()) {
      return { available: false, backend: null, reason: 'This machine offers no OS key store to Airlock.' };
    }
    const backend = protector.backend();
    if (INSECURE_BACKENDS.has(backend)) {
      return { available: false, backend, reason: `The OS key store here ("${backend || 'none'}") keeps secrets without real protection.` };
    }
    return { available: true, backend, reason: null };
  }

  isRemembered(): boolean {
    return this.vaultExists() && Vault.isRemembered(this.options.vaultDir);
  }

  setRemembered(enabled: boolean): void {
    const { vault } = this.unlocked();
    if (!enabled) return vault.forget();
    const protector = this.options.secretProtector;
    if (!protector) throw new AirlockError('vault.remember-unavailable', 'This machine offers no OS key store, so the vault cannot be remembered here.');
    vault.rememberOnThisMachine(protector);
  }

  async chooseBundle(): Promise<string | undefined> {
    this.unlocked();
    return this.files.choose('Choose a bundle to import', [
      { name: 'Airlock bundles', extensions: ['tar'] },
      { name: 'All files', extensions: ['*'] },
    ]);
  }

  async addAnchorFromPicker(types: BundleType[], label?: string): Promise<boolean> {
    const { trust } = this.unlocked();
    const picked = await this.files.pickTrustMaterial('Choose a trust anchor certificate', [{ name: 'Certificates', extensions: ['pem', 'crt', 'cer', 'der'] }]);
    if (!picked) return false;
    trust.addAnchor(picked.bytes, { types, ...(label ? { label } : {}) });
    return true;
  }

  async addCrlFromPicker(): Promise<boolean> {
    const { trust } = this.unlocked();
    const picked = await this.files.pickTrustMaterial('Choose a certificate revocation list', [{ name: 'CRLs', extensions: ['crl', 'pem', 'der'] }]);
    if (!picked) return false;
    trust.addCrls(picked.bytes, { source: picked.file });
    return true;
  }

  /** Verify and import a bundle the user chose or dropped, as a job with progress and cancel. */
  async importBundle(source: string): Promise<ImportResult> {
    const session = this.unlocked();
    await this.files.requireGranted(source);
    const started = performance.now();
    return session.jobs.run(
      'import',
      ({ signal, progress }) => session.importer.import(source, { signal, onProgress: progress }),
      (p: { bytesDone: number; bytesTotal: number; filesDone: number; filesTotal: number }) => {
        const seconds = Math.max((performance.now() - started) / 1000, 0.001);
        this.options.emit('bundles.progress', { ...p, bytesPerSecond: Math.round(p.bytesDone / seconds) });
      },
    );
  }

  cancelImport(): boolean {
    return this.sessions.session?.jobs.cancel('import') ?? false;
  }

  shutdown(): void {
    this.sessions.lockNow('manual');
  }
}
