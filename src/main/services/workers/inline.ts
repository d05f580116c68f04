/**
 * Starts a worker thread from code bundled into main itself (an
 * `import x from './y?worker-source'` string, see scripts/vite-inline-worker.mts),
 * never from a file on disk: what runs in the worker is what was shipped
 * inside the integrity-checked bundle.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startInlineWorker(source: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (typeof source !== 'string' || source.length === 0) {
    throw new TypeError('startInlineWorker needs the worker code as a string (import it with ?worker-source).');
  }
  return new Worker(source, { ...options, eval: true });
}
