/**
 * SHA-384 of a long BlobStore.put() on its own thread (bundled into main with
 * `?worker-source`, started by Sha384Stream in blob-store.ts). Protocol: each
 * message is a transferred ArrayBuffer of plaintext, hashed, zeroed and
 * acknowledged with its length; `null` asks for the hex digest.
 */
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

const port = parentPort!;
const hash = createHash('sha384');
port.on('message', (m: ArrayBuffer | null) => {
  if (m === null) {
    port.postMessage(hash.digest('hex'));
    return;
  }
  const plain = new Uint8Array(m);
  hash.update(plain);
  plain.fill(0);
  port.postMessage(m.byteLength);
});
