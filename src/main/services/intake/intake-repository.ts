/**
 * Every SQL statement intake runs, typed once: the row shapes of the intake
 * tables (migration 002) and the statements over them, prepared once per
 * session. The importer writes through it and the catalog reads through it;
 * neither casts a database row.
 */
import type { BundleType } from '../../../shared/verification';
import { Statements, type Database } from '../vault';

export interface BundleRow {
  id: string;
  bundle_id: string;
  type: BundleType;
  series: string;
  sequence: number;
  sums_sha384: string;
  metadata: string;
  classification: string;
  title: string;
  issuer: string;
  issued_at: string;
  not_before: string;
  not_after: string;
  source: string;
  imported_at: string;
  imported_by: string;
  report: string;
}
/** A bundle row with its file count and total size. */
export interface BundleListRow extends BundleRow {
  file_count: number;
  bytes: number;
}
export interface BundleFileRow {
  path: string;
  sha384: string;
  size: number;
}
export interface RejectionRow {
  id: string;
  source: string;
  at: string;
  by: string;
  bundle_id: string | null;
  type: string | null;
  series: string | null;
  sequence: number | null;
  sums_sha384: string | null;
  code: string | null;
  reason: string;
  report: string;
}
export interface EngagementRow {
  id: string;
  bundle: string;
  developer: string;
  model_name: string;
  model_version: string;
  card_sha384: string | null;
  window_start: string;
  window_end: string;
  access_kind: 'endpoint' | 'weights';
  api: string | null;
  base_url: string | null;
  model: string | null;
  credential_sha384: string | null;
  weights_format: string | null;
  /** JSON BundleFileRow[] */
  weight_files: string | null;
  classification: string;
  created_at: string;
}
export interface TaskRow {
  id: string;
  bundle: string;
  package_name: string;
  package_version: string;
  path: string;
  name: string;
  description: string | null;
  dataset_path: string;
  dataset_sha384: string;
  /** JSON */
  solvers: string;
  scorers: string;
  metrics: string;
  epochs: number | null;
  epoch_reducer: string | null;
  extensions: string;
  definition: string;
  sample_count: number;
  classification: string;
}
export interface SampleRow {
  task: string;
  ordinal: number;
  id: string;
  /** JSON */
  input: string;
  target: string | null;
  choices: string | null;
  metadata: string | null;
}
export interface PendingRow {
  import_id: string;
  sha384: string;
}

const BUNDLE_COLUMNS = 'id, bundle_id, type, series, sequence, sums_sha384, metadata, classification, title, issuer, issued_at, not_before, not_after, source, imported_at, imported_by, report';
const ENGAGEMENT_COLUMNS =
  'id, bundle, developer, model_name, model_version, card_sha384, window_start, window_end, access_kind, api, base_url, model, credential_sha384, weights_format, weight_files, classification, created_at';
const TASK_COLUMNS =
  'id, bundle, package_name, package_version, path, name, description, dataset_path, dataset_sha384, solvers, scorers, metrics, epochs, epoch_reducer, extensions, definition, sample_count, classification';
const SAMPLE_COLUMNS = 'task, ordinal, id, input, target, choices, metadata';
const REJECTION_COLUMNS = 'id, source, at, by, bundle_id, type, series, sequence, sums_sha384, code, reason, report';

/** `INSERT INTO t (a, b) VALUES (@a, @b)` from a column list. */
const insertSql = (table: string, columns: string) => `INSERT INTO ${table} (${columns}) VALUES (${columns.split(', ').map((c) => `@${c}`).join(', ')})`;

export class IntakeRepository {
  private readonly statements: Statements;

  constructor(db: () => Database) {
    this.statements = new Statements(db);
  }

  private stmt<P extends unknown[] | object = [], R = never>(sql: string) {
    return this.statements.prepare<P, R>(sql);
  }

  // ---------------------------------------------------------------- bundles

  bundles(): BundleListRow[] {
    return this.stmt<[], BundleListRow>(
      `SELECT b.*, (SELECT COUNT(*) FROM bundle_files f WHERE f.bundle = b.id) AS file_count, (SELECT COALESCE(SUM(size),0) FROM bundle_files f WHERE f.bundle = b.id) AS bytes
       FROM bundles b ORDER BY b.imported_at DESC, b.rowid DESC`,
    ).all();
  }

