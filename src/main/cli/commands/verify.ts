/**
 * `airlock verify BUNDLE --anchors FILE|DIR [--crls FILE|DIR] [--at TIME] [--lab-id ID] [--json]`
 * Offline verification without a vault: anchors given here are trusted for
 * every bundle type; rollback is not checked. Exit 0 accepted, 1 rejected, 2 usage/IO.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { AirlockError } from '../../../shared/errors';
import type { CheckResult, VerificationReport } from '../../../shared/verification';
import { EXIT, type CliCommand, type CliIO, type ParsedArgs } from '../command';
import type { AnchorInput } from '../../services/pki';
import { prefetchDigests } from '../../services/bundles/index-prefetch';
import { verifySpec } from './specs';

/**
 * The PKI and the verifier (with its schemas) are the bulk of this command's code: loaded only once the
 * hashing workers are running, so loading them overlaps the hashing instead of delaying it.
 */
const loadPki = () => import('../../services/pki');
type Pki = Awaited<ReturnType<typeof loadPki>>;
import { LAB_ID_RULE, isLabId } from '../../../shared/identifiers';

async function readObjects(pki: Pki, p: string): Promise<Uint8Array[]> {
  return (await readObjectsFrom(pki, p)).map((o) => o.der);
}

/** Every certificate/CRL in FILE or DIR, with the file it came from and its position there. */
async function readObjectsFrom(pki: Pki, p: string): Promise<{ file: string; index: number; der: Uint8Array }[]> {
  let st;
  try {
    st = await fs.stat(p);
  } catch {
    throw new AirlockError('io.not-found', `Cannot read ${p}: no such file or directory.`, { path: p });
  }
  const files = st.isDirectory()
    ? (await fs.readdir(p)).filter((n) => /\.(pem|crt|cer|der|crl)$/i.test(n)).sort().map((n) => path.join(p, n))
    : [p];
  const out: { file: string; index: number; der: Uint8Array }[] = [];
  for (const f of files) pki.readPemOrDer(await fs.readFile(f)).forEach((der, i) => out.push({ file: f, index: i + 1, der }));
  return out;
}

/**
 * The trust anchors in FILE|DIR (CRLs beside them are skipped), each held to
 * the one anchor rule (services/pki anchorRefusal): an end-entity or
 * intermediate certificate, a weak key or an unprocessed critical extension
 * is a usage error (exit 2) that names the file and the certificate. Validity
 * is judged at the verification time as part of the chain (chain.expired,
 * exit 1), as for an installed anchor that has expired since.
 */
async function readAnchors(pki: Pki, p: string, shown: string): Promise<{ anchors: AnchorInput[]; crls: Uint8Array[] }> {
  const { anchorRefusal, isCrlDer, parseCertificate } = pki;
  const anchors: AnchorInput[] = [];
  const crls: Uint8Array[] = [];
  // One read of the file(s); each object is parsed as a certificate first, and only what is not one as a CRL.
  for (const o of await readObjectsFrom(pki, p)) {
    const where = `${p === o.file ? shown : path.join(shown, path.basename(o.file))} (object ${o.index})`;
    let cert;
    try {
      cert = parseCertificate(o.der);
    } catch (e) {
      if (isCrlDer(o.der)) {
        crls.push(o.der);
        continue;
      }
      throw new AirlockError('trust.bad-certificate', `--anchors ${where} is neither a certificate nor a CRL (${(e as Error).message}). Give PEM or DER root certificates.`, { file: o.file, object: o.index });
    }
    const refusal = anchorRefusal(cert);
    if (refusal) throw new AirlockError(refusal.code, `--anchors ${where}: ${refusal.message}`, { file: o.file, object: o.index, ...refusal.detail });
    anchors.push({ certificate: o.der, types: 'any', label: cert.subject });
  }
  return { anchors, crls };
}

const MARK: Record<CheckResult['status'], string> = { pass: '✓', fail: '✗', skip: '–' };

