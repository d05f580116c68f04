/**
 * Intake catalog: read-only queries over what intake recorded in the vault —
 * accepted bundles and their files, rejection records, stored verification
 * reports, and the typed objects of accepted bundles (engagements, eval tasks
 * and samples). The write side (verify, quarantine, commit/reject, sweep) is
 * BundleImporter in ./importer.
 */
import { AirlockError, isAirlockError } from '../../../shared/errors';
import { MODEL_CARD_MAX_BYTES } from '../../../shared/limits';
import type { BundleType, VerificationReport } from '../../../shared/verification';
import type { Vault } from '../vault/index';
import type { Json, ParsedTask } from './eval-package';

export interface ImportedBundle {
  importId: string;
  bundleId: string;
  type: BundleType;
  series: string;
  sequence: number;
  sumsSha384: string;
  title: string;
  issuer: string;
  classification: string;
  issuedAt: string;
  notBefore: string;
  notAfter: string;
  source: string;
  importedAt: string;
  importedBy: string;
  fileCount: number;
  bytes: number;
}

export interface RejectedBundle {
  rejectionId: string;
  source: string;
  at: string;
  by: string;
  bundleId: string | null;
  type: string | null;
  series: string | null;
  sequence: number | null;
  sumsSha384: string | null;
  code: string | null;
  reason: string;
}

export type ImportListItem =
  | (ImportedBundle & { verdict: 'accepted' })
  | {
      verdict: 'rejected';
      importId: string;
      bundleId: string;
      type: BundleType;
      title: string;
      series: string;
      sequence: number;
      classification: string;
      importedAt: string;
      source: string;
      sumsSha384: string | null;
      code: string | null;
      reason: string;
    };

export interface BundleFileRow {
  path: string;
  sha384: string;
  size: number;
}

export interface Engagement {
  id: string;
  importId: string;
  developer: string;
  modelName: string;
  modelVersion: string;
  cardSha384: string | null;
  windowStart: string;
  windowEnd: string;
  accessKind: 'endpoint' | 'weights';
  api: string | null;
  baseUrl: string | null;
  model: string | null;
  /** Blob holding the CMS EnvelopedData credential (still encrypted to the lab certificate). */
  credentialSha384: string | null;
  weightsFormat: string | null;
  weightFiles: BundleFileRow[];
  classification: string;
  createdAt: string;
}

/** A stored task: the parsed task file (without its full document) plus where it came from. */
export interface EvalTask extends Omit<ParsedTask, 'definition'> {
  id: string;
  importId: string;
  packageName: string;
  packageVersion: string;
  datasetSha384: string;
  sampleCount: number;
  classification: string;
}

export interface EvalSample {
  ordinal: number;
  id: string;
  input: Json;
  target: Json | null;
  choices: string[] | null;
  metadata: Record<string, Json> | null;
}

interface BundleRow {
  id: string;
  bundle_id: string;
  type: BundleType;
  series: string;
  sequence: number;
  sums_sha384: string;
  classification: string;
  title: string;
  issuer: string;
  issued_at: string;
  not_before: string;
  not_after: string;
  source: string;
  imported_at: string;
  imported_by: string;
  file_count: number;
  bytes: number;
}

export class IntakeCatalog {
  constructor(private readonly vault: Vault) {}

  /**
   * Imports and rejections, newest first, in one list for the bundles screen.
   * Rejections whose bundle.json never validated (no type/title) are only in rejections().
   */
  list(): ImportListItem[] {
    const items: ImportListItem[] = this.imported().map((b) => ({ ...b, verdict: 'accepted' as const }));
    for (const r of this.rejections()) {
      if (!r.type || r.bundleId === null || r.series === null || r.sequence === null) continue;
      const b = this.report(r.rejectionId).bundle;
      items.push({
        verdict: 'rejected',
        importId: r.rejectionId,
        bundleId: r.bundleId,
        type: r.type as BundleType,
        title: b?.title ?? r.bundleId,
        series: r.series,
        sequence: r.sequence,
        classification: b?.classification ?? '',
        importedAt: r.at,
        source: r.source,
        sumsSha384: r.sumsSha384,
        code: r.code,
        reason: r.reason,
      });
    }
    return items.sort((a, b) => (a.importedAt < b.importedAt ? 1 : a.importedAt > b.importedAt ? -1 : 0));
  }

  /** Accepted bundles, newest first. */
  imported(): ImportedBundle[] {
    const db = this.vault.db;
    return (
      db
        .prepare(
          `SELECT b.*, (SELECT COUNT(*) FROM bundle_files f WHERE f.bundle = b.id) AS file_count, (SELECT COALESCE(SUM(size),0) FROM bundle_files f WHERE f.bundle = b.id) AS bytes
           FROM bundles b ORDER BY b.imported_at DESC, b.rowid DESC`,
        )
        .all() as BundleRow[]
    ).map((r) => ({
      importId: r.id,
      bundleId: r.bundle_id,
      type: r.type,
      series: r.series,
      sequence: r.sequence,
      sumsSha384: r.sums_sha384,
      title: r.title,
      issuer: r.issuer,
      classification: r.classification,
      issuedAt: r.issued_at,
      notBefore: r.not_before,
      notAfter: r.not_after,
      source: r.source,
      importedAt: r.imported_at,
      importedBy: r.imported_by,
      fileCount: r.file_count,
      bytes: r.bytes,
    }));
  }

  /** Every rejection record, newest first. */
  rejections(): RejectedBundle[] {
    return (
      this.vault.db.prepare('SELECT * FROM bundle_rejections ORDER BY at DESC, rowid DESC').all() as {
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
      }[]
    ).map((r) => ({
      rejectionId: r.id,
      source: r.source,
      at: r.at,
      by: r.by,
      bundleId: r.bundle_id,
      type: r.type,
      series: r.series,
      sequence: r.sequence,
      sumsSha384: r.sums_sha384,
      code: r.code,
      reason: r.reason,
    }));
  }

