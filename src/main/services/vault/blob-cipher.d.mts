/** Types for blob-cipher.mjs. */
export declare const BLOB_MAGIC: Buffer;
export declare const BLOB_VERSION: number;
export declare const HEADER_SIZE: number;
export declare const FRAME_OVERHEAD: number;
export declare const DEFAULT_CHUNK_SIZE: number;
export declare const MAX_CHUNK_SIZE: number;
export declare function sealedSize(size: number, chunkSize?: number): number;
export declare class BlobSealer {
  constructor(blobKey: Buffer, chunkSize?: number);
  /** Sealed bytes to append (maybe empty). */
  push(plain: Uint8Array): Buffer;
  /** Remaining sealed bytes including the final-chunk marker (then zeroes its keys, as destroy()). */
  final(): Buffer;
  /** Zeroes the chunk key and buffered plaintext; the sealer is unusable after (call it when a seal is abandoned). */
  destroy(): void;
}
export declare class BlobOpener {
  constructor(blobKey: Buffer);
  /** Plaintext (maybe empty). Throws Error with .code 'blob.corrupt'. */
  push(sealed: Uint8Array): Buffer;
  /** Throws Error with .code 'blob.truncated' or 'blob.corrupt'. */
  final(): void;
}
/** bit 31 of a frame word: this is the last chunk. */
export declare const FINAL_FLAG: number;
/** Validates a 48-byte header; returns its chunk size. Throws Error with .code 'blob.corrupt'. */
export declare function parseHeader(header: Buffer): number;
/** A fresh header (random salt and nonce prefix) for `chunkSize`. */
export declare function newHeader(chunkSize: number): Buffer;
/** HKDF-derived AES-256-GCM key for the blob with this header (caller zeroes it). */
export declare function headerChunkKey(blobKey: Buffer, header: Buffer): Buffer;
export declare function frameNonce(header: Buffer, index: number): Buffer;
export declare function frameAad(header: Buffer, index: number, word: number): Buffer;
