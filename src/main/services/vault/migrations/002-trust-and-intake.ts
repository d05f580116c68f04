import type { Migration } from './types';

/**
 * Trust store (anchors, CRLs, known intermediates, lab id) and bundle intake
 * (accepted bundles, their files, typed objects, rejections, pending blobs).
 */
const migration: Migration = {
  version: 2,
  name: 'trust-and-intake',
  up(db) {
    db.exec(`
      CREATE TABLE trust_anchors (
        fingerprint   TEXT PRIMARY KEY NOT NULL,   -- SHA-256 of the DER, lowercase hex
        der           BLOB NOT NULL,
        label         TEXT NOT NULL,
        subject       TEXT NOT NULL,
        subject_raw   BLOB NOT NULL,
        ski           TEXT,
        serial        TEXT NOT NULL,
        not_before    TEXT NOT NULL,
        not_after     TEXT NOT NULL,
        key_algorithm TEXT NOT NULL,
        types         TEXT NOT NULL,               -- JSON array of bundle types, or "any"
        added_at      TEXT NOT NULL,
        added_by      TEXT NOT NULL
      ) STRICT;

      -- Intermediate CA certificates seen in accepted bundles (chained to an anchor),
      -- used only to check CRL signatures at import.
      CREATE TABLE trust_intermediates (
        fingerprint TEXT PRIMARY KEY NOT NULL,
        der         BLOB NOT NULL,
        subject     TEXT NOT NULL,
        subject_raw BLOB NOT NULL,
        ski         TEXT,
        added_at    TEXT NOT NULL
      ) STRICT;

      -- The latest CRL per issuer (issuer name + authority key id).
      CREATE TABLE trust_crls (
        issuer_key  TEXT PRIMARY KEY NOT NULL,     -- hex(issuer name DER) || '/' || aki
        issuer      TEXT NOT NULL,
        issuer_raw  BLOB NOT NULL,
        aki         TEXT,
        crl_number  TEXT,                          -- decimal; NULL when the CRL has none
        this_update TEXT NOT NULL,
        next_update TEXT,
        sha256      TEXT NOT NULL,
        der         BLOB NOT NULL,
        verified_by TEXT,                          -- fingerprint of the certificate that verified its signature at import
        added_at    TEXT NOT NULL,
        added_by    TEXT NOT NULL
      ) STRICT;

      CREATE TABLE trust_settings (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE bundles (
        id             TEXT PRIMARY KEY NOT NULL,  -- import id (uuid)
        bundle_id      TEXT NOT NULL,              -- bundle.json id
        type           TEXT NOT NULL CHECK (type IN ('model-access','eval-package','result')),
        series         TEXT NOT NULL,
        sequence       INTEGER NOT NULL,
        sums_sha384    TEXT NOT NULL,
        metadata       TEXT NOT NULL,              -- bundle.json as received
        classification TEXT NOT NULL,
        title          TEXT NOT NULL,
        issuer         TEXT NOT NULL,
        issued_at      TEXT NOT NULL,
        not_before     TEXT NOT NULL,
        not_after      TEXT NOT NULL,
        source         TEXT NOT NULL,
        imported_at    TEXT NOT NULL,
        imported_by    TEXT NOT NULL,
        report         TEXT NOT NULL,              -- VerificationReport JSON
        UNIQUE (series, sequence)
      ) STRICT;
      CREATE INDEX bundles_series ON bundles(series, sequence);

      CREATE TABLE bundle_files (
        bundle  TEXT NOT NULL REFERENCES bundles(id) ON DELETE CASCADE,
        path    TEXT NOT NULL,
        sha384  TEXT NOT NULL,                     -- blob key
        size    INTEGER NOT NULL,
        PRIMARY KEY (bundle, path)
      ) STRICT;
      CREATE INDEX bundle_files_blob ON bundle_files(sha384);

      CREATE TABLE bundle_rejections (
        id          TEXT PRIMARY KEY NOT NULL,
        source      TEXT NOT NULL,
        at          TEXT NOT NULL,
        by          TEXT NOT NULL,
        bundle_id   TEXT,
        type        TEXT,
        series      TEXT,
        sequence    INTEGER,
        sums_sha384 TEXT,
        code        TEXT,
        reason      TEXT NOT NULL,
        report      TEXT NOT NULL
      ) STRICT;

      CREATE TABLE engagements (
        id                 TEXT PRIMARY KEY NOT NULL,
        bundle             TEXT NOT NULL UNIQUE REFERENCES bundles(id) ON DELETE CASCADE,
        developer          TEXT NOT NULL,
        model_name         TEXT NOT NULL,
        model_version      TEXT NOT NULL,
        card_sha384        TEXT,
        window_start       TEXT NOT NULL,
        window_end         TEXT NOT NULL,
        access_kind        TEXT NOT NULL CHECK (access_kind IN ('endpoint','weights')),
        api                TEXT,
        base_url           TEXT,
        model              TEXT,
        credential_sha384  TEXT,                   -- CMS EnvelopedData blob, never decrypted at import
        weights_format     TEXT,
        weight_files       TEXT,                   -- JSON [{path, sha384, size}]
        classification     TEXT NOT NULL,
        created_at         TEXT NOT NULL
      ) STRICT;

      CREATE TABLE eval_tasks (
        id             TEXT PRIMARY KEY NOT NULL,
        bundle         TEXT NOT NULL REFERENCES bundles(id) ON DELETE CASCADE,
        package_name   TEXT NOT NULL,
        package_version TEXT NOT NULL,
        path           TEXT NOT NULL,              -- task file path in the bundle
        name           TEXT NOT NULL,
        description    TEXT,
        dataset_path   TEXT NOT NULL,              -- bundle path
        dataset_sha384 TEXT NOT NULL,
        solvers        TEXT NOT NULL,              -- JSON
        scorers        TEXT NOT NULL,              -- JSON
        metrics        TEXT NOT NULL,              -- JSON
        epochs         INTEGER,
        epoch_reducer  TEXT,                       -- JSON
        extensions     TEXT NOT NULL,              -- JSON of x- keys
        definition     TEXT NOT NULL,              -- the whole task document as JSON
        sample_count   INTEGER NOT NULL,
        classification TEXT NOT NULL,
        UNIQUE (bundle, path)
      ) STRICT;

      CREATE TABLE eval_samples (
        task     TEXT NOT NULL REFERENCES eval_tasks(id) ON DELETE CASCADE,
        ordinal  INTEGER NOT NULL,                 -- 0-based line order
        id       TEXT NOT NULL,                    -- sample id (JSON scalar as text; ordinal+1 when absent)
        input    TEXT NOT NULL,                    -- JSON (string or message list)
        target   TEXT,                             -- JSON
        choices  TEXT,                             -- JSON
        metadata TEXT,                             -- JSON
        PRIMARY KEY (task, ordinal)
      ) STRICT;

      -- Blobs committed for an import whose DB transaction has not committed yet.
      -- Rows left here after a crash name blobs that may be orphans; they are swept.
      CREATE TABLE intake_pending (
        import_id TEXT NOT NULL,
        sha384    TEXT NOT NULL,
        PRIMARY KEY (import_id, sha384)
      ) STRICT;
    `);
  },
};
export default migration;
