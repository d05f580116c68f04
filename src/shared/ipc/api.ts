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
     * Path of a dropped File (Electron webUtils.getPathForFile), which main is
     * told about so it may read it; '' when the File is not a real file on disk.
     */
    pathForFile(file: File): Promise<string>;
  };
};

export const API_GLOBAL = 'airlock';
export { API_GROUPS };