  /** The stored verification report of an import or a rejection. */
  report(importId: string): VerificationReport {
    const db = this.vault.db;
    const r = (db.prepare('SELECT report FROM bundles WHERE id = ?').pluck().get(importId) ?? db.prepare('SELECT report FROM bundle_rejections WHERE id = ?').pluck().get(importId)) as
      | string
      | undefined;
    if (!r) throw new AirlockError('intake.not-found', `No import or rejection has id ${importId}.`, { importId });
    return JSON.parse(r) as VerificationReport;
  }

  files(importId: string): BundleFileRow[] {
    return this.vault.db.prepare('SELECT path, sha384, size FROM bundle_files WHERE bundle = ? ORDER BY path').all(importId) as BundleFileRow[];
  }

  engagements(): Engagement[] {
    const rows = this.vault.db.prepare('SELECT * FROM engagements ORDER BY window_start, id').all() as Record<string, string | null>[];
    return rows.map((r) => ({
      id: r.id!,
      importId: r.bundle!,
      developer: r.developer!,
      modelName: r.model_name!,
      modelVersion: r.model_version!,
      cardSha384: r.card_sha384 ?? null,
      windowStart: r.window_start!,
      windowEnd: r.window_end!,
      accessKind: r.access_kind as 'endpoint' | 'weights',
      api: r.api ?? null,
      baseUrl: r.base_url ?? null,
      model: r.model ?? null,
      credentialSha384: r.credential_sha384 ?? null,
      weightsFormat: r.weights_format ?? null,
      weightFiles: r.weight_files ? (JSON.parse(r.weight_files) as BundleFileRow[]) : [],
      classification: r.classification!,
      createdAt: r.created_at!,
    }));
  }

  tasks(importId?: string): EvalTask[] {
    const db = this.vault.db;
    const rows = (importId ? db.prepare('SELECT * FROM eval_tasks WHERE bundle = ? ORDER BY path').all(importId) : db.prepare('SELECT * FROM eval_tasks ORDER BY package_name, path').all()) as Record<
      string,
      string | number | null
    >[];
    return rows.map((r) => ({
      id: r.id as string,
      importId: r.bundle as string,
      packageName: r.package_name as string,
      packageVersion: r.package_version as string,
      path: r.path as string,
      name: r.name as string,
      description: (r.description as string | null) ?? null,
      datasetPath: r.dataset_path as string,
      datasetSha384: r.dataset_sha384 as string,
      solvers: JSON.parse(r.solvers as string) as Json[],
      scorers: JSON.parse(r.scorers as string) as Json[],
      metrics: JSON.parse(r.metrics as string) as Json[],
      epochs: (r.epochs as number | null) ?? null,
      epochReducer: r.epoch_reducer ? (JSON.parse(r.epoch_reducer as string) as Json) : null,
      extensions: JSON.parse(r.extensions as string) as Record<string, Json>,
      sampleCount: r.sample_count as number,
      classification: r.classification as string,
    }));
  }

  samples(taskId: string, opts: { limit?: number; offset?: number } = {}): EvalSample[] {
    const limit = Math.max(1, Math.min(opts.limit ?? 1000, 100_000));
    const rows = this.vault.db
      .prepare('SELECT ordinal, id, input, target, choices, metadata FROM eval_samples WHERE task = ? ORDER BY ordinal LIMIT ? OFFSET ?')
      .all(taskId, limit, Math.max(0, opts.offset ?? 0)) as { ordinal: number; id: string; input: string; target: string | null; choices: string | null; metadata: string | null }[];
    return rows.map((r) => ({
      ordinal: r.ordinal,
      id: r.id,
      input: JSON.parse(r.input) as Json,
      target: r.target === null ? null : (JSON.parse(r.target) as Json),
      choices: r.choices === null ? null : (JSON.parse(r.choices) as string[]),
      metadata: r.metadata === null ? null : (JSON.parse(r.metadata) as Record<string, Json>),
    }));
  }

  /** An engagement's Markdown model card (≤ 1 MiB UTF-8), or null when the bundle has none. */
  async modelCard(engagementId: string): Promise<{ path: string; markdown: string } | null> {
    const engagement = this.engagements().find((e) => e.id === engagementId);
    if (!engagement) {
      throw new AirlockError('content.engagement-not-found', `No engagement with id ${engagementId} is in this vault. Refresh the engagement list and choose again.`, {
        engagementId,
      });
    }
    if (!engagement.cardSha384) return null;
    const file = this.files(engagement.importId).find((f) => f.sha384 === engagement.cardSha384);
    if (!file) {
      throw new AirlockError('content.card-missing', `The model card of engagement ${engagementId} is not among its bundle's files. Run a vault check from the Vault screen.`, {
        engagementId,
      });
    }
    const tooLarge = () =>
      new AirlockError('content.card-too-large', `The model card ${file.path} is larger than 1 MiB; Airlock shows cards up to 1 MiB.`, { path: file.path, size: file.size });
    if (file.size > MODEL_CARD_MAX_BYTES) throw tooLarge();
    const bytes = await this.vault.blobs.readAll(file.sha384, MODEL_CARD_MAX_BYTES).catch((e: unknown) => {
      throw isAirlockError(e) && e.code === 'blob.too-large' ? tooLarge() : e;
    });
    try {
      return { path: file.path, markdown: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      throw new AirlockError('content.card-not-text', `The model card ${file.path} is not UTF-8 text, so it cannot be shown.`, { path: file.path });
    }
  }
}
