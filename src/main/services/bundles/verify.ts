/**
 * The bundle verifier (spec bundle-format.md §1–§5, report per §7).
 *
 * Order: the container is validated first from headers only; a hostile
 * container stops everything. Then SHA384SUMS, bundle.json, and the CMS
 * signature and trust path (services/pki evaluateSignatures: pure, so it can
 * run off the main thread) are checked from bounded in-memory reads while
 * worker threads hash (and, with a sink, seal into quarantine) every listed
 * file in the same pass. Every check group is reported.
 *
 * Fail closed by construction: a bundle is accepted only when every required
 * check ran and passed. Required is every group except 'clock'
 * (informational) and 'rollback' without a vault (not applicable); a
 * required check that was skipped rejects.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { AirlockError } from '../../../shared/errors';
import type { CheckId, CheckResult, FailureCode, SignerSummary, VerificationReport } from '../../../shared/verification';
import { parseAnchors, type AnchorInput, type GroupOutcome, type SignatureEvaluation, type SignatureEvaluationInput, type SignerEvaluation } from '../pki';
import { ContainerError, META, SIG, SUMS, openBundle, readSmall, type BundleFile } from './container';
import { CancelledError, hashFiles, type HashJob } from './hash-pool';
import { MAX_METADATA_BYTES, MetadataError, parseMetadata, referencedPaths, summarizeMetadata, type BundleMetadata } from './metadata';
import { SumsError, parseSums, type SumLine } from './sums';
import { prefetchKey, type DigestPrefetch } from './index-prefetch';
import { evaluateSignaturesInWorker } from '../workers';

/** A trust anchor: DER root certificate bound to the bundle types its chains may sign. */
export type TrustAnchorInput = AnchorInput;

/**
 * Runs evaluateSignatures (services/pki) on structured-clone-safe input; the
 * default (services/workers) runs it on a worker thread, terminated on
 * `signal` or after a time limit (the verifier checks the signal again afterwards).
 */
export type SignatureEvaluator = (input: SignatureEvaluationInput, signal?: AbortSignal) => SignatureEvaluation | Promise<SignatureEvaluation>;
export interface SeriesState {
  sequence: number;
  sumsSha384: string;
}

/** Where a worker seals one file's bytes. */
export interface SinkTarget {
  tempPath: string;
  blobKey: Buffer;
}
/** A file sealed into quarantine during verification, with its verified digest. */
export interface StagedFile {
  path: string;
  tempPath: string;
  sha384: string;
  size: number;
}
/**
 * Quarantine sink: the bytes that are hashed are the bytes that are stored.
 * verifyBundle calls `open` once per listed file before hashing it, then —
 * exactly once, after the verdict — `commit(staged)` when the bundle was
 * accepted, or `discard(staged)` when it was rejected, cancelled or failed
 * (staged then lists every target that was opened, complete or not).
 * With the vault: open → vault.blobs.stage(); commit → commitStaged(tempPath,
 * {sha384,size}) for each; discard → discardStaged(tempPath) for each.
 */
export interface FileSink {
  open(path: string, size: number): Promise<SinkTarget | undefined>;
  commit(staged: StagedFile[]): Promise<void>;
  discard(staged: StagedFile[]): Promise<void>;
}

export interface VerifyProgress {
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
}

export interface VerifyOptions {
  anchors: TrustAnchorInput[];
  /** DER CRLs (see readPemOrDer for PEM input). */
  crls: Uint8Array[];
  /** Verification time (caller resolves clock/high-water). */
  at: Date;
  /** When >0 the report includes a 'clock' check noting it. */
  clockBehindMs?: number;
  /** The importing lab's identifier, for `audience`. */
  labId?: string;
  /** Rollback state of a series; option absent → rollback skipped ('no vault'). */
  seriesState?: (series: string) => SeriesState | undefined;
  /** Default true: a missing CRL fails closed. */
  requireCrls?: boolean;
  sink?: FileSink;
  onProgress?: (p: VerifyProgress) => void;
  /** Abort → AirlockError('cancelled'), and the sink is discarded. */
  signal?: AbortSignal;
  /** Hashing workers; default os.availableParallelism(). */
  concurrency?: number;
  /**
   * Digests started before verification (prefetchDigests, the CLI). Used only without a sink and only when
   * the opened bundle lists exactly the same files at the same places; otherwise cancelled.
   */
  prefetched?: DigestPrefetch;
  /** Where the signature side runs (default: evaluateSignatures on a worker thread, services/workers; tests may pass the in-process function). */
  evaluateSignatures?: SignatureEvaluator;
}

