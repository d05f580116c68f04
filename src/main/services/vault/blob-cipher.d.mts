/** Types for blob-cipher.mjs (plain JS so worker threads can import it directly). */
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
  /** Remaining sealed bytes including the final-chunk marker. */
  final(): Buffer;
}
export declare class BlobOpener {
  constructor(blobKey: Buffer);
  /** Plaintext (maybe empty). Throws Error with .code 'blob.corrupt'. */
  push(sealed: Uint8Array): Buffer;
  /** Throws Error with .code 'blob.truncated' or 'blob.corrupt'. */
  final(): void;
}
