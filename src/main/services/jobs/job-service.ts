/**
 * Long-running work (bundle verification and import, deep vault checks; later
 * evaluation runs and exports) as jobs: each has an id, a kind, progress and
 * an AbortSignal. One JobService lives in each unlocked session; locking the
 * vault cancels every job it still runs, so nothing outlives its key.
 */
import { AirlockError } from '../../../shared/errors';

export type JobKind = 'import' | 'vault-check';

export interface JobContext<P> {
  readonly signal: AbortSignal;
  progress(p: P): void;
}

export interface JobInfo {
  id: string;
  kind: JobKind;
  startedAt: number;
}

interface Running extends JobInfo {
  controller: AbortController;
}

export interface JobServiceOptions {
  /** Kinds of which at most one may run at a time (default: every kind). */
  exclusive?: readonly JobKind[];
  /** Monotonic milliseconds (tests). */
  now?: () => number;
}

const BUSY: Record<JobKind, string> = {
  import: 'Another import is running. Wait for it to finish or cancel it first.',
  'vault-check': 'A vault check is already running. Wait for it to finish.',
};

export class JobService {
  private readonly running = new Map<string, Running>();
  private seq = 0;
  private disposed = false;
  private readonly exclusive: ReadonlySet<JobKind>;
  private readonly now: () => number;

  constructor(opts: JobServiceOptions = {}) {
    this.exclusive = new Set(opts.exclusive ?? (Object.keys(BUSY) as JobKind[]));
    this.now = opts.now ?? (() => performance.now());
  }

  /** Run `work` as a job of `kind`; its promise settles with the work's outcome. */
  async run<T, P>(kind: JobKind, work: (ctx: JobContext<P>) => Promise<T>, onProgress?: (p: P, job: JobInfo) => void): Promise<T> {
    if (this.disposed) throw new AirlockError('vault.locked', 'The vault is locked. Unlock it with your passphrase to continue.');
    if (this.exclusive.has(kind) && this.active(kind)) throw new AirlockError(kind === 'import' ? 'intake.busy' : 'jobs.busy', BUSY[kind]);
    const job: Running = { id: `job-${++this.seq}`, kind, startedAt: this.now(), controller: new AbortController() };
    this.running.set(job.id, job);
    const info: JobInfo = { id: job.id, kind, startedAt: job.startedAt };
    try {
      return await work({ signal: job.controller.signal, progress: (p) => onProgress?.(p, info) });
    } finally {
      this.running.delete(job.id);
    }
  }

  /** The running job of a kind, if any. */
  active(kind: JobKind): JobInfo | undefined {
    for (const j of this.running.values()) if (j.kind === kind) return { id: j.id, kind: j.kind, startedAt: j.startedAt };
    return undefined;
  }

  /** Ask every running job of `kind` to stop; true when one was running. */
  cancel(kind: JobKind): boolean {
    let any = false;
    for (const j of this.running.values()) {
      if (j.kind !== kind) continue;
      j.controller.abort();
      any = true;
    }
    return any;
  }

  /** Cancel everything and refuse new jobs (the session is ending). */
  dispose(): void {
    this.disposed = true;
    for (const j of this.running.values()) j.controller.abort();
  }
}
