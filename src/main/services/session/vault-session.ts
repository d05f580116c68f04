/**
 * What exists only while the vault is unlocked: the vault itself and the
 * feature services built on it. Created on unlock, disposed on lock, so no
 * feature keeps a reference to a closed vault or outlives its key.
 */
import type { Vault } from '../vault';
import { TrustStore } from '../trust';
import { BundleImporter, IntakeCatalog } from '../intake';
import { JobService } from '../jobs';

export class VaultSession {
  readonly trust: TrustStore;
  readonly importer: BundleImporter;
  readonly catalog: IntakeCatalog;
  readonly jobs = new JobService();

  constructor(readonly vault: Vault) {
    this.trust = new TrustStore(vault);
    this.importer = new BundleImporter(vault, this.trust);
    this.catalog = new IntakeCatalog(vault);
  }

  get active(): boolean {
    return !this.vault.locked;
  }

  /** Stop the session's work; the vault is locked by its owner. */
  dispose(): void {
    this.jobs.dispose();
  }
}
