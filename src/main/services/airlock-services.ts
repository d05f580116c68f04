/**
 * The composition root of everything main does, without Electron: the app's
 * state (which vault, locked or not), the services built on an unlocked vault,
 * and the platform hooks the glue provides (file picker, event sender,
 * safeStorage). The IPC handlers, the e2e harness and the smoke suite all
 * drive this one object.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AirlockError } from '../../shared/errors';
import type { EventName } from '../../shared/ipc/channels';
import { INSECURE_BACKENDS, Vault, type ScryptParams, type SecretProtector } from './vault';
import { TrustStore } from './trust/trust-store';
import { IntakeCatalog } from './intake/catalog';
import { BundleImporter, type ImportResult } from './intake/importer';
import type { Logger } from './log/logger';
import type { BundleType } from '../../shared/verification';

export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface AirlockServicesOptions {
  vaultDir: string;
  version: string;
  platform: string;
  log: Logger;
  /** Main → renderer notification (webContents.send in the app). */
  emit(event: EventName, payload: unknown): void;
  /** The OS file picker (dialog.showOpenDialog in the app). */
  pickFile(title: string, filters: FileFilter[]): Promise<string | undefined>;
  /** Electron safeStorage, for "remember on this machine". */
  secretProtector?: SecretProtector;
  /** Electron-ABI build of the SQLite module. */
  sqliteNativeBinding?: string;
  /** Tests only: faster key derivation. */
  kdf?: Partial<ScryptParams>;
  /** Tests only: the system clock (the vault keeps its own high-water mark on top). */
  now?: () => Date;
}

interface Unlocked {
  vault: Vault;
  trust: TrustStore;
  importer: BundleImporter;
  catalog: IntakeCatalog;
}

export class AirlockServices {
  private current: Unlocked | undefined;
  private importing: AbortController | undefined;
  /**
   * Paths the user chose in main's file picker or dropped on the window. Main
   * imports only these: a compromised renderer cannot point it at other files.
   */
  private readonly granted = new Set<string>();

  constructor(readonly options: AirlockServicesOptions) {}

  get vaultDir(): string {
    return this.options.vaultDir;
  }

  vaultExists(): boolean {
    return Vault.exists(this.options.vaultDir);
  }

  /** The unlocked vault and its services, or a clear error saying what to do. */
  unlocked(): Unlocked {
    if (!this.current || this.current.vault.locked) {
      this.current = undefined;
      throw new AirlockError(
        this.vaultExists() ? 'vault.locked' : 'vault.missing',
        this.vaultExists() ? 'The vault is locked. Unlock it with your passphrase to continue.' : 'No vault exists yet. Create one first.',
      );
    }
    return this.current;
  }

  get vault(): Vault | undefined {
    return this.current && !this.current.vault.locked ? this.current.vault : undefined;
  }

  private openOptions(operator?: string) {
    return {
      ...(operator ? { operator } : {}),
      ...(this.options.kdf ? { kdf: this.options.kdf } : {}),
      ...(this.options.now ? { now: this.options.now } : {}),
      ...(this.options.sqliteNativeBinding ? { nativeBinding: this.options.sqliteNativeBinding } : {}),
      onLock: (reason: 'manual' | 'idle') => this.onVaultLocked(reason),
    };
  }

  private adopt(vault: Vault): Unlocked {
    const trust = new TrustStore(vault);
    this.current = { vault, trust, importer: new BundleImporter(vault, trust), catalog: new IntakeCatalog(vault) };
    this.options.log.info('vault opened', { dir: vault.dir });
    return this.current;
  }

  private onVaultLocked(reason: 'manual' | 'idle'): void {
    this.importing?.abort();
    this.current = undefined;
    this.options.log.info('vault locked', { reason });
    this.options.emit('vault.locked', { reason });
  }

  async createVault(passphrase: string, operator: string): Promise<Vault> {
    if (this.vaultExists()) {
      throw new AirlockError('vault.exists', `A vault already exists at ${this.options.vaultDir}. Unlock it instead.`);
    }
    return this.adopt(await Vault.create(this.options.vaultDir, passphrase, this.openOptions(operator))).vault;
  }

