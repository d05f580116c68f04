/**
 * Glue for the writer tests: identities from the corpus PKI (made by stock
 * openssl, test/helpers/corpus/pki.ts), scratch directories, and the stock
 * tools that judge what the writer produced.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SigningIdentity } from '../../../src/main/services/pki/cms-sign';
import { run } from '../../helpers/corpus/exec';
import { getPki, type CertName, type TestPki } from '../../helpers/corpus/pki';
import { issuersOf } from '../../helpers/corpus/build';

export interface WriterFixture {
  pki: TestPki;
  /** A fresh empty directory. */
  fresh(name: string): string;
  key(name: CertName): KeyObject;
  /** The certificate, its intermediates (no root) and its private key. */
  identity(name: CertName, over?: Partial<SigningIdentity>): SigningIdentity;
  /** Remove every scratch directory this fixture made. */
  dispose(): void;
}

/** Scratch directories made outside a fixture's own (openssl's signer output). */
const scratch: string[] = [];

export async function writerFixture(): Promise<WriterFixture> {
  const pki = await getPki();
  const work = mkdtempSync(join(tmpdir(), 'airlock-writer-'));
  let n = 0;
  // (certs is indexed by a template-literal type, so a lookup may be undefined as far as TypeScript knows)
  const cert = (name: CertName) => pki.certs[name]!;
  const key = (name: CertName) => createPrivateKey(readFileSync(cert(name).key));
  return {
    pki,
    fresh: (name) => {
      const d = join(work, `${name}-${++n}`);
      mkdirSync(d);
      return d;
    },
    key,
    dispose: () => {
      for (const d of [work, ...scratch]) rmSync(d, { recursive: true, force: true });
    },
    identity: (name, over = {}) => ({
      certificate: cert(name).der,
      intermediates: issuersOf(pki, name).map((c) => cert(c).der),
      privateKey: key(name),
      ...over,
    }),
  };
}

/**
 * `openssl cms -verify` exactly as spec §4 gives it (plus -attime, so the
 * fixed-date PKI is judged at the corpus time), with the verified signers'
 * certificates written out so a test can count them.
 */
export async function opensslCmsVerify(pki: TestPki, dir: string, at: Date): Promise<{ code: number; stderr: string; signers: string }> {
  const signersDir = mkdtempSync(join(tmpdir(), 'airlock-writer-signers-'));
  scratch.push(signersDir);
  const signersFile = join(signersDir, 'signers.pem');
  const r = await run(
    'openssl',
    ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'SHA384SUMS.p7s', '-content', 'SHA384SUMS', '-CAfile', pki.caFile,
      '-no-CApath', '-no-CAstore', '-purpose', 'any', '-crl_check_all', '-x509_strict', '-attime', String(Math.floor(at.getTime() / 1000)),
      '-out', '/dev/null', '-signer', signersFile],
    { cwd: dir, allowFail: true },
  );
  return { code: r.code, stderr: r.stderr, signers: existsSync(signersFile) ? readFileSync(signersFile, 'utf8') : '' };
}

/** `sha384sum --strict -c SHA384SUMS` in the bundle directory. */
export async function sha384sumCheck(dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await run('sha384sum', ['--strict', '-c', 'SHA384SUMS'], { cwd: dir, allowFail: true });
  return { code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr };
}

/** Unpack with GNU tar into a fresh directory. */
export async function untar(tarFile: string, into: string): Promise<string> {
  await run('tar', ['-xf', tarFile, '-C', into]);
  return into;
}

/** `tar -tvf`: one line per member. */
export async function tarList(tarFile: string): Promise<string[]> {
  const r = await run('tar', ['-tvf', tarFile]);
  return r.stdout.toString('utf8').trimEnd().split('\n');
}

/** Names in a directory (to prove nothing was left behind). */
export function entries(dir: string): string[] {
  return readdirSync(dir).sort();
}
