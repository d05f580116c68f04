/** Bundle intake: one import at a time, its progress and its outcome. */
import { create } from 'zustand';
import type { ImportOutcomeDto, ProgressEventDto } from '../../shared/ipc/contract';
import type { ErrorDto } from '../../shared/errors';
import { invoke, onEvent, toErrorDto } from '../api/client';
import { onVaultLocked } from './session';

export type IntakePhase = 'idle' | 'importing' | 'done' | 'error';

interface IntakeState {
  phase: IntakePhase;
  path: string | null;
  progress: ProgressEventDto | null;
  outcome: ImportOutcomeDto | null;
  error: ErrorDto | null;
  cancelling: boolean;
  start(path: string): Promise<void>;
  choose(): Promise<void>;
  cancel(): Promise<void>;
  reset(): void;
  fail(error: ErrorDto): void;
}

/** Bumped on every start and on lock, so a late reply from an abandoned import is ignored. */
let generation = 0;

const initial = { phase: 'idle' as IntakePhase, path: null, progress: null, outcome: null, error: null, cancelling: false };

export const useIntake = create<IntakeState>()((set, get) => ({
  ...initial,

  async start(path) {
    if (get().phase === 'importing') return;
    const gen = ++generation;
    set({ ...initial, phase: 'importing', path });
    const off = onEvent('bundles.progress', (progress) => {
      if (gen === generation && get().phase === 'importing') set({ progress });
    });
    try {
      const outcome = await invoke('bundles.import', { path });
      if (gen === generation) set({ phase: 'done', outcome, cancelling: false });
    } catch (e) {
      if (gen === generation) set({ phase: 'error', error: toErrorDto(e), cancelling: false });
    } finally {
      off();
    }
  },

  async choose() {
    if (get().phase === 'importing') return;
    try {
      const picked = await invoke('bundles.chooseFile');
      if (picked) await get().start(picked.path);
    } catch (e) {
      set({ phase: 'error', error: toErrorDto(e) });
    }
  },

  async cancel() {
    if (get().phase !== 'importing') return;
    set({ cancelling: true });
    try {
      await invoke('bundles.cancel');
    } catch (e) {
      set({ cancelling: false, error: toErrorDto(e) });
    }
  },

  reset() {
    if (get().phase === 'importing') return;
    set({ ...initial });
  },

  fail(error) {
    set({ ...initial, phase: 'error', error });
  },
}));

onVaultLocked(() => {
  generation++;
  useIntake.setState({ ...initial });
});
