import { create } from 'zustand';
import type { TrustStoreDto } from '../../shared/ipc/contract';
import type { BundleType } from '../../shared/verification';
import { invoke } from '../api/client';
import { onVaultLocked } from './session';

interface TrustState {
  store: TrustStoreDto | null;
  load(): Promise<void>;
  addAnchor(types: BundleType[], label?: string): Promise<void>;
  removeAnchor(id: string): Promise<void>;
  addCrl(): Promise<void>;
  setLabId(labId: string): Promise<void>;
}

export const useTrust = create<TrustState>()((set) => ({
  store: null,
  async load() {
    set({ store: await invoke('trust.list') });
  },
  async addAnchor(types, label) {
    set({ store: await invoke('trust.addAnchor', label ? { types, label } : { types }) });
  },
  async removeAnchor(id) {
    set({ store: await invoke('trust.removeAnchor', { id }) });
  },
  async addCrl() {
    set({ store: await invoke('trust.addCrl') });
  },
  async setLabId(labId) {
    set({ store: await invoke('trust.setLabId', { labId }) });
  },
}));

onVaultLocked(() => useTrust.setState({ store: null }));
