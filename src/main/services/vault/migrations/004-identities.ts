import type { Migration } from './types';

/**
 * The keystore (identities): each row is a person's or the lab's certificate
 * with its private key sealed under the holder's own password (scrypt +
 * AES-256-GCM, parameters and salt stored beside it). The sealed key lives in
 * the encrypted DB, so it is under the vault key as well; the certificate and
 * its chain are clear columns of that encrypted DB.
 */
const migration: Migration = {
  version: 4,
  name: 'identities',
  up(db) {
    db.exec(`
      CREATE TABLE identities (
        id          TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 64), -- SHA-256 of the certificate DER, lowercase hex
        certificate BLOB NOT NULL,
        subject     TEXT NOT NULL,
        issuer      TEXT NOT NULL,
        serial      TEXT NOT NULL,
        key_type    TEXT NOT NULL,
        not_before  TEXT NOT NULL,
        not_after   TEXT NOT NULL,
        source      TEXT NOT NULL CHECK (source IN ('pkcs12', 'pem')),
        sealed_key  BLOB NOT NULL,          -- version 1 | nonce(12) | AES-256-GCM(PKCS#8 DER) | tag(16)
        kdf_salt    BLOB NOT NULL CHECK (length(kdf_salt) = 32),
        kdf_n       INTEGER NOT NULL,
        kdf_r       INTEGER NOT NULL,
        kdf_p       INTEGER NOT NULL,
        added_at    TEXT NOT NULL,
        added_by    TEXT NOT NULL,
        password_changed_at TEXT
      ) STRICT;

      -- The certificates that came with an identity (issuers up to, maybe, the root), in file order.
      CREATE TABLE identity_chain (
        identity_id TEXT NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
        position    INTEGER NOT NULL,
        der         BLOB NOT NULL,
        PRIMARY KEY (identity_id, position)
      ) STRICT;
    `);
  },
};
export default migration;
