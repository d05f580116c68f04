import { create } from 'zustand';

export type Screen = 'intake' | 'bundles' | 'engagements' | 'tasks' | 'trust' | 'audit' | 'vault';

export const SCREENS: readonly { id: Screen; label: string }[] = [
  { id: 'intake', label: 'Intake' },
  { id: 'bundles', label: 'Bundles' },
  { id: 'engagements', label: 'Engagements' },
  { id: 'tasks', label: 'Eval tasks' },
  { id: 'trust', label: 'Trust' },
  { id: 'audit', label: 'Audit' },
  { id: 'vault', label: 'Vault' },
];

interface UiState {
  screen: Screen;
  /** Bundle whose stored report the Bundles screen shows. */
  selectedImportId: string | null;
  go(screen: Screen): void;
  openBundle(importId: string | null): void;
}

export const useUi = create<UiState>()((set) => ({
  screen: 'intake',
  selectedImportId: null,
  go: (screen) => set({ screen }),
  openBundle: (importId) => set({ screen: 'bundles', selectedImportId: importId }),
}));
