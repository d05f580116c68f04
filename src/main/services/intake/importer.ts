/**
 * Bundle import (intake): verify a bundle offline against the trust store,
 * quarantine its bytes into the vault in the same pass (FileSink), and on
 * acceptance record the bundle, its files and its typed objects (engagements,
 * eval tasks and samples) in one DB transaction. Nothing from a rejected
 * bundle reaches the vault except the rejection record (spec §7).
 *
 * Blob / row ordering: the verifier commits staged blobs (vault.blobs
 * commitStaged, each indexed in `blobs`) before the importer's transaction.
 * Blobs that are new for this import are first journalled in
 * `intake_pending`; the main transaction deletes those journal rows. If the
 * import fails after the blobs were committed, they are deleted again; if the
 * process dies in between, `sweep()` (run when an importer is created) deletes
 * every journalled blob that no bundle references. A blob without a bundle row
 * is unreachable from every query, so an orphan is harmless until swept.
 *
 * Queries over what was imported (and rejected) are IntakeCatalog in ./catalog.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { AirlockError, isAirlockError, type ErrorDto } from '../../../shared/errors';
import type { CheckResult, VerificationReport } from '../../../shared/verification';
import { firstFailure } from '../../../shared/verification';
import { verifyBundleDetailed, type BundleMetadata, type FileSink, type SinkTarget, type StagedFile, type VerifyOptions, type VerifyProgress } from '../bundles';
import type { TrustStore } from '../trust';
import type { Vault } from '../vault';
import { parseDataset, parseTask, type ParsedSample, type ParsedTask } from './eval-package';
import { IntakeRepository } from './intake-repository';

export type ImportOutcome = 'imported' | 'already-imported' | 'rejected' | 'cancelled';

export interface ImportResult {
  outcome: ImportOutcome;
  /** Bundle row id (imported / already-imported) or rejection id (rejected); '' when cancelled. */
  importId: string;
  /** Absent only when cancelled before a report existed. */
  report?: VerificationReport;
  /** Why the import was rejected after the verifier accepted (malformed task/dataset), or cancelled. */
  error?: ErrorDto;
}

export interface ImportOptions {
  onProgress?: (p: VerifyProgress) => void;
  signal?: AbortSignal;
  /** Audit actor (default: the vault's operator). */
  actor?: string;
  /** Hashing workers (tests). */
  concurrency?: number;
}

const SUMS = 'SHA384SUMS';
const SIG = 'SHA384SUMS.p7s';

/** FileSink over the vault's blob staging, journalling new blobs in intake_pending. */
class VaultSink implements FileSink {
  readonly opened: SinkTarget[] = [];
  /** Blobs this import added to the store (not present before). */
  readonly fresh = new Set<string>();
  committed = false;

  constructor(
    private readonly vault: Vault,
    private readonly repo: IntakeRepository,
    private readonly importId: string,
    private readonly signal?: AbortSignal,
  ) {}

  async open(_path: string, _size: number): Promise<SinkTarget> {
    if (this.signal?.aborted) throw new AirlockError('cancelled', 'Import cancelled.');
    const t = this.vault.blobs.stage();
    this.opened.push(t);
    return t;
  }

  private zeroKeys(): void {
    for (const t of this.opened) t.blobKey.fill(0);
  }

  async commit(staged: StagedFile[]): Promise<void> {
    this.zeroKeys();
    const done = new Set<string>();
    try {
      const fresh = [...new Set(staged.map((s) => s.sha384))].filter((h) => !this.vault.blobs.has(h));
      this.vault.transaction(() => {
        for (const h of fresh) this.repo.addPending(this.importId, h);
      });
      for (const h of fresh) this.fresh.add(h);
      for (const s of staged) {
        await this.vault.blobs.commitStaged(s.tempPath, { sha384: s.sha384, size: s.size });
        done.add(s.tempPath);
      }
      this.committed = true;
    } catch (e) {
      for (const s of staged) if (!done.has(s.tempPath)) await this.vault.blobs.discardStaged(s.tempPath).catch(() => undefined);
      throw e;
    }
  }

  async discard(staged: StagedFile[]): Promise<void> {
    this.zeroKeys();
    const paths = new Set([...staged.map((s) => s.tempPath), ...this.opened.map((t) => t.tempPath)]);
    for (const p of paths) await this.vault.blobs.discardStaged(p).catch(() => undefined);
  }
}

function sha384(b: Uint8Array): string {
  return crypto.createHash('sha384').update(b).digest('hex');
}

export class BundleImporter {
  /** Import ids in flight in this process (their journal rows are not swept). */
  private readonly inFlight = new Set<string>();
  private readonly repo: IntakeRepository;

