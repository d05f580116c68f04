import type { Database } from './migrations/types';

/** What the vault's sub-services need from the Vault (kept narrow for testing). */
export interface VaultContext {
  readonly dir: string;
  readonly vaultId: string;
  /** The open DB; throws vault.locked when locked. Counts as activity. */
  db(): Database;
  /** Throws vault.locked when locked. */
  assertUnlocked(): void;
  /** Derived key for a purpose; throws vault.locked when locked. The buffer is zeroed on lock. */
  key(purpose: 'blob' | 'blob-name' | 'audit-head'): Buffer;
  now(): Date;
  defaultActor(): string;
}