export interface DetailedResult {
  report: VerificationReport;
  /** Parsed, validated bundle.json (present when it passed the metadata checks). */
  metadata?: BundleMetadata;
  /** Parsed SHA384SUMS with sizes (present when it passed the format check). */
  sums?: { path: string; sha384: string; size: number }[];
  /** Files sealed into the sink (already committed when accepted). */
  staged?: StagedFile[];
  /**
   * The exact SHA384SUMS and SHA384SUMS.p7s bytes the checks ran on (present when both were read), so
   * a caller keeps what was verified instead of reading the files again.
   */
  signedRoot?: { sums: Uint8Array; signature: Uint8Array };
  /** DER of the CA certificates below the anchor on every signer's validated path (present when accepted). */
  chainCertificates?: Uint8Array[];
}

const ORDER: CheckId[] = ['container', 'sums', 'digests', 'signature', 'algorithms', 'chain', 'signer', 'anchor-scope', 'revocation', 'clock', 'metadata', 'references', 'window', 'audience', 'rollback'];
const MAX_SUMS_BYTES = 64 << 20;
const MAX_SIG_BYTES = 16 << 20;

export async function verifyBundle(source: string, opts: VerifyOptions): Promise<VerificationReport> {
  return (await verifyBundleDetailed(source, opts)).report;
}

function cancelled(): AirlockError {
  return new AirlockError('cancelled', 'Verification was cancelled; nothing from the bundle was kept.');
}

