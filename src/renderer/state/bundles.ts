import { create } from 'zustand';
import type { ImportedBundleDto, VerificationReportDto } from '../../shared/ipc/contract';
import { invoke } from '../api/client';
import { onVaultLocked } from './session';

interface BundlesState {
  list: ImportedBundleDto[] | null;
  reports: Record<string, VerificationReportDto>;
  load(): Promise<void>;
  report(importId: string): Promise<VerificationReportDto>;
}

export const useBundles = create<BundlesState>()((set, get) => ({
  list: null,
  reports: {},
  async load() {
    set({ list: await invoke('bundles.list') });
  },
  async report(importId) {
    const cached = get().reports[importId];
    if (cached) return cached;
    const report = await invoke('bundles.report', { importId });
    set({ reports: { ...get().reports, [importId]: report } });
    return report;
  },
}));

onVaultLocked(() => useBundles.setState({ list: null, reports: {} }));
