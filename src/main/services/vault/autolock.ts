export interface TimerApi {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AutoLockOptions {
  /** Idle minutes before locking; 0 disables. */
  minutes: number;
  onIdle: () => void;
  /** Injectable clock (ms) and timers for tests; default performance.now and global timers. */
  now?: () => number;
  timers?: TimerApi;
}

const defaultTimers: TimerApi = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // Never keep a CLI process alive just to auto-lock.
    (t as { unref?: () => void }).unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Calls onIdle once after `minutes` without touch(). One pending timer at most. */
export class AutoLock {
  private last: number;
  private handle: unknown = null;
  private stopped = false;
  private readonly now: () => number;
  private readonly timers: TimerApi;
  private ms: number;

  constructor(private readonly opts: AutoLockOptions) {
    // Idle time is elapsed time: a monotonic clock, immune to wall-clock changes.
    this.now = opts.now ?? (() => performance.now());
    this.timers = opts.timers ?? defaultTimers;
    this.ms = Math.max(0, opts.minutes) * 60_000;
    this.last = this.now();
    this.schedule(this.ms);
  }

  get minutes(): number {
    return this.ms / 60_000;
  }

  touch(): void {
    this.last = this.now();
  }

  setMinutes(minutes: number): void {
    this.ms = Math.max(0, minutes) * 60_000;
    this.touch();
    this.clear();
    this.schedule(this.ms);
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  private clear(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
  }

  private schedule(delay: number): void {
    if (this.stopped || this.ms <= 0) return;
    this.handle = this.timers.setTimeout(() => this.fire(), Math.max(delay, 1));
  }

  private fire(): void {
    this.handle = null;
    if (this.stopped) return;
    const idle = this.now() - this.last;
    if (idle >= this.ms) {
      this.stopped = true;
      this.opts.onIdle();
    } else {
      this.schedule(this.ms - idle);
    }
  }
}