  async unlockVault(passphrase: string): Promise<Vault> {
    if (this.vault) return this.vault;
    if (!this.vaultExists()) throw new AirlockError('vault.missing', 'No vault exists yet. Create one first.');
    return this.adopt(await Vault.unlock(this.options.vaultDir, passphrase, this.openOptions())).vault;
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

  async unlockRemembered(): Promise<Vault> {
    if (this.vault) return this.vault;
    const protector = this.options.secretProtector;
    if (!protector) throw new AirlockError('vault.remember-unavailable', 'This machine offers no OS key store. Unlock with your passphrase.');
    return this.adopt(await Vault.unlockRemembered(this.options.vaultDir, protector, this.openOptions())).vault;
  }

  setRemembered(enabled: boolean): void {
    const { vault } = this.unlocked();
    if (!enabled) return vault.forget();
    const protector = this.options.secretProtector;
    if (!protector) throw new AirlockError('vault.remember-unavailable', 'This machine offers no OS key store, so the vault cannot be remembered here.');
    vault.rememberOnThisMachine(protector);
  }

  lockVault(): void {
    this.current?.vault.lock('manual');
    this.current = undefined;
  }

  /** The OS picker; what the user picks may then be imported. */
  async chooseBundle(title: string, filters: FileFilter[]): Promise<string | undefined> {
    const file = await this.options.pickFile(title, filters);
    if (file) this.grant(file);
    return file;
  }

  /** Record a path the user chose or dropped (the preload reports real drops). */
  grant(file: string): void {
    this.granted.add(path.resolve(file));
  }

  async addAnchorFromPicker(types: BundleType[], label?: string): Promise<boolean> {
    const { trust } = this.unlocked();
    const file = await this.options.pickFile('Choose a trust anchor certificate', [{ name: 'Certificates', extensions: ['pem', 'crt', 'cer', 'der'] }]);
    if (!file) return false;
    trust.addAnchor(await readCarefully(file), { types, ...(label ? { label } : {}) });
    return true;
  }

  async addCrlFromPicker(): Promise<boolean> {
    const { trust } = this.unlocked();
    const file = await this.options.pickFile('Choose a certificate revocation list', [{ name: 'CRLs', extensions: ['crl', 'pem', 'der'] }]);
    if (!file) return false;
    trust.addCrls(await readCarefully(file), { source: file });
    return true;
  }

  async importBundle(source: string): Promise<ImportResult> {
    const { importer } = this.unlocked();
    if (!this.granted.has(path.resolve(source))) {
      throw new AirlockError(
        'intake.not-chosen',
        `Airlock imports only what you choose with “Choose bundle…” or drop on its window; ${source} was neither. Choose it again.`,
      );
    }
    await stat(source).catch((e: NodeJS.ErrnoException) => {
      throw new AirlockError(
        'io.not-found',
        e.code === 'ENOENT'
          ? `${source} does not exist. Check that the removable medium is mounted and choose the bundle again.`
          : `Cannot read ${source} (${e.code ?? e.message}). Check the medium and its permissions, then try again.`,
      );
    });
    if (this.importing) throw new AirlockError('intake.busy', 'Another import is running. Wait for it to finish or cancel it first.');
    const controller = new AbortController();
    this.importing = controller;
    const started = Date.now();
    try {
      return await importer.import(source, {
        signal: controller.signal,
        onProgress: (p) => {
          const seconds = Math.max((Date.now() - started) / 1000, 0.001);
          this.options.emit('bundles.progress', { ...p, bytesPerSecond: Math.round(p.bytesDone / seconds) });
        },
      });
    } finally {
      this.importing = undefined;
    }
  }

  cancelImport(): boolean {
    if (!this.importing) return false;
    this.importing.abort();
    return true;
  }

  shutdown(): void {
    this.importing?.abort();
    this.current?.vault.lock('manual');
    this.current = undefined;
  }
}

/** Trust material is small: refuse anything that is not (a misplaced bundle, a disk image). */
async function readCarefully(file: string): Promise<Uint8Array> {
  const data = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new AirlockError('io.read', `Could not read ${file}: ${e.code ?? e.message}. Check the file and try again.`);
  });
  if (data.byteLength > 16 * 1024 * 1024) {
    throw new AirlockError('trust.file-too-large', `${file} is ${data.byteLength} bytes; certificates and CRLs are far smaller. Choose the right file.`);
  }
  return data;
}