  constructor(
    private readonly vault: Vault,
    private readonly trust: TrustStore,
  ) {
    this.repo = new IntakeRepository(() => vault.db);
    this.sweep();
  }

  /**
   * Delete blobs journalled by an import that never committed (crash debris)
   * and no bundle references. Returns how many blobs were removed.
   */
  sweep(): number {
    const stale = this.repo.pending().filter((r) => !this.inFlight.has(r.import_id));
    if (stale.length === 0) return 0;
    let removed = 0;
    for (const r of stale) removed += this.dropIfUnreferenced(r.sha384) ? 1 : 0;
    this.vault.transaction(() => {
      for (const r of stale) this.repo.removePending(r.import_id, r.sha384);
    });
    this.vault.blobs.sweepOrphans();
    return removed;
  }

  private dropIfUnreferenced(h: string): boolean {
    if (this.repo.isReferenced(h)) return false;
    // Another import in flight in this process also staged this blob: leave it to that import.
    if (this.repo.pendingHolders(h).some((id) => this.inFlight.has(id))) return false;
    return this.vault.blobs.delete(h);
  }

  /** Undo the blobs an unfinished import committed. */
  private async undoBlobs(importId: string, sink: VaultSink): Promise<void> {
    this.inFlight.delete(importId);
    for (const h of sink.fresh) this.dropIfUnreferenced(h);
    this.repo.removePending(importId);
  }

  private seriesState(series: string): { sequence: number; sumsSha384: string } | undefined {
    const r = this.repo.seriesHead(series);
    return r ? { sequence: r.sequence, sumsSha384: r.sums_sha384 } : undefined;
  }

  async import(source: string, opts: ImportOptions = {}): Promise<ImportResult> {
    const src = path.resolve(source);
    const importId = crypto.randomUUID();
    const status = this.vault.clock.status();
    const verifyOpts: VerifyOptions = {
      ...this.trust.verifyOptions(),
      at: this.vault.clock.now(),
      clockBehindMs: status.behindMs,
      seriesState: (s) => this.seriesState(s),
      requireCrls: true,
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    };
    const sink = new VaultSink(this.vault, this.repo, importId, opts.signal);
    verifyOpts.sink = sink;
    this.inFlight.add(importId);
    const cancelledResult = async (report?: VerificationReport): Promise<ImportResult> => {
      await this.undoBlobs(importId, sink);
      this.vault.audit.append({ actor: opts.actor, action: 'bundle.import-cancelled', target: src, outcome: 'failure', detail: { source: src } });
      return { outcome: 'cancelled', importId: '', ...(report ? { report } : {}), error: { code: 'cancelled', message: 'The import was cancelled; nothing from the bundle was kept.' } };
    };

    let detailed;
    try {
      detailed = await verifyBundleDetailed(src, verifyOpts);
    } catch (e) {
      if (isAirlockError(e) && e.code === 'cancelled') return cancelledResult();
      await this.undoBlobs(importId, sink);
      throw e;
    }
    const { report, metadata } = detailed;
    const b = report.bundle;
    this.vault.audit.append({
      actor: opts.actor,
      action: 'bundle.verified',
      target: src,
      outcome: report.verdict === 'accepted' ? 'success' : 'failure',
      detail: { source: src, verdict: report.verdict, id: b?.id ?? null, series: b?.series ?? null, sequence: b?.sequence ?? null, sumsSha384: report.sumsSha384 ?? null, code: firstFailure(report)?.code ?? null },
    });

    if (report.verdict !== 'accepted' || !metadata || !report.sumsSha384) {
      await this.undoBlobs(importId, sink);
      return this.reject(importId, src, report, opts.actor);
    }
    if (opts.signal?.aborted) return cancelledResult(report);

    // Accepted by the verifier: read the typed content back from the vault (the verified bytes).
    try {
      const files = new Map<string, { sha384: string; size: number }>();
      for (const s of detailed.sums ?? []) files.set(s.path, { sha384: s.sha384, size: s.size });
      // SHA384SUMS and the signature: small, kept for provenance, exactly the bytes the verifier checked.
      if (!detailed.signedRoot) throw new Error('the verifier accepted a bundle without returning its signed root');
      const extra = await this.keepRoots(importId, detailed.signedRoot, detailed.chainCertificates ?? [], sink);
      for (const [p, f] of extra) files.set(p, f);
      const metaBytes = await this.vault.blobs.readAll(files.get('bundle.json')!.sha384, 1 << 20);
      const typed = await this.parseTyped(metadata, files);
      if (opts.signal?.aborted) return cancelledResult(report);
      const outcome = this.commit(importId, src, report, metadata, metaBytes.toString('utf8'), files, typed, opts.actor);
      this.inFlight.delete(importId);
      if (outcome.already) {
        await this.undoBlobs(importId, sink);
        return { outcome: 'already-imported', importId: outcome.id ?? '', report };
      }
      if (outcome.conflict) {
        await this.undoBlobs(importId, sink);
        return this.reject(importId, src, outcome.conflict, opts.actor);
      }
      return { outcome: 'imported', importId, report };
    } catch (e) {
      await this.undoBlobs(importId, sink);
      if (isAirlockError(e) && e.code.startsWith('intake.malformed')) {
        const check: CheckResult = { id: 'metadata', status: 'fail', required: true, code: 'metadata.schema', reason: e.message, detail: { ...(e.detail ?? {}), intakeCode: e.code } };
        const rejected: VerificationReport = { ...report, verdict: 'rejected', checks: report.checks.map((c) => (c.id === 'metadata' ? check : c)) };
        const r = this.reject(importId, src, rejected, opts.actor, e.code);
        return { ...r, error: { code: e.code, message: e.message, ...(e.detail ? { detail: { ...e.detail } } : {}) } };
      }
      throw e;
    } finally {
      this.inFlight.delete(importId);
    }
  }

