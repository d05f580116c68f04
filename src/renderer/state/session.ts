/**
 * Session: app info, vault status and which top-level screen applies
 * (create / unlock / main). Locking clears every store that holds vault data.
 */
import { create } from 'zustand';
import type { AppInfo, VaultStatusDto } from '../../shared/ipc/contract';
import type { ErrorDto } from '../../shared/errors';
import { invoke, toErrorDto } from '../api/client';
import { formatMinutes } from '../lib/format';

export type Phase = 'loading' | 'no-vault' | 'locked' | 'unlocked' | 'fatal';

export interface LockNotice {
  reason: 'idle' | 'manual';
  message: string;
  at: string;
}

interface SessionState {
  phase: Phase;
  info: AppInfo | null;
  status: VaultStatusDto | null;
  /** Shown on the Unlock screen after an automatic lock. */
  lockNotice: LockNotice | null;
  /** Start-up failure (phase 'fatal'). */
  fatal: ErrorDto | null;
  init(): Promise<void>;
  create(passphrase: string, operator: string): Promise<void>;
  unlock(passphrase: string): Promise<void>;
  unlockRemembered(): Promise<void>;
  lock(): Promise<void>;
  refreshStatus(): Promise<VaultStatusDto>;
  setStatus(status: VaultStatusDto): void;
  onLocked(reason: 'idle' | 'manual'): void;
  dismissLockNotice(): void;
}

const lockListeners = new Set<() => void>();
/** Stores holding vault data register here to be cleared when the vault locks. */
export function onVaultLocked(clear: () => void): void {
  lockListeners.add(clear);
}
function clearVaultData(): void {
  for (const clear of lockListeners) clear();
}

function phaseOf(status: VaultStatusDto): Phase {
  if (!status.exists) return 'no-vault';
  return status.locked ? 'locked' : 'unlocked';
}

export const useSession = create<SessionState>()((set, get) => ({
  phase: 'loading',
  info: null,
  status: null,
  lockNotice: null,
  fatal: null,

  async init() {
    try {
      const info = await invoke('app.info');
      const status = await invoke('vault.status');
      set({ info, status, phase: phaseOf(status), fatal: null });
    } catch (e) {
      set({ phase: 'fatal', fatal: toErrorDto(e) });
    }
  },

  async create(passphrase, operator) {
    const status = await invoke('vault.create', { passphrase, operator });
    set({ status, phase: phaseOf(status), lockNotice: null });
  },

  async unlock(passphrase) {
    const status = await invoke('vault.unlock', { passphrase });
    set({ status, phase: phaseOf(status), lockNotice: null });
  },

  async unlockRemembered() {
    const status = await invoke('vault.unlockRemembered');
    set({ status, phase: phaseOf(status), lockNotice: null });
  },

  async lock() {
    clearVaultData();
    try {
      const status = await invoke('vault.lock');
      set({ status, phase: phaseOf(status), lockNotice: null });
    } catch (e) {
      // Even if main reports an error, re-read the truth rather than show data.
      const status = await invoke('vault.status').catch(() => get().status);
      if (status) set({ status, phase: phaseOf(status) });
      throw e;
    }
  },

  async refreshStatus() {
    const status = await invoke('vault.status');
    set({ status, phase: phaseOf(status) });
    if (status.locked) clearVaultData();
    return status;
  },

  setStatus(status) {
    set({ status, phase: phaseOf(status) });
  },

  onLocked(reason) {
    clearVaultData();
    const prev = get().status;
    const minutes = prev?.autoLockMinutes;
    const at = new Date().toISOString();
    const lockNotice: LockNotice | null =
      reason === 'idle'
        ? {
            reason,
            at,
            message: minutes
              ? `Airlock locked after ${formatMinutes(minutes)} of inactivity. Enter your passphrase to continue.`
              : 'Airlock locked after a period of inactivity. Enter your passphrase to continue.',
          }
        : get().phase === 'unlocked'
          ? { reason, at, message: 'Airlock was locked. Enter your passphrase to continue.' }
          : null;
    set({
      status: prev ? { ...prev, locked: true } : prev,
      phase: prev && !prev.exists ? 'no-vault' : 'locked',
      lockNotice,
    });
    // Refresh from main in the background; ignore failures (the lock already happened).
    void invoke('vault.status')
      .then((status) => set({ status, phase: phaseOf(status) }))
      .catch(() => {});
  },

  dismissLockNotice() {
    set({ lockNotice: null });
  },
}));
