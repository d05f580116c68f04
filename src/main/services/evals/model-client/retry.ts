/**
 * Backoff between attempts: exponential with full jitter (a uniformly random
 * wait up to base·2^(n−1), capped), unless the server said when to come back
 * (Retry-After), which is honoured up to the same cap.
 */
import { AirlockError } from '../../../../shared/errors';
import type { RetryPolicy } from './types';

/** Retry-After as ms from now: delta-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  // An HTTP-date always names a weekday and GMT; refusing anything else avoids Date.parse guessing.
  if (!/GMT$/i.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** The wait before attempt `failedAttempt + 1`. */
export function backoffDelay(policy: RetryPolicy, failedAttempt: number, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}

export function validateRetryPolicy(p: RetryPolicy): void {
  const ok =
    Number.isInteger(p.maxAttempts) && p.maxAttempts >= 1 && p.maxAttempts <= 100 &&
    Number.isFinite(p.baseDelayMs) && p.baseDelayMs >= 0 &&
    Number.isFinite(p.maxDelayMs) && p.maxDelayMs >= p.baseDelayMs;
  if (!ok) {
    throw new AirlockError(
      'usage',
      'The retry policy is out of range: maxAttempts must be 1–100 and 0 ≤ baseDelayMs ≤ maxDelayMs.',
      { maxAttempts: p.maxAttempts, baseDelayMs: p.baseDelayMs, maxDelayMs: p.maxDelayMs },
    );
  }
}

export function cancelledError(): AirlockError {
  return new AirlockError('cancelled', 'The model request was cancelled.');
}

/** setTimeout that rejects with `cancelled` at once when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
