import type { Migration } from './types';

/** Core vault schema: meta key/value, audit chain, blob index. */
const migration: Migration = {
  version: 1,
  name: 'core',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE audit (
        seq       INTEGER PRIMARY KEY,
        time      TEXT NOT NULL,
        actor     TEXT NOT NULL,
        action    TEXT NOT NULL,
        target    TEXT,
        outcome   TEXT NOT NULL CHECK (outcome IN ('success','failure')),
        detail    TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_action ON audit(action);
      -- Append-only in normal operation (defence in depth; the hash chain is the real check).
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;

      CREATE TABLE blobs (
        sha384     TEXT PRIMARY KEY NOT NULL,  -- hex SHA-384 of the plaintext
        file       TEXT NOT NULL UNIQUE,       -- HMAC-derived file name (no plaintext hash on disk)
        size       INTEGER NOT NULL,           -- plaintext bytes
        created_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
export default migration;
