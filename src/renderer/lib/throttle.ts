/**
 * A leading-edge throttle with an injectable clock: `hit()` returns true at most
 * once per `intervalMs`. Used to send vault.touch() on user activity (≤ 1 / 30 s).
 */
export interface Throttle {
  hit(): boolean;
  reset(): void;
}

export function createThrottle(intervalMs: number, now: () => number = () => Date.now()): Throttle {
  let last = Number.NEGATIVE_INFINITY;
  return {
    hit() {
      const t = now();
      if (t - last < intervalMs) return false;
      last = t;
      return true;
    },
    reset() {
      last = Number.NEGATIVE_INFINITY;
    },
  };
}

export const TOUCH_INTERVAL_MS = 30_000;
