import type { Migration } from './types';

/**
 * Binds each blob row to its sealed file: `header` holds the file's 48-byte
 * header (random per-blob salt and nonce prefix) as written at commit. Every
 * chunk's GCM tag covers that header, so a file whose header matches the row
 * and whose chunks all authenticate is exactly the sealed stream committed for
 * this row — the reader then need not re-hash the plaintext. Rows from before
 * this migration keep NULL and are verified by SHA-384 on every read.
 */
const migration: Migration = {
  version: 3,
  name: 'blob-binding',
  up(db) {
    db.exec(`ALTER TABLE blobs ADD COLUMN header BLOB CHECK (header IS NULL OR length(header) = 48);`);
  },
};
export default migration;
