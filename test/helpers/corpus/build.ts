/**
 * Bundle builder for the corpus, with stock tools only:
 *   payload files + canonical bundle.json (RFC 8785)
 *   `sha384sum` (coreutils, LC_ALL=C sorted paths) -> SHA384SUMS
 *   `openssl cms -sign ...` exactly as spec §3, `openssl cms -resign` to co-sign
 *   GNU `tar --format=pax|ustar -cf b.tar SHA384SUMS SHA384SUMS.p7s bundle.json ...`
 * Hooks let a case tamper at each stage (sums text, signing options, after
 * signing) so that the intended defect is the only one.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, rmSync, mkdtempSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { run } from './exec';
import type { CertName, TestPki } from './pki';

/** RFC 8785 canonical JSON (keys sorted by UTF-16 code units, ES number/string forms). */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

export interface Raw {
  raw: string | Uint8Array;
}

export interface BuildSpec {
  /** bundle.json as an object (written canonically), raw bytes, or null to omit it. */
  metadata: object | Raw | null;
  /** Payload files by relative path. */
  files?: Record<string, string | Uint8Array>;
  /** Large payload files of zeros by relative path and size in bytes (sparse: instant to create). */
  bigFiles?: Record<string, number>;
  /** Encrypt this JSON to the lab certificate with `openssl cms -encrypt` and store it at this path. */
  credential?: { path: string; plaintext: string; recip: CertName };
  /** First signs, the rest co-sign with -resign. Default ['signer']; [] = no SHA384SUMS.p7s. */
  signers?: CertName[];
  md?: 'sha384' | 'sha512' | 'sha256' | 'sha1';
  /** `openssl cms -sign -noattr`: no signed attributes. */
  noattr?: boolean;
  /** `-nodetach`: encapsulated content (not allowed). */
  nodetach?: boolean;
  /** Extra `openssl cms -sign` arguments (e.g. -keyid, -keyopt rsa_padding_mode:pss). */
  signArgs?: string[];
  /** `-nocerts`: the signer certificate is left out of the certificates set. */
  nocerts?: boolean;
  /** Certificates for -certfile (default: the first signer's issuers, without the root). */
  certfile?: CertName[];
  /** `sha384sum --binary` (the '*' marker). */
  binaryMarker?: boolean;
  /** Rewrite SHA384SUMS before it is signed. */
  sums?: (text: string) => string | Uint8Array;
  /** Tamper after signing. */
  after?: (dir: string) => void | Promise<void>;
}

/** Paths of all regular files under dir, relative, '/'-joined, excluding the two signature-root files. */
export function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const n of readdirSync(join(dir, rel))) {
    const p = rel ? `${rel}/${n}` : n;
    if (!rel && (n === 'SHA384SUMS' || n === 'SHA384SUMS.p7s')) continue;
    const st = statSync(join(dir, p));
    if (st.isDirectory()) out.push(...listFiles(dir, p));
    else out.push(p);
  }
  return out;
}

