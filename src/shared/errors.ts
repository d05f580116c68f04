import type { ErrorCode } from './error-codes';

export { ERROR_CODES, isErrorCode, type ErrorCode } from './error-codes';
/**
 * The one error type services throw for conditions a person can act on.
 * `code` is stable and machine-readable (tests and the renderer match on it);
 * `message` says what happened and what to do, in a sentence a user can read.
 * Never put secrets (keys, passphrases, credentials) in either.
 */
export class AirlockError extends Error {
  override readonly name = 'AirlockError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** JSON-safe context (file, certificate subject, time…); shown, never secret. */
    readonly detail?: Readonly<Record<string, string | number | boolean | null>>,
  ) {
    super(message);
  }
}

export function isAirlockError(e: unknown): e is AirlockError {
  return e instanceof AirlockError;
}

/** JSON-safe error shape carried over IPC and printed by the CLI with --json. */
export interface ErrorDto {
  /** An ErrorCode, or a FailureCode of a verification report. */
  code: string;
  message: string;
  detail?: Record<string, string | number | boolean | null>;
}