export function formatReport(r: VerificationReport): string {
  const lines: string[] = [];
  lines.push(`${r.verdict === 'accepted' ? 'ACCEPTED' : 'REJECTED'}: ${r.source}`);
  if (r.bundle) {
    lines.push(`  ${r.bundle.classification}`);
    lines.push(`  ${r.bundle.type} "${r.bundle.title}" (${r.bundle.id}) from ${r.bundle.issuer}`);
    lines.push(`  series ${r.bundle.series} #${r.bundle.sequence}; import window ${r.bundle.notBefore} – ${r.bundle.notAfter}`);
  }
  lines.push(`  ${r.files.count} files, ${r.files.bytes} bytes; verified at ${r.verifiedAt}${r.sumsSha384 ? `; SHA384SUMS ${r.sumsSha384.slice(0, 16)}…` : ''}`);
  lines.push('Checks:');
  for (const c of r.checks) lines.push(`  ${MARK[c.status]} ${c.id.padEnd(12)} ${c.code ? `[${c.code}] ` : ''}${c.reason}`);
  if (r.signers.length) {
    lines.push('Signers:');
    for (const s of r.signers)
      lines.push(
        `  ${s.ok ? '✓' : '✗'} ${s.certificate.subject} (serial ${s.certificate.serialNumber}, ${s.certificate.keyAlgorithm}, ${s.signatureAlgorithm})${s.anchor ? ` → ${s.anchor.subject}` : ''}${s.signingTime ? `, signed ${s.signingTime}` : ''}`,
      );
  }
  return lines.join('\n') + '\n';
}

export const verifyCommand: CliCommand = {
  ...verifySpec,
  async run(args: ParsedArgs, io: CliIO): Promise<number> {
    const [bundle, ...extra] = args.positionals;
    if (!bundle || extra.length) throw new AirlockError('usage', `Usage: airlock ${this.usage}`);
    const anchorsArg = args.values.anchors;
    if (typeof anchorsArg !== 'string') throw new AirlockError('usage', 'Give the trust anchors with --anchors FILE|DIR (PEM or DER root certificates).');
    const abs = (p: string) => path.resolve(io.cwd, p);
    // A path that is not there is a usage error (exit 2), not a rejected bundle.
    await fs.stat(abs(bundle)).catch((e: NodeJS.ErrnoException) => {
      throw new AirlockError(
        'io.not-found',
        e.code === 'ENOENT' ? `${bundle} does not exist. Check the path and that the removable medium is mounted.` : `Cannot read ${bundle} (${e.code ?? e.message}).`,
      );
    });
    let at = new Date();
    if (typeof args.values.at === 'string') {
      at = new Date(args.values.at);
      if (Number.isNaN(at.getTime())) throw new AirlockError('usage', `--at ${args.values.at} is not a time; use RFC 3339, e.g. 2026-01-31T12:00:00Z.`);
    }
    const labId = typeof args.values['lab-id'] === 'string' ? args.values['lab-id'] : undefined;
    if (labId !== undefined && !isLabId(labId)) throw new AirlockError('usage', `--lab-id ${labId}: ${LAB_ID_RULE}`);
    // A process verifies one bundle: its files are hashed from here on, while the rest loads and is read.
    const prefetched = await prefetchDigests(abs(bundle));
    let report: VerificationReport;
    try {
      const [pki, { verifyBundle }] = await Promise.all([loadPki(), import('../../services/bundles')]);
      // CRLs may also sit in the anchors file (as in openssl's -CAfile)
      const { anchors, crls: crlsWithAnchors } = await readAnchors(pki, abs(anchorsArg), anchorsArg);
      if (!anchors.length) throw new AirlockError('usage', `No certificates found in ${anchorsArg}.`);
      const crls: Uint8Array[] = [];
      if (typeof args.values.crls === 'string') crls.push(...(await readObjects(pki, abs(args.values.crls))).filter(pki.isCrlDer));
      crls.push(...crlsWithAnchors);
      // In-process signature checks: this process has no window to keep responsive, so a signature worker would
      // only add a thread start and a second copy of the PKI code while the hashing workers need both cores.
      report = await verifyBundle(abs(bundle), { anchors, crls, at, labId, evaluateSignatures: pki.evaluateSignatures, ...(prefetched ? { prefetched } : {}) });
    } catch (e) {
      if (e instanceof AirlockError) throw e;
      throw new AirlockError('io.error', `Verification could not run: ${(e as Error).message}`);
    } finally {
      // A usage error (a bad anchor) must not wait for the hashing to finish.
      prefetched?.cancel();
    }
    if (report.checks.some((c) => c.code === 'io.error')) {
      if (args.json) io.out(JSON.stringify(report, null, 2) + '\n');
      else io.err(formatReport(report));
      return EXIT.usage;
    }
    if (args.json) io.out(JSON.stringify(report, null, 2) + '\n');
    else io.out(formatReport(report));
    return report.verdict === 'accepted' ? EXIT.ok : EXIT.negative;
  },
};

export default verifyCommand;
