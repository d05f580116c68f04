/** Identity files made with stock openssl only (PKCS#12 default and -legacy, PKCS#8 DER) from the corpus test PKI. */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CertName, TestPki } from '../../helpers/corpus/pki';

export const P12_PASSWORD = 'quartz-lantern-41-meadow';
/** Tiny scrypt for sealing in tests (production: IDENTITY_SCRYPT). */
export const FAST_SEAL = { N: 2 ** 12, r: 8, p: 1 };

export function openssl(args: string[]): Buffer {
  return execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** What `openssl pkcs12 -info` says about a file's algorithms (it writes them to stderr). */
export function p12Info(file: string, password: string, legacy = false): string {
  const r = spawnSync('openssl', ['pkcs12', '-in', file, '-info', '-noout', '-passin', `pass:${password}`, ...(legacy ? ['-legacy'] : [])], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

export function workDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'airlock-identities-'));
}

/** A PKCS#12 file for `name` with its issuer chain (openssl pkcs12 -export; `legacy` adds -legacy: 3DES key, RC2-40 certificates, SHA-1 MAC). */
export function makeP12(pki: TestPki, dir: string, name: CertName, opts: { legacy?: boolean; password?: string; chain?: boolean; noKeys?: boolean } = {}): string {
  const out = path.join(dir, `${name}${opts.legacy ? '-legacy' : ''}${opts.noKeys ? '-nokeys' : ''}-${opts.password === undefined ? 'pw' : 'other'}.p12`);
  const c = pki.certs[name];
  const args = ['pkcs12', '-export', '-in', c.pem, '-out', out, '-passout', `pass:${opts.password ?? P12_PASSWORD}`];
  if (opts.noKeys) args.push('-nokeys');
  else args.push('-inkey', c.key);
  if (opts.chain !== false && c.chain.length) {
    const chainFile = path.join(dir, `${name}-chain.pem`);
    fs.writeFileSync(chainFile, c.chain.map((n) => fs.readFileSync(pki.certs[n].pem, 'utf8')).join(''));
    args.push('-certfile', chainFile);
  }
  if (opts.legacy) args.push('-legacy');
  openssl(args);
  return out;
}

/** The PKCS#8 DER of a corpus key, as openssl writes it (for the plaintext scan). */
export function pkcs8Der(pki: TestPki, name: CertName): Buffer {
  return openssl(['pkcs8', '-topk8', '-nocrypt', '-outform', 'DER', '-in', pki.certs[name].key]);
}

export function sha256Fingerprint(pem: string): string {
  const out = openssl(['x509', '-in', pem, '-noout', '-fingerprint', '-sha256']).toString();
  return out.split('=')[1]!.trim().replace(/:/g, '').toLowerCase();
}

/** Every regular file under dir (recursively). */
export function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name));
}
