/**
 * The renderer's one way to main: `window.airlock` (exposed by the preload).
 * `invoke(channel, args)` resolves to the value or throws an ApiError carrying
 * the service's error code, its human message and JSON-safe detail.
 */
import type { AirlockApi } from '../../shared/ipc/api';
import type { Channel, EventName } from '../../shared/ipc/channels';
import type { ArgsOf, ResultOf, EVENT_PAYLOADS } from '../../shared/ipc/contract';
import type { IpcResult } from '../../shared/ipc/result';
import type { ErrorDto } from '../../shared/errors';
import type { z } from 'zod';

declare global {
  interface Window {
    airlock?: AirlockApi;
  }
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: string;
  readonly detail?: Record<string, string | number | boolean | null>;
  constructor(dto: ErrorDto) {
    super(dto.message);
    this.code = dto.code;
    if (dto.detail) this.detail = dto.detail;
  }
  toDto(): ErrorDto {
    return { code: this.code, message: this.message, ...(this.detail ? { detail: this.detail } : {}) };
  }
}

export const NO_BRIDGE: ErrorDto = {
  code: 'renderer.no-bridge',
  message: 'Airlock’s secure connection to its core is missing. Close and restart Airlock; if this keeps happening, reinstall it.',
};

/** Any thrown value as an ErrorDto suitable for ErrorNotice. */
export function toErrorDto(e: unknown): ErrorDto {
  if (e instanceof ApiError) return e.toDto();
  return {
    code: 'renderer.unexpected',
    message: 'Something unexpected went wrong in the window. Try again; if it keeps happening, restart Airlock and report the code below.',
    ...(e instanceof Error ? { detail: { error: e.message.slice(0, 300) } } : {}),
  };
}

function bridge(): AirlockApi {
  const api = typeof window !== 'undefined' ? window.airlock : undefined;
  if (!api) throw new ApiError(NO_BRIDGE);
  return api;
}

type ArgList<C extends Channel> = undefined extends ArgsOf<C> ? [] : [args: ArgsOf<C>];

export async function invoke<C extends Channel>(channel: C, ...args: ArgList<C>): Promise<ResultOf<C>> {
  const [group, member] = channel.split('.') as [string, string];
  const api = bridge() as unknown as Record<string, Record<string, (a?: unknown) => Promise<IpcResult<unknown>>>>;
  const fn = api[group]?.[member];
  if (typeof fn !== 'function') throw new ApiError(NO_BRIDGE);
  let result: IpcResult<unknown>;
  try {
    result = await fn(args[0]);
  } catch (e) {
    throw new ApiError({
      code: 'renderer.ipc',
      message: 'Airlock’s core did not answer. Try again; if it keeps happening, restart Airlock.',
      detail: { channel, error: e instanceof Error ? e.message.slice(0, 300) : String(e).slice(0, 300) },
    });
  }
  if (!result || typeof result !== 'object' || !('ok' in result)) {
    throw new ApiError({ code: 'renderer.bad-reply', message: 'Airlock’s core sent an unreadable reply. Restart Airlock.', detail: { channel } });
  }
  if (!result.ok) throw new ApiError(result.error);
  return result.value as ResultOf<C>;
}

export type EventPayload<E extends EventName> = z.output<(typeof EVENT_PAYLOADS)[E]>;

/** Subscribe to a main → renderer event; returns the unsubscribe function (no-op without the bridge). */
export function onEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  const api = typeof window !== 'undefined' ? window.airlock : undefined;
  if (!api) return () => {};
  return api.events.on(event, listener);
}

/** A dropped file's path and whether the user confirmed it in main's dialog ({ path: '', granted: false } without the bridge). */
export async function droppedFile(file: File): Promise<{ path: string; granted: boolean }> {
  const api = typeof window !== 'undefined' ? window.airlock : undefined;
  if (!api) return { path: '', granted: false };
  try {
    return await api.files.droppedFile(file);
  } catch {
    return { path: '', granted: false };
  }
}