/** C-locale (bytewise) order. */
export function byteSort(paths: string[]): string[] {
  return [...paths].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

export function issuersOf(pki: TestPki, name: CertName): CertName[] {
  // Everything above the leaf except the self-signed root at the top.
  return pki.certs[name].chain.filter((c) => pki.certs[c].chain.length > 0);
}

export async function sha384sums(dir: string, binary = false): Promise<string> {
  const files = byteSort(listFiles(dir));
  const args = binary ? ['--binary', '--', ...files] : ['--', ...files];
  return (await run('sha384sum', args, { cwd: dir })).stdout.toString('utf8');
}

async function concatPem(pki: TestPki, names: CertName[], out: string): Promise<string> {
  writeFileSync(out, names.map((n) => readFileSync(pki.certs[n].pem, 'utf8')).join(''));
  return out;
}

/** openssl cms -sign exactly as in spec §3 (plus the case's deviations). */
export async function signSums(
  pki: TestPki,
  dir: string,
  spec: Pick<BuildSpec, 'signers' | 'md' | 'noattr' | 'nodetach' | 'nocerts' | 'certfile' | 'signArgs'>,
  work: string,
): Promise<void> {
  const signers = spec.signers ?? ['signer'];
  if (signers.length === 0) return;
  const [first, ...co] = signers as [CertName, ...CertName[]];
  const md = spec.md ?? 'sha384';
  const inter = await concatPem(pki, spec.certfile ?? issuersOf(pki, first), join(work, 'intermediates.pem'));
  const args = ['cms', '-sign', '-binary', '-in', 'SHA384SUMS', '-signer', pki.certs[first].pem, '-inkey', pki.certs[first].key];
  // openssl refuses an empty -certfile; an empty list means "no extra certificates".
  if (readFileSync(inter).length > 0 && !spec.nocerts) args.push('-certfile', inter);
  args.push('-md', md, '-nosmimecap', '-outform', 'DER', '-out', 'SHA384SUMS.p7s');
  if (spec.noattr) args.push('-noattr');
  if (spec.nodetach) args.push('-nodetach');
  if (spec.nocerts) args.push('-nocerts');
  if (spec.signArgs) args.push(...spec.signArgs);
  await run('openssl', args, { cwd: dir });
  for (const c of co) {
    const ci = await concatPem(pki, issuersOf(pki, c), join(work, `co-${c}.pem`));
    const rargs = ['cms', '-resign', '-binary', '-inform', 'DER', '-in', 'SHA384SUMS.p7s', '-content', 'SHA384SUMS',
      '-signer', pki.certs[c].pem, '-inkey', pki.certs[c].key, '-md', md, '-nosmimecap', '-outform', 'DER', '-out', 'SHA384SUMS.p7s.new'];
    if (readFileSync(ci).length > 0) rargs.push('-certfile', ci);
    await run('openssl', rargs, { cwd: dir });
    writeFileSync(join(dir, 'SHA384SUMS.p7s'), readFileSync(join(dir, 'SHA384SUMS.p7s.new')));
    rmSync(join(dir, 'SHA384SUMS.p7s.new'));
  }
}

/** Build an unpacked bundle into `dir` (created). */
export async function buildBundleDir(pki: TestPki, spec: BuildSpec, dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'airlock-corpus-work-'));
  try {
    for (const [p, content] of Object.entries(spec.files ?? {})) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), content);
    }
    for (const [p, size] of Object.entries(spec.bigFiles ?? {})) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), '');
      truncateSync(join(dir, p), size);
    }
    if (spec.credential) {
      const plain = join(work, 'credential.json');
      writeFileSync(plain, spec.credential.plaintext);
      mkdirSync(dirname(join(dir, spec.credential.path)), { recursive: true });
      await run('openssl', ['cms', '-encrypt', '-binary', '-aes-256-cbc', '-recip', pki.certs[spec.credential.recip].pem,
        '-in', plain, '-outform', 'DER', '-out', join(dir, spec.credential.path)]);
    }
    if (spec.metadata !== null) {
      const m = spec.metadata as object | Raw;
      writeFileSync(join(dir, 'bundle.json'), 'raw' in m ? m.raw : canonicalJson(m));
    }
    let sums: string | Uint8Array = await sha384sums(dir, spec.binaryMarker);
    if (spec.sums) sums = spec.sums(sums);
    writeFileSync(join(dir, 'SHA384SUMS'), sums);
    await signSums(pki, dir, spec, work);
    await spec.after?.(dir);
    return dir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface TarOptions {
  format?: 'pax' | 'ustar';
  /** Member order on the command line (default: the three roots first, then the other top-level entries sorted). */
  members?: string[];
  /** Reproducible output (fixed mtime/owner, no atime/ctime records). */
  reproducible?: boolean;
}

/** GNU tar, as spec §1 / the README show it. */
export async function tarBundle(dir: string, out: string, opts: TarOptions = {}): Promise<string> {
  const first = ['SHA384SUMS', 'SHA384SUMS.p7s', 'bundle.json'];
  const rest = byteSort(readdirSync(dir).filter((n) => !first.includes(n)));
  const members = opts.members ?? [...first.filter((f) => readdirSync(dir).includes(f)), ...rest];
  const args = [`--format=${opts.format ?? 'pax'}`, '--sort=name'];
  if (opts.reproducible !== false) {
    args.push('--mtime=@1767225600', '--owner=0', '--group=0', '--numeric-owner');
  }
  args.push('-cf', out, '--', ...members);
  await run('tar', args, { cwd: dir });
  return out;
}

/** The interoperability proof: stock openssl + sha384sum accept the bundle (spec §4); `extra` adds openssl options. */
export async function opensslVerify(
  pki: TestPki,
  dir: string,
  at: Date,
  caFile = pki.caFile,
  extra: string[] = [],
): Promise<{ cms: { code: number; stderr: string }; sums: { code: number; stderr: string } }> {
  const cms = await run(
    'openssl',
    ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'SHA384SUMS.p7s', '-content', 'SHA384SUMS', '-CAfile', caFile,
      '-no-CApath', '-no-CAstore', '-purpose', 'any', '-crl_check_all', '-x509_strict', '-attime',
      String(Math.floor(at.getTime() / 1000)), ...extra, '-out', '/dev/null'],
    { cwd: dir, allowFail: true },
  );
  const sums = await run('sha384sum', ['--strict', '--quiet', '-c', 'SHA384SUMS'], { cwd: dir, allowFail: true });
  return { cms: { code: cms.code, stderr: cms.stderr }, sums: { code: sums.code, stderr: sums.stderr } };
}
