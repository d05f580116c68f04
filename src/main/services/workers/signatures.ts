/**
 * evaluateSignatures (services/pki) on a worker thread: the verifier's
 * default SignatureEvaluator, so the app's main thread never runs CMS checks
 * or path building. One warm worker is kept between calls (idle, it does not
 * keep the process alive); a call that is cancelled or runs past its time
 * limit terminates its worker, so a hostile bundle cannot keep a thread busy.
 */
import type { Worker } from 'node:worker_threads';
import { AirlockError } from '../../../shared/errors';
import type { SignatureEvaluation, SignatureEvaluationInput } from '../pki';
import { startInlineWorker } from './inline';
import signatureWorkerSource from './signature-worker.ts?worker-source';

/** Path building is bounded by work limits (seconds at most); this is the backstop. */
export const SIGNATURE_TIME_LIMIT_MS = 30_000;

export interface SignatureWorkerOptions {
  /** Default SIGNATURE_TIME_LIMIT_MS. */
  timeLimitMs?: number;
}

type Reply = { id: number; evaluation: SignatureEvaluation } | { id: number; error: string };

let idle: Worker | undefined;
let nextId = 0;

function takeWorker(): Worker {
  const w = idle ?? startInlineWorker(signatureWorkerSource, { name: 'airlock-signatures' });
  idle = undefined;
  w.ref();
  return w;
}

function release(w: Worker): void {
  w.removeAllListeners('message').removeAllListeners('error').removeAllListeners('exit');
  if (idle) {
    w.on('error', () => undefined); // terminating: nothing more to report
    void w.terminate();
    return;
  }
  // Kept for the next verification; idle, it does not keep the process alive.
  w.unref();
  w.on('error', () => {
    if (idle === w) idle = undefined;
  });
  w.on('exit', () => {
    if (idle === w) idle = undefined;
  });
  idle = w;
}

/** Runs evaluateSignatures on a worker thread; terminates it on abort or after the time limit. */
export function evaluateSignaturesInWorker(input: SignatureEvaluationInput, signal?: AbortSignal, options: SignatureWorkerOptions = {}): Promise<SignatureEvaluation> {
  const limit = options.timeLimitMs ?? SIGNATURE_TIME_LIMIT_MS;
  if (signal?.aborted) return Promise.reject(cancelled());
  const w = takeWorker();
  const id = ++nextId;
  return new Promise<SignatureEvaluation>((resolve, reject) => {
    let done = false;
    const end = (keepWorker: boolean) => {
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (keepWorker) release(w);
      else {
        w.removeAllListeners();
        w.on('error', () => undefined); // terminating: nothing more to report
        void w.terminate();
      }
    };
    const onAbort = () => {
      if (done) return;
      end(false);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      if (done) return;
      end(false);
      reject(
        new AirlockError(
          'verify.time-limit',
          `The signature and certificate-path checks did not finish within ${limit >= 1000 ? `${limit / 1000} s` : `${limit} ms`}, so the bundle was not accepted. A bundle whose certificates take this long to check is malformed or hostile: ask its producer for one signed with a plain chain to your trust anchor.`,
          { limitMs: limit },
        ),
      );
    }, limit);
    signal?.addEventListener('abort', onAbort);
    w.on('message', (m: Reply) => {
      if (done || m.id !== id) return;
      end(true);
      if ('error' in m) reject(new Error(`evaluateSignatures failed in its worker thread: ${m.error}`));
      else resolve(m.evaluation);
    });
    const failed = (why: string) => {
      if (done) return;
      end(false);
      reject(new AirlockError('verify.worker-failed', `The worker thread that checks signatures stopped (${why}), so the bundle was not accepted. Try again; if it happens again, report it with the log.`));
    };
    w.on('error', (e) => failed(e.message));
    w.on('exit', (code) => failed(`exit code ${code}`));
    w.postMessage({ id, input });
  });
}

function cancelled(): AirlockError {
  return new AirlockError('cancelled', 'Verification was cancelled; nothing from the bundle was kept.');
}
