import { create } from 'zustand';
import type { AuditRecordDto, VaultCheckDto } from '../../shared/ipc/contract';
import { invoke } from '../api/client';
import { onVaultLocked } from './session';

export const AUDIT_PAGE = 200;

interface AuditState {
  records: AuditRecordDto[];
  loaded: boolean;
  hasMore: boolean;
  loading: boolean;
  check: VaultCheckDto | null;
  /** Newest records first. */
  reload(): Promise<void>;
  loadMore(): Promise<void>;
  verify(): Promise<VaultCheckDto>;
}

export const useAudit = create<AuditState>()((set, get) => ({
  records: [],
  loaded: false,
  hasMore: true,
  loading: false,
  check: null,

  async reload() {
    set({ loading: true });
    try {
      const page = await invoke('audit.list', { limit: AUDIT_PAGE });
      set({ records: page, loaded: true, hasMore: page.length === AUDIT_PAGE });
    } finally {
      set({ loading: false });
    }
  },

  async loadMore() {
    const { records, hasMore, loading } = get();
    if (!hasMore || loading) return;
    const oldest = records.reduce((min, r) => Math.min(min, r.seq), Number.POSITIVE_INFINITY);
    if (!Number.isFinite(oldest) || oldest <= 1) {
      set({ hasMore: false });
      return;
    }
    set({ loading: true });
    try {
      const page = await invoke('audit.list', { limit: AUDIT_PAGE, beforeSeq: oldest });
      const seen = new Set(records.map((r) => r.seq));
      set({ records: [...records, ...page.filter((r) => !seen.has(r.seq))], hasMore: page.length === AUDIT_PAGE });
    } finally {
      set({ loading: false });
    }
  },

  async verify() {
    const check = await invoke('vault.check');
    set({ check });
    return check;
  },
}));

onVaultLocked(() => useAudit.setState({ records: [], loaded: false, hasMore: true, loading: false, check: null }));