  /**
   * Store SHA384SUMS and SHA384SUMS.p7s as blobs — the very bytes the verifier checked, never a second read
   * of the medium — and record the intermediates the signature carries.
   */
  private async keepRoots(
    importId: string,
    root: { sums: Uint8Array; signature: Uint8Array },
    chainCertificates: Uint8Array[],
    sink: VaultSink,
  ): Promise<Map<string, { sha384: string; size: number }>> {
    const out = new Map<string, { sha384: string; size: number }>();
    for (const [name, bytes] of [
      [SUMS, root.sums],
      [SIG, root.signature],
    ] as const) {
      const h = sha384(bytes);
      if (!this.vault.blobs.has(h)) {
        this.repo.addPending(importId, h);
        sink.fresh.add(h);
      }
      await this.vault.blobs.put([bytes]);
      out.set(name, { sha384: h, size: bytes.length });
    }
    // Only the CA certificates the verifier validated on the signers' paths (bounded work, nothing unvetted).
    try {
      this.trust.recordIntermediates(chainCertificates);
    } catch {
      /* intermediates are a convenience for CRL import; never fail an accepted import on them */
    }
    return out;
  }

  private async parseTyped(
    m: BundleMetadata,
    files: Map<string, { sha384: string; size: number }>,
  ): Promise<{ tasks: { task: ParsedTask; datasetSha384: string; samples: ParsedSample[] }[] }> {
    const tasks: { task: ParsedTask; datasetSha384: string; samples: ParsedSample[] }[] = [];
    if (m.type !== 'eval-package') return { tasks };
    for (const p of m.package.tasks) {
      const f = files.get(p)!;
      const bytes = await this.vault.blobs.readAll(f.sha384, 8 << 20).catch((e: unknown) => {
        if (isAirlockError(e) && e.code === 'blob.too-large') throw new AirlockError('intake.malformed-task', `${p}: the task file is larger than 8 MiB.`, { file: p });
        throw e;
      });
      const task = parseTask(p, bytes, (q) => files.has(q));
      const ds = files.get(task.datasetPath)!;
      const samples = parseDataset(task.datasetPath, await this.vault.blobs.readAll(ds.sha384));
      tasks.push({ task, datasetSha384: ds.sha384, samples });
    }
    return { tasks };
  }

