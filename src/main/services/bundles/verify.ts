/**
 * The bundle verifier (spec bundle-format.md §1–§5, report per §7).
 *
 * Order: the container is validated first from headers only; a hostile
 * container stops everything. Then SHA384SUMS, the CMS signature and trust
 * path, and bundle.json are checked from bounded in-memory reads while
 * worker threads hash (and, with a sink, seal into quarantine) every listed
 * file in the same pass. Every check group that ran is reported.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { AirlockError } from '../../../shared/errors';
import type { BundleType, CheckId, CheckResult, FailureCode, SignerSummary, VerificationReport } from '../../../shared/verification';
import { CmsError, checkSigner, parseSignedData, type SignerOutcome } from './cms';
import { ContainerError, META, SIG, SUMS, openBundle, readSmall, type BundleFile } from './container';
import { CancelledError, hashFiles, type HashJob } from './hash-pool';
import { MAX_METADATA_BYTES, MetadataError, parseMetadata, referencedPaths, summarizeMetadata, type BundleMetadata } from './metadata';
import { buildPath, checkRevocation, parseCertificate, parseCrl, summarize, validatePath, type Anchor, type Crl, type PathResult, type TrustFailure } from './pki';
import { SumsError, parseSums, type SumLine } from './sums';

export interface TrustAnchorInput {
  certificate: Uint8Array /* DER */;
  types: BundleType[] | 'any';
  label?: string;
}
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
}

const ORDER: CheckId[] = ['container', 'sums', 'digests', 'signature', 'algorithms', 'chain', 'signer', 'anchor-scope', 'revocation', 'clock', 'metadata', 'references', 'window', 'audience', 'rollback'];
const MAX_SUMS_BYTES = 64 << 20;
const MAX_SIG_BYTES = 16 << 20;

export async function verifyBundle(source: string, opts: VerifyOptions): Promise<VerificationReport> {
  return (await verifyBundleDetailed(source, opts)).report;
}

interface SignerState extends PathResult {
  outcome: SignerOutcome;
}

function cancelled(): AirlockError {
  return new AirlockError('cancelled', 'Verification was cancelled; nothing from the bundle was kept.');
}

