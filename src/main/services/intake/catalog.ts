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
import type { Vault } from '../vault';
import type { Json, ParsedTask } from './eval-package';
import { IntakeRepository, type BundleFileRow, type EngagementRow, type TaskRow } from './intake-repository';

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

export type { BundleFileRow };

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

export class IntakeCatalog {
  private readonly repo: IntakeRepository;

  constructor(private readonly vault: Vault) {
    this.repo = new IntakeRepository(() => vault.db);
  }

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
    return this.repo.bundles().map((r) => ({
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
    return this.repo.rejections().map((r) => ({
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
    const r = this.repo.reportJson(importId);
    if (!r) throw new AirlockError('intake.not-found', `No import or rejection has id ${importId}.`, { importId });
    const report = JSON.parse(r) as VerificationReport;
    // Reports kept before checks said whether they were required: every check but the clock was.
    for (const c of report.checks) if (typeof c.required !== 'boolean') c.required = c.id !== 'clock';
    return report;
  }

  files(importId: string): BundleFileRow[] {
    return this.repo.files(importId);
  }

  engagements(): Engagement[] {
    return this.repo.engagements().map(engagementFromRow);
  }

  tasks(importId?: string): EvalTask[] {
    return this.repo.tasks(importId).map(taskFromRow);
  }

  samples(taskId: string, opts: { limit?: number; offset?: number } = {}): EvalSample[] {
    const limit = Math.max(1, Math.min(opts.limit ?? 1000, 100_000));
    return this.repo.samples(taskId, limit, Math.max(0, opts.offset ?? 0)).map((r) => ({
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

function engagementFromRow(r: EngagementRow): Engagement {
  return {
    id: r.id,
    importId: r.bundle,
    developer: r.developer,
    modelName: r.model_name,
    modelVersion: r.model_version,
    cardSha384: r.card_sha384,
    windowStart: r.window_start,
    windowEnd: r.window_end,
    accessKind: r.access_kind,
    api: r.api,
    baseUrl: r.base_url,
    model: r.model,
    credentialSha384: r.credential_sha384,
    weightsFormat: r.weights_format,
    weightFiles: r.weight_files ? (JSON.parse(r.weight_files) as BundleFileRow[]) : [],
    classification: r.classification,
    createdAt: r.created_at,
  };
}

function taskFromRow(r: TaskRow): EvalTask {
  return {
    id: r.id,
    importId: r.bundle,
    packageName: r.package_name,
    packageVersion: r.package_version,
    path: r.path,
    name: r.name,
    description: r.description,
    datasetPath: r.dataset_path,
    datasetSha384: r.dataset_sha384,
    solvers: JSON.parse(r.solvers) as Json[],
    scorers: JSON.parse(r.scorers) as Json[],
    metrics: JSON.parse(r.metrics) as Json[],
    epochs: r.epochs,
    epochReducer: r.epoch_reducer ? (JSON.parse(r.epoch_reducer) as Json) : null,
    extensions: JSON.parse(r.extensions) as Record<string, Json>,
    sampleCount: r.sample_count,
    classification: r.classification,
  };
}
