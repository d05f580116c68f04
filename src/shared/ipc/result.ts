import type { ErrorDto } from '../errors';

/** What every IPC call resolves to: never a thrown error, never a stack trace. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: ErrorDto };

/** Error codes the IPC layer itself produces (services add their own). */
export const IPC_ERROR = {
  unknownChannel: 'ipc.unknown-channel',
  forbiddenSender: 'ipc.forbidden-sender',
  invalidArguments: 'ipc.invalid-arguments',
  invalidResult: 'ipc.invalid-result',
  internal: 'internal',
} as const;
