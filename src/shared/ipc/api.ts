/** The shape of `window.airlock` as the preload exposes it, derived from the contract. */
import type { ApiGroup, EventName } from './channels';
import { API_GROUPS } from './channels';
import type { ArgsOf, ResultOf, EVENT_PAYLOADS } from './contract';
import type { IpcResult } from './result';
import type { z } from 'zod';

type Method<C extends `${string}.${string}`> = C extends keyof typeof import('./contract').CONTRACT
  ? undefined extends ArgsOf<C>
    ? () => Promise<IpcResult<ResultOf<C>>>
    : (args: ArgsOf<C>) => Promise<IpcResult<ResultOf<C>>>
  : never;

export type AirlockApi = {
  [G in ApiGroup]: { [M in (typeof API_GROUPS)[G][number]]: Method<`${G}.${M}`> };
} & {
  events: {
    on<E extends EventName>(event: E, listener: (payload: z.output<(typeof EVENT_PAYLOADS)[E]>) => void): () => void;
  };
  files: {
    /**
     * A dropped File's path and whether the user confirmed it in main's own
     * dialog (the preload reported the real drop to main itself). path '' when
     * the File is not a real file on disk; granted false when it was declined
     * or not a real drop on a drop zone.
     */
    droppedFile(file: File): Promise<{ path: string; granted: boolean }>;
  };
};

export const API_GLOBAL = 'airlock';
export { API_GROUPS };
