/**
 * Worker thread for the signature side of a verification (services/pki
 * evaluateSignatures: CMS, signers, path building and validation,
 * revocation), so path building never runs on the app's main thread.
 * Bundled into main with `?worker-source` and started by signatures.ts.
 * Protocol: { id, input } → { id, evaluation } | { id, error }.
 */
import { parentPort } from 'node:worker_threads';
import { evaluateSignatures, type SignatureEvaluationInput } from '../pki';

const port = parentPort!;
port.on('message', ({ id, input }: { id: number; input: SignatureEvaluationInput }) => {
  try {
    port.postMessage({ id, evaluation: evaluateSignatures(input) });
  } catch (e) {
    port.postMessage({ id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
});
