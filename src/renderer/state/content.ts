/**
 * Accepted content as usable objects: engagements (model-access bundles) with
 * their model cards, eval tasks and their samples (paged). Cleared on lock.
 */
import { create } from 'zustand';
import type { EngagementDto, EvalSampleDto, EvalTaskDto, ModelCardDto } from '../../shared/ipc/contract';
import { SAMPLES_PAGE_MAX } from '../../shared/ipc/contract';
import { invoke } from '../api/client';
import { onVaultLocked } from './session';

export const SAMPLES_PAGE = SAMPLES_PAGE_MAX;

interface SamplesView {
  taskId: string;
  total: number;
  /** Loaded samples in order; the virtual list pages in more as it scrolls. */
  items: EvalSampleDto[];
  loading: boolean;
  /** Every sample is loaded. */
  done: boolean;
}

interface ContentState {
  engagements: EngagementDto[] | null;
  selectedEngagementId: string | null;
  cards: Record<string, ModelCardDto>;
  tasks: EvalTaskDto[] | null;
  selectedTaskId: string | null;
  samples: SamplesView | null;
  loadEngagements(): Promise<void>;
  selectEngagement(id: string | null): void;
  card(engagementId: string): Promise<ModelCardDto>;
  loadTasks(): Promise<void>;
  selectTask(id: string | null): Promise<void>;
  /** Load the next page of the selected task's samples (no-op when all are loaded or a page is in flight). */
  loadMoreSamples(): Promise<void>;
}

const EMPTY = { engagements: null, selectedEngagementId: null, cards: {}, tasks: null, selectedTaskId: null, samples: null };

export const useContent = create<ContentState>()((set, get) => ({
  ...EMPTY,

  async loadEngagements() {
    const engagements = await invoke('content.engagements');
    const selected = get().selectedEngagementId;
    set({ engagements, selectedEngagementId: selected && engagements.some((e) => e.id === selected) ? selected : (engagements[0]?.id ?? null) });
  },

  selectEngagement(id) {
    set({ selectedEngagementId: id });
  },

  async card(engagementId) {
    const cards = get().cards;
    if (engagementId in cards) return cards[engagementId]!;
    const card = await invoke('content.modelCard', { engagementId });
    set({ cards: { ...get().cards, [engagementId]: card } });
    return card;
  },

  async loadTasks() {
    const tasks = await invoke('content.tasks', {});
    set({ tasks });
    const selected = get().selectedTaskId;
    if (selected && !tasks.some((t) => t.id === selected)) set({ selectedTaskId: null, samples: null });
  },

  async selectTask(id) {
    if (id === get().selectedTaskId && get().samples) return;
    set({ selectedTaskId: id, samples: id ? { taskId: id, total: 0, items: [], loading: false, done: false } : null });
    if (id) await get().loadMoreSamples();
  },

  async loadMoreSamples() {
    const view = get().samples;
    if (!view || view.loading || view.done) return;
    const { taskId } = view;
    set({ samples: { ...view, loading: true } });
    try {
      const page = await invoke('content.samples', { taskId, offset: view.items.length, limit: SAMPLES_PAGE });
      const now = get().samples;
      if (!now || now.taskId !== taskId) return; // another task was selected meanwhile
      const items = [...now.items, ...page.items];
      set({ samples: { taskId, total: page.total, items, loading: false, done: page.items.length === 0 || items.length >= page.total } });
    } catch (e) {
      const now = get().samples;
      if (now && now.taskId === taskId) set({ samples: { ...now, loading: false } });
      throw e;
    }
  },
}));

onVaultLocked(() => useContent.setState({ ...EMPTY }));