  private commit(
    importId: string,
    src: string,
    report: VerificationReport,
    m: BundleMetadata,
    metadataText: string,
    files: Map<string, { sha384: string; size: number }>,
    typed: { tasks: { task: ParsedTask; datasetSha384: string; samples: ParsedSample[] }[] },
    actor: string | undefined,
  ): { already: boolean; id?: string; conflict?: VerificationReport } {
    const sums = report.sumsSha384!;
    return this.vault.transaction(() => {
      // Re-check rollback state inside the transaction (another import may have raced us).
      const same = this.repo.bundleAt(m.series, m.sequence);
      if (same && same.sums_sha384 === sums) {
        this.vault.audit.append({ actor, action: 'bundle.reimport-noop', target: src, outcome: 'success', detail: { importId: same.id, id: m.id, series: m.series, sequence: m.sequence, sumsSha384: sums } });
        return { already: true as const, id: same.id };
      }
      const top = this.seriesState(m.series);
      if (same || (top && top.sequence > m.sequence)) {
        const code = same ? 'rollback.equivocation' : 'rollback.lower-sequence';
        const reason = same
          ? `Series "${m.series}" sequence ${m.sequence} was already imported with different contents; two different bundles carry the same sequence number.`
          : `Series "${m.series}" is already at sequence ${top!.sequence}; this bundle has sequence ${m.sequence} (an older release: rollback refused).`;
        const check: CheckResult = { id: 'rollback', status: 'fail', required: true, code, reason };
        return { already: false, conflict: { ...report, verdict: 'rejected' as const, checks: report.checks.map((c) => (c.id === 'rollback' ? check : c)) } };
      }
      const now = this.vault.clock.now().toISOString();
      const rec = this.vault.audit.append({
        actor,
        action: 'bundle.accepted',
        target: src,
        outcome: 'success',
        detail: { importId, id: m.id, type: m.type, series: m.series, sequence: m.sequence, sumsSha384: sums, files: files.size },
      });
      this.repo.insertBundle({
        id: importId,
        bundle_id: m.id,
        type: m.type,
        series: m.series,
        sequence: m.sequence,
        sums_sha384: sums,
        metadata: metadataText,
        classification: m.classification,
        title: m.title,
        issuer: m.issuer,
        issued_at: m.issuedAt,
        not_before: m.notBefore,
        not_after: m.notAfter,
        source: src,
        imported_at: now,
        imported_by: rec.actor,
        report: JSON.stringify(report),
      });
      for (const [p, f] of files) this.repo.insertFile(importId, { path: p, ...f });
      if (m.type === 'model-access') {
        const a = m.model.access;
        const weightFiles = a.kind === 'weights' ? a.files.map((p) => ({ path: p, ...files.get(p)! })) : null;
        this.repo.insertEngagement({
          id: crypto.randomUUID(),
          bundle: importId,
          developer: m.model.developer,
          model_name: m.model.name,
          model_version: m.model.version,
          card_sha384: m.model.card ? files.get(m.model.card)!.sha384 : null,
          window_start: m.model.accessWindow.start,
          window_end: m.model.accessWindow.end,
          access_kind: a.kind,
          api: a.kind === 'endpoint' ? a.api : null,
          base_url: a.kind === 'endpoint' ? a.baseUrl : null,
          model: a.kind === 'endpoint' ? a.model : null,
          credential_sha384: a.kind === 'endpoint' && a.credential ? files.get(a.credential)!.sha384 : null,
          weights_format: a.kind === 'weights' ? a.format : null,
          weight_files: weightFiles ? JSON.stringify(weightFiles) : null,
          classification: m.classification,
          created_at: now,
        });
      } else if (m.type === 'eval-package') {
        for (const { task: t, datasetSha384, samples } of typed.tasks) {
          const taskId = crypto.randomUUID();
          this.repo.insertTask({
            id: taskId,
            bundle: importId,
            package_name: m.package.name,
            package_version: m.package.version,
            path: t.path,
            name: t.name,
            description: t.description,
            dataset_path: t.datasetPath,
            dataset_sha384: datasetSha384,
            solvers: JSON.stringify(t.solvers),
            scorers: JSON.stringify(t.scorers),
            metrics: JSON.stringify(t.metrics),
            epochs: t.epochs,
            epoch_reducer: t.epochReducer === null ? null : JSON.stringify(t.epochReducer),
            extensions: JSON.stringify(t.extensions),
            definition: JSON.stringify(t.definition),
            sample_count: samples.length,
            classification: m.classification,
          });
          for (const s of samples)
            this.repo.insertSample({
              task: taskId,
              ordinal: s.ordinal,
              id: s.id,
              input: JSON.stringify(s.input),
              target: s.target === null ? null : JSON.stringify(s.target),
              choices: s.choices === null ? null : JSON.stringify(s.choices),
              metadata: s.metadata === null ? null : JSON.stringify(s.metadata),
            });
        }
      }
      this.repo.removePending(importId);
      return { already: false as const };
    });
  }

  private reject(id: string, src: string, report: VerificationReport, actor: string | undefined, codeOverride?: string): ImportResult {
    const f = firstFailure(report);
    const b = report.bundle;
    const code = codeOverride ?? f?.code ?? null;
    const reason = f?.reason ?? 'The bundle was rejected.';
    this.vault.transaction(() => {
      const rec = this.vault.audit.append({
        actor,
        action: 'bundle.rejected',
        target: src,
        outcome: 'failure',
        detail: { rejectionId: id, id: b?.id ?? null, series: b?.series ?? null, sequence: b?.sequence ?? null, sumsSha384: report.sumsSha384 ?? null, code, reason },
      });
      this.repo.insertRejection({
        id,
        source: src,
        at: rec.time,
        by: rec.actor,
        bundle_id: b?.id ?? null,
        type: b?.type ?? null,
        series: b?.series ?? null,
        sequence: b?.sequence ?? null,
        sums_sha384: report.sumsSha384 ?? null,
        code,
        reason,
        report: JSON.stringify(report),
      });
    });
    return { outcome: 'rejected', importId: id, report };
  }
}