  /** The stored report JSON of an import or a rejection. */
  reportJson(id: string): string | undefined {
    return (
      this.stmt<[string], { report: string }>('SELECT report FROM bundles WHERE id = ?').get(id)?.report ??
      this.stmt<[string], { report: string }>('SELECT report FROM bundle_rejections WHERE id = ?').get(id)?.report
    );
  }

  /** The highest sequence accepted in a series. */
  seriesHead(series: string): { sequence: number; sums_sha384: string } | undefined {
    return this.stmt<[string], { sequence: number; sums_sha384: string }>('SELECT sequence, sums_sha384 FROM bundles WHERE series = ? ORDER BY sequence DESC LIMIT 1').get(series);
  }

  bundleAt(series: string, sequence: number): { id: string; sums_sha384: string } | undefined {
    return this.stmt<[string, number], { id: string; sums_sha384: string }>('SELECT id, sums_sha384 FROM bundles WHERE series = ? AND sequence = ?').get(series, sequence);
  }

  insertBundle(row: BundleRow): void {
    this.stmt<BundleRow>(insertSql('bundles', BUNDLE_COLUMNS)).run(row);
  }

  files(importId: string): BundleFileRow[] {
    return this.stmt<[string], BundleFileRow>('SELECT path, sha384, size FROM bundle_files WHERE bundle = ? ORDER BY path').all(importId);
  }

  insertFile(importId: string, f: BundleFileRow): void {
    this.stmt<[string, string, string, number]>('INSERT INTO bundle_files (bundle, path, sha384, size) VALUES (?, ?, ?, ?)').run(importId, f.path, f.sha384, f.size);
  }

  isReferenced(sha384: string): boolean {
    return this.stmt<[string], { one: number }>('SELECT 1 AS one FROM bundle_files WHERE sha384 = ? LIMIT 1').get(sha384) !== undefined;
  }

  // ---------------------------------------------------------------- rejections

  rejections(): RejectionRow[] {
    return this.stmt<[], RejectionRow>('SELECT * FROM bundle_rejections ORDER BY at DESC, rowid DESC').all();
  }

  insertRejection(row: RejectionRow): void {
    this.stmt<RejectionRow>(insertSql('bundle_rejections', REJECTION_COLUMNS)).run(row);
  }

  // ---------------------------------------------------------------- typed objects

  engagements(): EngagementRow[] {
    return this.stmt<[], EngagementRow>('SELECT * FROM engagements ORDER BY window_start, id').all();
  }

  insertEngagement(row: EngagementRow): void {
    this.stmt<EngagementRow>(insertSql('engagements', ENGAGEMENT_COLUMNS)).run(row);
  }

  tasks(importId?: string): TaskRow[] {
    return importId
      ? this.stmt<[string], TaskRow>('SELECT * FROM eval_tasks WHERE bundle = ? ORDER BY path').all(importId)
      : this.stmt<[], TaskRow>('SELECT * FROM eval_tasks ORDER BY package_name, path').all();
  }

  insertTask(row: TaskRow): void {
    this.stmt<TaskRow>(insertSql('eval_tasks', TASK_COLUMNS)).run(row);
  }

  samples(taskId: string, limit: number, offset: number): SampleRow[] {
    return this.stmt<[string, number, number], SampleRow>(`SELECT ${SAMPLE_COLUMNS} FROM eval_samples WHERE task = ? ORDER BY ordinal LIMIT ? OFFSET ?`).all(taskId, limit, offset);
  }

  insertSample(row: SampleRow): void {
    this.stmt<SampleRow>(insertSql('eval_samples', SAMPLE_COLUMNS)).run(row);
  }

  // ---------------------------------------------------------------- the blob journal (see importer.ts)

  pending(): PendingRow[] {
    return this.stmt<[], PendingRow>('SELECT import_id, sha384 FROM intake_pending').all();
  }

  pendingHolders(sha384: string): string[] {
    return this.stmt<[string], { import_id: string }>('SELECT import_id FROM intake_pending WHERE sha384 = ?').all(sha384).map((r) => r.import_id);
  }

  addPending(importId: string, sha384: string): void {
    this.stmt<[string, string]>('INSERT OR IGNORE INTO intake_pending (import_id, sha384) VALUES (?, ?)').run(importId, sha384);
  }

  removePending(importId: string, sha384?: string): void {
    if (sha384 === undefined) this.stmt<[string]>('DELETE FROM intake_pending WHERE import_id = ?').run(importId);
    else this.stmt<[string, string]>('DELETE FROM intake_pending WHERE import_id = ? AND sha384 = ?').run(importId, sha384);
  }
}
