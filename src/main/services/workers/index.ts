/**
 * Worker threads whose code is bundled into main itself (`?worker-source`,
 * scripts/vite-inline-worker.mts), never read from a file beside it.
 */
export { startInlineWorker } from './inline';
export { SIGNATURE_TIME_LIMIT_MS, evaluateSignaturesInWorker, type SignatureWorkerOptions } from './signatures';
