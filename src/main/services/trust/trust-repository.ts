/**
 * Every SQL statement the trust store runs, typed once: the rows of the trust
 * tables (migration 002) and the statements over them, prepared once per
 * session. The trust store casts no database row.
 */
import { Statements, type Database } from '../vault';

export interface AnchorRow {
  fingerprint: string;
  der: Uint8Array;
  label: string;
  subject: string;
  subject_raw: Uint8Array;
  ski: string | null;
  serial: string;
  not_before: string;
  not_after: string;
  key_algorithm: string;
  /** JSON array of bundle types, or "any" */
  types: string;
  added_at: string;
  added_by: string;
}

export interface CrlRow {
  issuer_key: string;
  issuer: string;
  issuer_raw: Uint8Array;
  aki: string | null;
  crl_number: string | null;
  this_update: string;
  next_update: string | null;
  sha256: string;
  der: Uint8Array;
  verified_by: string | null;
  added_at: string;
  added_by: string;
}

/** A CA certificate that may issue CRLs: an anchor, or an intermediate seen in an accepted bundle. */
export interface IssuerRow {
  fingerprint: string;
  der: Uint8Array;
  subject_raw: Uint8Array;
  ski: string | null;
}

export interface IntermediateRow extends IssuerRow {
  subject: string;
  added_at: string;
}

/** SQLite hands BLOBs back as Buffers; keep Uint8Array views for callers, store Buffers. */
const blob = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

export class TrustRepository {
  private readonly statements: Statements;

  constructor(db: () => Database) {
    this.statements = new Statements(db);
  }

  private stmt<P extends unknown[] | object = [], R = never>(sql: string) {
    return this.statements.prepare<P, R>(sql);
  }

  // ---------------------------------------------------------------- anchors

  anchors(): AnchorRow[] {
    return this.stmt<[], AnchorRow>('SELECT * FROM trust_anchors ORDER BY added_at, fingerprint').all();
  }

  anchor(fingerprint: string): AnchorRow | undefined {
    return this.stmt<[string], AnchorRow>('SELECT * FROM trust_anchors WHERE fingerprint = ?').get(fingerprint);
  }

  insertAnchor(row: AnchorRow): void {
    this.stmt<AnchorRow>(
      `INSERT INTO trust_anchors (fingerprint, der, label, subject, subject_raw, ski, serial, not_before, not_after, key_algorithm, types, added_at, added_by)
       VALUES (@fingerprint, @der, @label, @subject, @subject_raw, @ski, @serial, @not_before, @not_after, @key_algorithm, @types, @added_at, @added_by)`,
    ).run({ ...row, der: blob(row.der), subject_raw: blob(row.subject_raw) });
  }

  deleteAnchor(fingerprint: string): void {
    this.stmt<[string]>('DELETE FROM trust_anchors WHERE fingerprint = ?').run(fingerprint);
  }

  // ---------------------------------------------------------------- intermediates and issuers

  intermediates(): IntermediateRow[] {
    return this.stmt<[], IntermediateRow>('SELECT fingerprint, der, subject, subject_raw, ski, added_at FROM trust_intermediates ORDER BY subject').all();
  }

  /** True when the row was new. */
  insertIntermediate(row: IntermediateRow): boolean {
    return (
      this.stmt<[string, Buffer, string, Buffer, string | null, string]>(
        'INSERT OR IGNORE INTO trust_intermediates (fingerprint, der, subject, subject_raw, ski, added_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(row.fingerprint, blob(row.der), row.subject, blob(row.subject_raw), row.ski, row.added_at).changes > 0
    );
  }

  /** Every CA certificate known to the store: anchors, then intermediates. */
  issuers(): IssuerRow[] {
    return [
      ...this.stmt<[], IssuerRow>('SELECT fingerprint, der, subject_raw, ski FROM trust_anchors').all(),
      ...this.stmt<[], IssuerRow>('SELECT fingerprint, der, subject_raw, ski FROM trust_intermediates').all(),
    ];
  }

  // ---------------------------------------------------------------- CRLs

  crls(): CrlRow[] {
    return this.stmt<[], CrlRow>('SELECT * FROM trust_crls ORDER BY issuer, issuer_key').all();
  }

  crl(issuerKey: string): CrlRow | undefined {
    return this.stmt<[string], CrlRow>('SELECT * FROM trust_crls WHERE issuer_key = ?').get(issuerKey);
  }

  /** Insert, or replace the CRL held for the same issuer key. */
  upsertCrl(row: CrlRow): void {
    this.stmt<CrlRow>(
      `INSERT INTO trust_crls (issuer_key, issuer, issuer_raw, aki, crl_number, this_update, next_update, sha256, der, verified_by, added_at, added_by)
       VALUES (@issuer_key, @issuer, @issuer_raw, @aki, @crl_number, @this_update, @next_update, @sha256, @der, @verified_by, @added_at, @added_by)
       ON CONFLICT(issuer_key) DO UPDATE SET issuer = excluded.issuer, issuer_raw = excluded.issuer_raw, aki = excluded.aki,
         crl_number = excluded.crl_number, this_update = excluded.this_update, next_update = excluded.next_update,
         sha256 = excluded.sha256, der = excluded.der, verified_by = excluded.verified_by, added_at = excluded.added_at, added_by = excluded.added_by`,
    ).run({ ...row, der: blob(row.der), issuer_raw: blob(row.issuer_raw) });
  }

  // ---------------------------------------------------------------- settings

  labId(): string | undefined {
    return this.stmt<[], { value: string }>("SELECT value FROM trust_settings WHERE key = 'lab_id'").get()?.value;
  }

  setLabId(value: string): void {
    this.stmt<[string]>("INSERT INTO trust_settings(key, value) VALUES ('lab_id', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(value);
  }
}