export async function verifyBundleDetailed(source: string, opts: VerifyOptions): Promise<DetailedResult> {
  const at = opts.at;
  const results = new Map<CheckId, CheckResult>();
  // 'clock' is informational; rollback needs a vault's series history
  const required = (id: CheckId) => id !== 'clock' && (id !== 'rollback' || opts.seriesState !== undefined);
  const set = (id: CheckId, status: CheckResult['status'], reason: string, code?: FailureCode, detail?: CheckResult['detail']) => {
    if (results.has(id) && results.get(id)!.status === 'fail') return; // keep the first failure
    const r: CheckResult = { id, status, required: required(id), reason };
    if (code) r.code = code;
    if (detail) r.detail = detail;
    results.set(id, r);
  };
  const fail = (id: CheckId, code: FailureCode, reason: string, detail?: CheckResult['detail']) => set(id, 'fail', reason, code, detail);
  const skipRest = (reason: string) => {
    for (const id of ORDER) if (!results.has(id) && (id !== 'clock' || (opts.clockBehindMs ?? 0) > 0)) set(id, 'skip', reason);
  };
  const report: VerificationReport = { source, verdict: 'rejected', verifiedAt: at.toISOString(), signers: [], checks: [], files: { count: 0, bytes: 0 } };
  const finishReport = () => {
    report.checks = ORDER.filter((id) => results.has(id)).map((id) => results.get(id)!);
    // accepted only when every required check is present and passed, and nothing failed
    const allRequiredPassed = ORDER.filter(required).every((id) => results.get(id)?.status === 'pass');
    report.verdict = allRequiredPassed && report.checks.every((c) => c.status !== 'fail') ? 'accepted' : 'rejected';
    return report;
  };
  if (opts.signal?.aborted) throw cancelled();

  // Configuration (a broken anchor is the caller's problem, not the bundle's): the one anchor rule,
  // structure only (an installed anchor that expired since fails the chain instead). Throws AirlockError.
  parseAnchors(opts.anchors);

  // 1. container
  let files: BundleFile[];
  try {
    const opened = await openBundle(source);
    files = opened.files;
    report.files = { count: files.length, bytes: opened.bytes };
    set('container', 'pass', `${opened.kind === 'tar' ? 'POSIX tar' : 'Directory'} with ${files.length} regular files; member types, names and paths are valid.`);
  } catch (e) {
    if (!(e instanceof ContainerError)) throw e;
    fail('container', e.code, e.message, e.detail);
    skipRest('Not checked: the container was rejected, so nothing inside it was read.');
    return { report: finishReport() };
  }
  const byPath = new Map(files.map((f) => [f.path, f]));

  // 2. SHA384SUMS
  let sumsBytes: Buffer | undefined;
  let sigBytes: Buffer | undefined;
  let sums: SumLine[] | undefined;
  const sumsFile = byPath.get(SUMS);
  if (!sumsFile) fail('sums', 'sums.missing', 'The bundle has no SHA384SUMS file.');
  else if (sumsFile.size > MAX_SUMS_BYTES) fail('sums', 'sums.format', `SHA384SUMS is ${sumsFile.size} bytes, more than the 64 MiB limit.`);
  else {
    sumsBytes = await readSmall(sumsFile);
    report.sumsSha384 = crypto.createHash('sha384').update(sumsBytes).digest('hex');
    try {
      sums = parseSums(sumsBytes);
    } catch (e) {
      if (!(e instanceof SumsError)) throw e;
      fail('sums', 'sums.format', e.message, e.line ? { line: e.line } : undefined);
    }
  }
  const listed = new Map((sums ?? []).map((s) => [s.path, s]));
  if (sums) {
    const unlisted = files.filter((f) => f.path !== SUMS && f.path !== SIG && !listed.has(f.path)).map((f) => f.path);
    const missing = sums.filter((s) => !byPath.has(s.path)).map((s) => s.path);
    const listedSig = sums.find((s) => s.path === SUMS || s.path === SIG);
    if (listedSig) fail('sums', 'sums.format', `SHA384SUMS lists "${listedSig.path}", which it must not cover.`, { path: listedSig.path });
    else if (missing.length) fail('sums', 'sums.missing-file', `"${missing[0]}" is listed in SHA384SUMS but is not in the bundle${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''}.`, { path: missing[0]!, count: missing.length });
    else if (unlisted.length) fail('sums', 'sums.unlisted-file', `"${unlisted[0]}" is in the bundle but not listed in SHA384SUMS${unlisted.length > 1 ? ` (and ${unlisted.length - 1} more)` : ''}.`, { path: unlisted[0]!, count: unlisted.length });
    else set('sums', 'pass', `SHA384SUMS is well-formed and lists all ${sums.length} files.`);
  }

  // 5 (started early). digests + quarantine, in workers, while the main thread checks the signature.
  const staged: StagedFile[] = [];
  let settledSink = false;
  const settleSink = async (accepted: boolean) => {
    if (!opts.sink || settledSink) return;
    settledSink = true;
    if (accepted) await opts.sink.commit(staged);
    else await opts.sink.discard(staged);
  };
  const hashable = sums ? sums.filter((s) => byPath.has(s.path)).map((s) => ({ line: s, file: byPath.get(s.path)! })) : [];
  let hashing: Promise<void> | undefined;
  let hashError: unknown;
  const digestFailures: { path: string; code: FailureCode; reason: string }[] = [];
  const verified = new Map<string, string>();
  try {
    if (sums) {
      const jobs: HashJob[] = [];
      for (const h of hashable) {
        const target = opts.sink ? await opts.sink.open(h.line.path, h.file.size) : undefined;
        if (target) staged.push({ path: h.line.path, tempPath: target.tempPath, sha384: '', size: h.file.size });
        jobs.push({ file: h.file, sink: target });
      }
      const bytesTotal = hashable.reduce((a, h) => a + h.file.size, 0);
      const progress = { bytesDone: 0, bytesTotal, filesDone: 0, filesTotal: jobs.length };
      opts.onProgress?.({ ...progress });
      const pre = opts.prefetched;
      const usable =
        pre && !opts.sink && pre.source === source && pre.keys.length === hashable.length && hashable.every((h, i) => pre.keys[i] === prefetchKey(h.file));
      if (pre && !usable) pre.cancel();
      if (pre && usable) opts.signal?.addEventListener('abort', () => pre.cancel());
      hashing = (usable ? pre.outcomes : hashFiles(jobs, {
        concurrency: opts.concurrency ?? os.availableParallelism(),
        signal: opts.signal,
        onBytes: (b) => {
          progress.bytesDone += b;
          opts.onProgress?.({ ...progress });
        },
        onFileDone: () => {
          progress.filesDone++;
          opts.onProgress?.({ ...progress });
        },
      })).then((outcomes) => {
        outcomes.forEach((o, i) => {
          const { line } = hashable[i]!;
          if ('error' in o) {
            const code = (['container.link', 'container.truncated'].includes(o.error.code) ? o.error.code : 'io.error') as FailureCode;
            digestFailures.push({ path: line.path, code, reason: `"${line.path}" could not be read: ${o.error.message}.` });
          } else if (o.sha384 !== line.sha384) {
            digestFailures.push({ path: line.path, code: 'digests.mismatch', reason: `"${line.path}" does not match SHA384SUMS (expected ${line.sha384.slice(0, 16)}…, got ${o.sha384.slice(0, 16)}…).` });
          } else verified.set(line.path, o.sha384);
          const st = staged.find((s) => s.path === line.path);
          if (st && !('error' in o)) st.sha384 = o.sha384;
        });
      }, (e) => {
        hashError = e;
      });
    }

    // 3. SHA384SUMS.p7s (read here; evaluated below, once bundle.json's type is known)
    const sigFile = byPath.get(SIG);
    if (!sigFile) fail('signature', 'signature.missing', 'The bundle has no SHA384SUMS.p7s signature.');
    else if (!sumsBytes) set('signature', 'skip', 'Not checked: there is no SHA384SUMS to check the signature against.');
    else if (sigFile.size > MAX_SIG_BYTES) fail('signature', 'signature.malformed', `SHA384SUMS.p7s is ${sigFile.size} bytes, more than the 16 MiB limit.`);
    else sigBytes = await readSmall(sigFile);

    // 4. bundle.json
    let metadata: BundleMetadata | undefined;
    const metaFile = byPath.get(META);
    if (!metaFile) fail('metadata', 'metadata.missing', 'The bundle has no bundle.json.');
    else if (metaFile.size > MAX_METADATA_BYTES) fail('metadata', 'metadata.too-large', `bundle.json is ${metaFile.size} bytes; the limit is 1 MiB.`);
    else {
      const bytes = await readSmall(metaFile);
      const own = crypto.createHash('sha384').update(bytes).digest('hex');
      const line = listed.get(META);
      if (line && line.sha384 !== own) digestFailures.push({ path: META, code: 'digests.mismatch', reason: `"bundle.json" does not match SHA384SUMS.` });
      try {
        metadata = parseMetadata(bytes);
        set('metadata', 'pass', `bundle.json is a valid ${metadata.type} description (format ${metadata.format}).`);
        report.bundle = summarizeMetadata(metadata);
      } catch (e) {
        if (!(e instanceof MetadataError)) throw e;
        fail('metadata', e.code, e.message);
      }
    }

    // 3 (cont.). signature, algorithms, chain, signer, revocation: one pure evaluation (services/pki)
    let evaluation: SignatureEvaluation | undefined;
    if (sigBytes && sumsBytes) {
      const input: SignatureEvaluationInput = {
        signature: new Uint8Array(sigBytes),
        content: new Uint8Array(sumsBytes),
        anchors: opts.anchors.map((a) => ({ certificate: new Uint8Array(a.certificate), types: a.types === 'any' ? 'any' : [...a.types], ...(a.label !== undefined ? { label: a.label } : {}) })),
        crls: opts.crls.map((c) => new Uint8Array(c)),
        at: at.toISOString(),
        requireCrls: opts.requireCrls ?? true,
        ...(metadata ? { bundleType: metadata.type } : {}),
      };
      evaluation = await (opts.evaluateSignatures ?? evaluateSignaturesInWorker)(input, opts.signal);
      if (opts.signal?.aborted) throw cancelled();
      if (evaluation.anchorError) throw new AirlockError(evaluation.anchorError.code, evaluation.anchorError.message, evaluation.anchorError.detail);
      if (evaluation.malformed) fail('signature', evaluation.malformed.code, evaluation.malformed.reason);
    }
    const signers: SignerEvaluation[] = evaluation?.signers ?? [];
    if (signers.length) {
      const n = signers.length;
      const plural = n > 1 ? `all ${n} signers` : 'the signer';
      // a group passes only when it passed for every signer; the first failure, else the first skip, decides
      const aggregate = (id: CheckId, pick: (s: SignerEvaluation) => GroupOutcome, passReason: string) => {
        const outcomes = signers.map(pick);
        const failed = outcomes.find((o) => o.status === 'fail');
        if (failed?.status === 'fail') return fail(id, failed.code, failed.reason);
        const skipped = outcomes.findIndex((o) => o.status === 'skip');
        if (skipped >= 0) return set(id, 'skip', `${(outcomes[skipped] as { reason: string }).reason}${n > 1 ? ` (signer #${skipped + 1})` : ''}`);
        const notes = outcomes.flatMap((o) => (o.status === 'pass' && o.note ? [o.note] : []));
        set(id, 'pass', notes.length ? `${passReason}: ${notes.join('; ')}.` : `${passReason}.`);
      };
      aggregate('signature', (s) => s.signature, `SHA384SUMS.p7s is a detached CMS SignedData; ${plural} signed SHA384SUMS (messageDigest and signature verify)`);
      aggregate('algorithms', (s) => s.algorithms, `Digests, signature algorithms and keys of ${plural} and their chains meet the CNSA 1.0 floor`);
      aggregate(
        'chain',
        (s) => s.chain,
        `${plural[0]!.toUpperCase()}${plural.slice(1)} chain to an installed trust anchor (names, key identifiers, signatures, validity at ${at.toISOString()}, CA constraints, certificate policies)`,
      );
      aggregate('signer', (s) => s.signer, `Signer certificate${n > 1 ? 's are' : ' is'} end-entity with keyUsage digitalSignature/nonRepudiation and an extended key usage that allows signing bundles`);
      aggregate('revocation', (s) => s.revocation, 'No certificate in the chain is revoked');
    } else {
      const why = results.get('signature')?.status === 'fail' ? 'Not checked: the signature could not be parsed.' : 'Not checked: no signature to check.';
      for (const id of ['algorithms', 'chain', 'signer', 'revocation'] as CheckId[]) set(id, 'skip', why);
    }
    const ignoredCrls = evaluation?.ignoredCrls ?? [];
    if (ignoredCrls.length && results.get('revocation')?.status === 'pass') results.get('revocation')!.reason += ` (${ignoredCrls.length} unreadable CRL(s) ignored: ${ignoredCrls[0]})`;

    // anchor-scope (needs the type)
    const chained = signers.filter((s) => s.anchor);
    if (!chained.length) set('anchor-scope', 'skip', 'Not checked: no signer chained to a trust anchor.');
    else if (!metadata) set('anchor-scope', 'skip', 'Not checked: the bundle type is unknown (bundle.json was rejected).');
    else {
      const bad = chained.find((s) => s.anchor!.types !== 'any' && !s.anchor!.types.includes(metadata!.type));
      if (bad)
        fail(
          'anchor-scope',
          'anchor-scope.type',
          `Trust anchor ${bad.anchor!.label ? `"${bad.anchor!.label}" ` : ''}"${bad.anchor!.certificate.subject}" is not allowed to sign ${metadata.type} bundles (it is bound to: ${bad.anchor!.types === 'any' ? 'any' : bad.anchor!.types.join(', ') || 'nothing'}).`,
        );
      else if (chained.length < signers.length) set('anchor-scope', 'skip', 'Not checked for signers without a chain.');
      else set('anchor-scope', 'pass', `The anchor${chained.length > 1 ? 's' : ''} ${[...new Set(chained.map((s) => `"${s.anchor!.certificate.subject}"`))].join(', ')} may sign ${metadata.type} bundles.`);
    }

    // clock
    if ((opts.clockBehindMs ?? 0) > 0)
      set('clock', 'pass', `The system clock is ${Math.round(opts.clockBehindMs! / 1000)} s behind the latest time this app has seen; checks used ${at.toISOString()}. Check the lab's clock.`, undefined, { behindMs: opts.clockBehindMs! });

    // references
    if (!metadata || !sums) set('references', 'skip', `Not checked: ${!metadata ? 'bundle.json' : 'SHA384SUMS'} was rejected.`);
    else {
      const missing = referencedPaths(metadata).find((r) => !listed.has(r.path));
      if (missing) fail('references', 'references.unlisted', `bundle.json ${missing.field} refers to "${missing.path}", which SHA384SUMS does not list.`, { path: missing.path, field: missing.field });
      else set('references', 'pass', 'Every path bundle.json refers to is listed in SHA384SUMS.');
    }

    if (!metadata) for (const id of ['window', 'audience', 'rollback'] as CheckId[]) set(id, 'skip', 'Not checked: bundle.json was rejected.');
    else {
      const nb = new Date(metadata.notBefore);
      const na = new Date(metadata.notAfter);
      if (at < nb) fail('window', 'window.not-yet-valid', `The bundle may be imported from ${nb.toISOString()}; it is ${at.toISOString()}.`);
      else if (at >= na) fail('window', 'window.expired', `The bundle's import window ended at ${na.toISOString()}; it is ${at.toISOString()}.`);
      else set('window', 'pass', `${at.toISOString()} is inside the import window [${nb.toISOString()}, ${na.toISOString()}).`);

      if (!metadata.audience) set('audience', 'pass', 'The bundle is not restricted to particular labs.');
      else if (opts.labId === undefined) fail('audience', 'audience.excluded', `The bundle is restricted to ${metadata.audience.join(', ')}, and this installation has no lab id configured; configure the lab id in settings (CLI: --lab-id).`);
      else if (!metadata.audience.includes(opts.labId)) fail('audience', 'audience.excluded', `The bundle is for ${metadata.audience.join(', ')}, not for this lab (${opts.labId}).`);
      else set('audience', 'pass', `This lab (${opts.labId}) is in the bundle's audience.`);

      if (!opts.seriesState) set('rollback', 'skip', 'Not applicable without a vault: rollback is checked against the series history of the vault a bundle is imported into.');
      else if (!report.sumsSha384) set('rollback', 'skip', 'Not checked: no SHA384SUMS.');
      else {
        const prev = opts.seriesState(metadata.series);
        if (!prev) set('rollback', 'pass', `First bundle seen in series "${metadata.series}" (sequence ${metadata.sequence}).`);
        else if (metadata.sequence < prev.sequence)
          fail('rollback', 'rollback.lower-sequence', `Series "${metadata.series}" is already at sequence ${prev.sequence}; this bundle has sequence ${metadata.sequence} (an older release: rollback refused).`);
        else if (metadata.sequence === prev.sequence && prev.sumsSha384 !== report.sumsSha384)
          fail('rollback', 'rollback.equivocation', `Series "${metadata.series}" sequence ${metadata.sequence} was already imported with different contents; two different bundles carry the same sequence number.`);
        else if (metadata.sequence === prev.sequence) set('rollback', 'pass', `Series "${metadata.series}" sequence ${metadata.sequence}: already imported (same contents).`);
        else set('rollback', 'pass', `Series "${metadata.series}" advances from sequence ${prev.sequence} to ${metadata.sequence}.`);
      }
    }

    // digests (join the workers)
    if (hashing) await hashing;
    if (hashError instanceof CancelledError || opts.signal?.aborted) throw cancelled();
    if (hashError) throw hashError;
    if (!sums) set('digests', 'skip', 'Not checked: SHA384SUMS was rejected.');
    else if (digestFailures.length) {
      // bundle.json is hashed twice (our own read and the worker's): count each file once
      const uniq = [...new Map(digestFailures.map((d) => [d.path, d])).values()].sort((a, b) => (a.path < b.path ? -1 : 1));
      const f = uniq[0]!;
      fail('digests', f.code, `${f.reason}${uniq.length > 1 ? ` ${uniq.length - 1} more file(s) failed too.` : ''}`, { path: f.path, count: uniq.length });
    } else set('digests', 'pass', `All ${hashable.length} listed files match their SHA-384 digests (${hashable.reduce((a, h) => a + h.file.size, 0)} bytes).`);

    // signers summary
    const inScope = (s: SignerEvaluation) => !(s.anchor && metadata && s.anchor.types !== 'any' && !s.anchor.types.includes(metadata.type));
    report.signers = signers.map((s): SignerSummary => {
      const groups = [s.signature, s.algorithms, s.chain, s.signer, s.revocation];
      const sum: SignerSummary = {
        certificate: s.certificate ?? { subject: '(certificate not found in the signature)', issuer: '', serialNumber: '', notBefore: '', notAfter: '', sha256Fingerprint: '', keyAlgorithm: '' },
        digestAlgorithm: s.digestAlgorithm,
        signatureAlgorithm: s.signatureAlgorithm,
        ok: groups.every((g) => g.status === 'pass') && !!s.anchor && inScope(s),
      };
      if (s.signingTime) sum.signingTime = s.signingTime;
      if (s.anchor) sum.anchor = s.anchor.certificate;
      return sum;
    });

    finishReport();
    await settleSink(report.verdict === 'accepted');
    const sumsOut = sums?.map((s) => ({ path: s.path, sha384: s.sha384, size: byPath.get(s.path)?.size ?? 0 }));
    const out: DetailedResult = { report };
    if (metadata) out.metadata = metadata;
    if (sumsOut) out.sums = sumsOut;
    if (opts.sink) out.staged = staged;
    if (sumsBytes && sigBytes) out.signedRoot = { sums: sumsBytes, signature: sigBytes };
    if (report.verdict === 'accepted') {
      const byId = new Map<string, Uint8Array>();
      for (const s of signers) for (const der of s.path?.slice(1) ?? []) byId.set(Buffer.from(der).toString('base64'), der);
      out.chainCertificates = [...byId.values()];
    }
    return out;
  } catch (e) {
    if (hashing) await hashing.catch(() => undefined);
    await settleSink(false);
    throw e;
  }
}