export async function verifyBundleDetailed(source: string, opts: VerifyOptions): Promise<DetailedResult> {
  const at = opts.at;
  const results = new Map<CheckId, CheckResult>();
  const set = (id: CheckId, status: CheckResult['status'], reason: string, code?: FailureCode, detail?: CheckResult['detail']) => {
    if (results.has(id) && results.get(id)!.status === 'fail') return; // keep the first failure
    const r: CheckResult = { id, status, reason };
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
    report.verdict = report.checks.length > 0 && report.checks.every((c) => c.status !== 'fail') ? 'accepted' : 'rejected';
    return report;
  };
  if (opts.signal?.aborted) throw cancelled();

  // Configuration (a broken anchor is the caller's problem, not the bundle's).
  const anchors: Anchor[] = opts.anchors.map((a, i) => {
    try {
      return { cert: parseCertificate(a.certificate), types: a.types, label: a.label };
    } catch (e) {
      throw new AirlockError('trust.bad-anchor', `Trust anchor ${a.label ?? `#${i + 1}`} is not a valid DER certificate: ${(e as Error).message}.`);
    }
  });
  const crls: Crl[] = [];
  const badCrls: string[] = [];
  opts.crls.forEach((c, i) => {
    try {
      crls.push(parseCrl(c));
    } catch (e) {
      badCrls.push(`CRL #${i + 1}: ${(e as Error).message}`);
    }
  });

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
      hashing = hashFiles(jobs, {
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
      }).then((outcomes) => {
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

    // 3. signature, algorithms, chain, signer, revocation
    const signerStates: SignerState[] = [];
    const sigFile = byPath.get(SIG);
    if (!sigFile) fail('signature', 'signature.missing', 'The bundle has no SHA384SUMS.p7s signature.');
    else if (!sumsBytes) set('signature', 'skip', 'Not checked: there is no SHA384SUMS to check the signature against.');
    else if (sigFile.size > MAX_SIG_BYTES) fail('signature', 'signature.malformed', `SHA384SUMS.p7s is ${sigFile.size} bytes, more than the 16 MiB limit.`);
    else {
      sigBytes = await readSmall(sigFile);
      try {
        const sd = parseSignedData(sigBytes);
        // a root (self-issued certificate) inside the CMS is never trusted nor used
        const intermediates = sd.certificates.filter((c) => !c.selfIssued);
        sd.signerInfos.forEach((si, i) => {
          const st: SignerState = { outcome: checkSigner(si, i, sd.certificates, sumsBytes!) };
          const cert = st.outcome.cert;
          if (cert) {
            const built = buildPath(cert, intermediates, anchors);
            if ('code' in built) st.chain = built;
            else {
              st.path = built.path;
              st.anchor = built.anchor;
              const v = validatePath(built.path, at);
              st.chain = v.chain;
              st.algorithms = v.algorithms;
              st.signer = v.signer;
              st.revocation = checkRevocation(built.path, crls, at, opts.requireCrls ?? true);
            }
            if (!st.path) {
              // no chain: still judge the signer certificate itself
              st.signer = validatePath([cert, cert], at).signer;
            }
          }
          signerStates.push(st);
        });
      } catch (e) {
        if (!(e instanceof CmsError)) throw e;
        fail('signature', e.code, e.message);
      }
    }
    if (signerStates.length) {
      const n = signerStates.length;
      const plural = n > 1 ? `all ${n} signers` : 'the signer';
      const aggregate = (id: CheckId, pick: (s: SignerState) => TrustFailure | { ok: string } | 'skip' | undefined, passReason: string, skipReason: string) => {
        let anyChecked = false;
        const notes: string[] = [];
        for (const s of signerStates) {
          const r = pick(s);
          if (r === 'skip') continue;
          anyChecked = true;
          if (r && 'code' in r) return fail(id, r.code, r.reason);
          if (r && 'ok' in r && r.ok) notes.push(r.ok);
        }
        if (!anyChecked) return set(id, 'skip', skipReason);
        if (signerStates.some((s) => pick(s) === 'skip')) return set(id, 'skip', `${skipReason} (for some signers)`);
        set(id, 'pass', notes.length ? `${passReason}: ${notes.join('; ')}.` : passReason);
      };
      aggregate('signature', (s) => s.outcome.signature ?? (s.outcome.algorithms ? 'skip' : undefined), `SHA384SUMS.p7s is a detached CMS SignedData; ${plural} signed SHA384SUMS (messageDigest and signature verify)`, 'Not checked: the signature algorithm is below the floor');
      aggregate('algorithms', (s) => s.outcome.algorithms ?? s.algorithms ?? (s.path || s.outcome.cert ? undefined : 'skip'), `Digests, signature algorithms and keys of ${plural} and their chains meet the CNSA 1.0 floor`, 'Not checked: the signer certificate was not found');
      aggregate('chain', (s) => (s.outcome.cert ? s.chain : 'skip'), `${plural[0]!.toUpperCase()}${plural.slice(1)} chain to an installed trust anchor (names, key identifiers, signatures, validity at ${at.toISOString()}, CA constraints)`, 'Not checked: the signer certificate was not found');
      aggregate('signer', (s) => (s.outcome.cert ? s.signer : 'skip'), `Signer certificate${n > 1 ? 's are' : ' is'} end-entity with keyUsage digitalSignature/nonRepudiation`, 'Not checked: the signer certificate was not found');
      aggregate('revocation', (s) => (s.path ? s.revocation : 'skip'), 'No certificate in the chain is revoked', 'Not checked: no chain to a trust anchor');
    } else {
      const why = results.get('signature')?.status === 'fail' ? 'Not checked: the signature could not be parsed.' : 'Not checked: no signature to check.';
      for (const id of ['algorithms', 'chain', 'signer', 'revocation'] as CheckId[]) set(id, 'skip', why);
    }
    if (badCrls.length && results.get('revocation')?.status === 'pass') results.get('revocation')!.reason += ` (${badCrls.length} unreadable CRL(s) ignored: ${badCrls[0]})`;

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

    // anchor-scope (needs the type)
    const chained = signerStates.filter((s) => s.anchor);
    if (!chained.length) set('anchor-scope', 'skip', 'Not checked: no signer chained to a trust anchor.');
    else if (!metadata) set('anchor-scope', 'skip', 'Not checked: the bundle type is unknown (bundle.json was rejected).');
    else {
      const bad = chained.find((s) => s.anchor!.types !== 'any' && !s.anchor!.types.includes(metadata!.type));
      if (bad)
        fail('anchor-scope', 'anchor-scope.type', `Trust anchor ${bad.anchor!.label ? `"${bad.anchor!.label}" ` : ''}"${bad.anchor!.cert.subject}" is not allowed to sign ${metadata.type} bundles (it is bound to: ${bad.anchor!.types === 'any' ? 'any' : bad.anchor!.types.join(', ') || 'nothing'}).`);
      else if (chained.length < signerStates.length) set('anchor-scope', 'skip', 'Not checked for signers without a chain.');
      else set('anchor-scope', 'pass', `The anchor${chained.length > 1 ? 's' : ''} ${[...new Set(chained.map((s) => `"${s.anchor!.cert.subject}"`))].join(', ')} may sign ${metadata.type} bundles.`);
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

      if (!opts.seriesState) set('rollback', 'skip', 'no vault: rollback not checked');
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
    report.signers = signerStates.map((s): SignerSummary => {
      const ok = !s.outcome.signature && !s.outcome.algorithms && !!s.path && !s.chain && !s.algorithms && !s.signer && !!s.revocation && !('code' in s.revocation);
      const sum: SignerSummary = {
        certificate: s.outcome.cert
          ? summarize(s.outcome.cert)
          : { subject: '(certificate not found in the signature)', issuer: '', serialNumber: '', notBefore: '', notAfter: '', sha256Fingerprint: '', keyAlgorithm: '' },
        digestAlgorithm: s.outcome.digestAlgorithm,
        signatureAlgorithm: s.outcome.signatureAlgorithm,
        ok: ok && !(s.anchor && metadata && s.anchor.types !== 'any' && !s.anchor.types.includes(metadata.type)),
      };
      if (s.outcome.signingTime) sum.signingTime = s.outcome.signingTime;
      if (s.anchor) sum.anchor = summarize(s.anchor.cert);
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
    return out;
  } catch (e) {
    if (hashing) await hashing.catch(() => undefined);
    await settleSink(false);
    throw e;
  }
}
