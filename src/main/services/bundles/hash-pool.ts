/**
 * Hash files across worker threads (one job per file, largest first), in
 * constant memory. Cancellation terminates the workers.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BundleFile } from './container';

export interface HashJob {
  file: BundleFile;
  sink?: { tempPath: string; blobKey: Buffer };
}
export type HashOutcome = { sha384: string } | { error: { code: string; message: string } };

export class CancelledError extends Error {}

/**
 * In a packaged app the worker script and the chunk it imports are unpacked
 * from app.asar (electron.builder.yml asarUnpack): load them from
 * app.asar.unpacked, where a worker thread can read them like any file.
 */
export function unpackedFromAsar(url: URL): URL {
  return /\.asar\//.test(url.pathname) ? new URL(url.href.replace(/\.asar\//, '.asar.unpacked/')) : url;
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
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      void Promise.all(workers.map((w) => w.terminate())).then(() => (err ? reject(err) : resolve(results)), () => (err ? reject(err) : resolve(results)));
    };
    const onAbort = () => finish(new CancelledError('cancelled'));
    opts.signal?.addEventListener('abort', onAbort);
    const dispatch = (w: Worker) => {
      if (next >= order.length) return;
      const id = order[next++]!;
      const j = jobs[id]!;
      w.postMessage({ id, file: j.file.file, offset: j.file.offset, size: j.file.size, ino: j.file.ino, dev: j.file.dev, sink: j.sink });
    };
    for (let k = 0; k < n; k++) {
      const w = new Worker(unpackedFromAsar(new URL('./hash-worker.mjs', import.meta.url)));
      workers.push(w);
      w.on('message', (m: { type: string; id: number; sha384?: string; code?: string; message?: string; bytes?: number }) => {
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
      w.on('error', (e) => finish(e));
      dispatch(w);
    }
  });
}
