/**
 * Hash files across worker threads (one job per file, largest first), in
 * constant memory. The worker's code is bundled into this module
 * (`?worker-source`), never read from a file beside it. Cancellation asks
 * each busy worker to stop (so it zeroes its keys), then terminates them.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { BundleFile } from './container';
import hashWorkerSource from './hash-worker.mjs?worker-source';
import { startInlineWorker } from '../workers';

export interface HashJob {
  file: BundleFile;
  sink?: { tempPath: string; blobKey: Buffer };
}
export type HashOutcome = { sha384: string } | { error: { code: string; message: string } };

export class CancelledError extends Error {}

/** How long a cancelled worker may take to stop at its next chunk and zero its keys before it is terminated. */
const CANCEL_GRACE_MS = 2_000;

/**
 * The key travels in shared memory: the worker uses it in place and zeroes it
 * when its job ends, so no copy of it is left in the worker's heap.
 */
function sharedKey(key: Buffer): Uint8Array {
  const k = new Uint8Array(new SharedArrayBuffer(key.length));
  k.set(key);
  return k;
}

export async function hashFiles(
  jobs: HashJob[],
  opts: { concurrency?: number; signal?: AbortSignal; onBytes?: (bytes: number) => void; onFileDone?: () => void },
): Promise<HashOutcome[]> {
  const results: HashOutcome[] = new Array(jobs.length);
  if (jobs.length === 0) return results;
  if (opts.signal?.aborted) throw new CancelledError('cancelled');
  const order = jobs.map((_, i) => i).sort((a, b) => jobs[b]!.file.size - jobs[a]!.file.size);
  const n = Math.max(1, Math.min(opts.concurrency ?? os.availableParallelism(), jobs.length));
  const workers: Worker[] = [];
  let next = 0;
  let remaining = jobs.length;
  return new Promise<HashOutcome[]>((resolve, reject) => {
    let settled = false;
    /** Workers with a job in flight, and the key each job carries. */
    const busy = new Map<Worker, Uint8Array | undefined>();
    let onDrained: (() => void) | undefined;
    const jobEnded = (w: Worker) => {
      busy.delete(w);
      if (busy.size === 0) onDrained?.();
    };
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      void stopWorkers().then(() => (err ? reject(err) : resolve(results)));
    };
    // Busy workers are asked to stop first, so each zeroes its job's key itself;
    // one that does not answer in time has its key zeroed here and is terminated.
    const stopWorkers = async () => {
      if (busy.size > 0) {
        for (const w of busy.keys()) w.postMessage({ type: 'cancel' });
        await new Promise<void>((drained) => {
          const timer = setTimeout(drained, CANCEL_GRACE_MS);
          onDrained = () => {
            clearTimeout(timer);
            drained();
          };
        });
        for (const key of busy.values()) key?.fill(0);
      }
      await Promise.allSettled(workers.map((w) => w.terminate()));
    };
    const onAbort = () => finish(new CancelledError('cancelled'));
    opts.signal?.addEventListener('abort', onAbort);
    const dispatch = (w: Worker) => {
      if (next >= order.length) return;
      const id = order[next++]!;
      const j = jobs[id]!;
      const sink = j.sink ? { tempPath: j.sink.tempPath, blobKey: sharedKey(j.sink.blobKey) } : undefined;
      busy.set(w, sink?.blobKey);
      w.postMessage({ id, file: j.file.file, offset: j.file.offset, size: j.file.size, ino: j.file.ino, dev: j.file.dev, sink });
    };
    for (let k = 0; k < n; k++) {
      const w = startInlineWorker(hashWorkerSource, { name: 'airlock-hash' });
      workers.push(w);
      w.on('message', (m: { type: string; id: number; sha384?: string; code?: string; message?: string; bytes?: number }) => {
        if (m.type !== 'progress') jobEnded(w);
        if (settled) return;
        if (m.type === 'progress') {
          opts.onBytes?.(m.bytes ?? 0);
          return;
        }
        results[m.id] = m.type === 'done' ? { sha384: m.sha384! } : { error: { code: m.code ?? 'io.error', message: m.message ?? 'error' } };
        opts.onFileDone?.();
        if (--remaining === 0) finish();
        else dispatch(w);
      });
      w.on('error', (e) => {
        busy.get(w)?.fill(0);
        jobEnded(w);
        finish(e);
      });
      dispatch(w);
    }
  });
}
