/**
 * Test PKI and bundles made with the openssl CLI (independent of the
 * verifier's code), plus a tiny raw tar writer for hostile archives.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function ossl(args: string[], cwd?: string): Buffer {
  return execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
}

export function tmpDir(prefix = 'airlock-bundles-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

const CNF = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[root_pathlen0]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[inter]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[inter_notca]
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[leaf_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature,keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[leaf_keyenc]
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[leaf_critical]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
1.3.6.1.4.1.99999.1 = critical,ASN1:NULL
[ca]
default_ca = ca_default
[ca_default]
database = index.txt
crlnumber = crlnumber
default_md = sha384
default_crl_days = 30
`;

export type KeyAlg = 'P-384' | 'P-521' | 'P-256' | 'RSA-2048' | 'RSA-3072';
export interface Party {
  name: string;
  cert: string; // PEM path
  key: string;
  der: Uint8Array;
  dir: string; // CA database dir
}

let counter = 0;

export class TestPki {
  readonly dir: string;
  readonly cnf: string;
  constructor(dir = tmpDir('airlock-pki-')) {
    this.dir = dir;
    this.cnf = path.join(dir, 'openssl.cnf');
    fs.writeFileSync(this.cnf, CNF);
  }

  key(name: string, alg: KeyAlg = 'P-384'): string {
    const k = path.join(this.dir, `${name}-${++counter}.key`);
    if (alg.startsWith('RSA')) ossl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${alg.slice(4)}`, '-out', k]);
    else ossl(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${alg}`, '-out', k]);
    return k;
  }

  private party(name: string, cert: string, key: string): Party {
    const dir = path.join(this.dir, `${name}-${++counter}.db`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.txt'), '');
    fs.writeFileSync(path.join(dir, 'crlnumber'), '01\n');
    return { name, cert, key, der: pemToDer(fs.readFileSync(cert, 'utf8')), dir };
  }

  root(name: string, opts: { alg?: KeyAlg; ext?: string; key?: string; days?: number } = {}): Party {
    const key = opts.key ?? this.key(name, opts.alg);
    const cert = path.join(this.dir, `${name}-${++counter}.pem`);
    ossl(['req', '-x509', '-new', '-config', this.cnf, '-extensions', opts.ext ?? 'root', '-key', key, '-subj', `/O=Airlock Test/CN=${name}`, '-days', String(opts.days ?? 3650), '-sha384', '-set_serial', String(1000 + ++counter), '-out', cert]);
    return this.party(name, cert, key);
  }

  issue(name: string, issuer: Party, opts: { alg?: KeyAlg; ext?: string; days?: number; md?: string; subject?: string } = {}): Party {
    const key = this.key(name, opts.alg);
    const csr = path.join(this.dir, `${name}-${++counter}.csr`);
    const cert = path.join(this.dir, `${name}-${counter}.pem`);
    ossl(['req', '-new', '-config', this.cnf, '-key', key, '-subj', opts.subject ?? `/O=Airlock Test/CN=${name}`, '-out', csr]);
    ossl(['x509', '-req', '-in', csr, '-CA', issuer.cert, '-CAkey', issuer.key, '-set_serial', String(1000 + ++counter), '-days', String(opts.days ?? 365), `-${opts.md ?? 'sha384'}`, '-extfile', this.cnf, '-extensions', opts.ext ?? 'leaf', '-out', cert]);
    return this.party(name, cert, key);
  }

  /** A CRL from `issuer` (openssl ca), revoking `revoke`. Returns DER. */
  crl(issuer: Party, opts: { revoke?: Party[]; lastUpdate?: string; nextUpdate?: string } = {}): Uint8Array {
    for (const r of opts.revoke ?? []) ossl(['ca', '-config', this.cnf, '-revoke', r.cert, '-keyfile', issuer.key, '-cert', issuer.cert], issuer.dir);
    const out = path.join(issuer.dir, `crl-${++counter}.pem`);
    const args = ['ca', '-config', this.cnf, '-gencrl', '-keyfile', issuer.key, '-cert', issuer.cert, '-out', out];
    if (opts.lastUpdate) args.push('-crl_lastupdate', opts.lastUpdate);
    if (opts.nextUpdate) args.push('-crl_nextupdate', opts.nextUpdate);
    ossl(args, issuer.dir);
    return pemToDer(fs.readFileSync(out, 'utf8'));
  }
}

export function pemToDer(pem: string): Uint8Array {
  const m = /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END/.exec(pem);
  return new Uint8Array(Buffer.from(m![1]!.replace(/\s+/g, ''), 'base64'));
}

export interface Signer {
  party: Party;
  /** Extra intermediates to carry in the CMS. */
  chain?: Party[];
  md?: string;
  extra?: string[];
}

export function metadataFor(type: 'model-access' | 'eval-package' | 'result', over: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    format: 'airlock-bundle/1',
    type,
    id: 'bundle-1',
    series: 'series-a',
    sequence: 3,
    title: 'Test bundle',
    issuer: 'Test Clearinghouse',
    issuedAt: '2026-01-01T00:00:00Z',
    notBefore: '2020-01-01T00:00:00Z',
    notAfter: '2090-01-01T00:00:00Z',
    classification: 'UNCLASSIFIED//FOR TESTING',
  };
  if (type === 'model-access')
    base.model = {
      developer: 'Dev',
      name: 'm',
      version: '1',
      card: 'payload/card.md',
      accessWindow: { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' },
      access: { kind: 'endpoint', api: 'openai-chat', baseUrl: 'https://model.enclave.local/v1', model: 'm-1' },
    };
  if (type === 'eval-package') base.package = { name: 'p', version: '1', tasks: ['payload/task.yaml'] };
  if (type === 'result') base.result = { inputs: [], evaluator: 'lab', report: 'payload/report.md', findings: 'payload/findings.json', logs: [] };
  return { ...base, ...over };
}

export interface BundleSpec {
  files?: Record<string, string | Buffer>;
  metadata?: Record<string, unknown> | string | Buffer;
  signers: Signer[];
  /** Edit the directory after sums are written and before signing. */
  beforeSign?: (dir: string) => void;
  /** Edit the directory after signing (tampering). */
  afterSign?: (dir: string) => void;
}

/** Make a directory bundle with coreutils sha384sum and openssl cms. */
export function makeBundle(dir: string, spec: BundleSpec): string {
  fs.mkdirSync(dir, { recursive: true });
  const files = spec.files ?? { 'payload/card.md': '# Model card\n' };
  for (const [p, c] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), c);
  }
  const meta = spec.metadata ?? metadataFor('model-access');
  fs.writeFileSync(path.join(dir, 'bundle.json'), typeof meta === 'string' || Buffer.isBuffer(meta) ? meta : JSON.stringify(meta));
  const list = execFileSync('sh', ['-c', "find . -type f ! -name SHA384SUMS ! -name SHA384SUMS.p7s | sed 's|^\\./||' | LC_ALL=C sort | tr '\\n' '\\0' | xargs -0 sha384sum"], { cwd: dir });
  fs.writeFileSync(path.join(dir, 'SHA384SUMS'), list);
  spec.beforeSign?.(dir);
  const [first, ...rest] = spec.signers;
  const sign = (s: Signer, resign: boolean) => {
    const args = ['cms', resign ? '-resign' : '-sign', '-binary'];
    if (resign) args.push('-inform', 'DER', '-in', 'SHA384SUMS.p7s', '-content', 'SHA384SUMS');
    else args.push('-in', 'SHA384SUMS');
    args.push('-signer', s.party.cert, '-inkey', s.party.key, '-md', s.md ?? 'sha384', '-nosmimecap', '-outform', 'DER', '-out', resign ? 'SHA384SUMS.p7s.new' : 'SHA384SUMS.p7s');
    if (s.chain?.length) {
      const cf = path.join(dir, '..', `chain-${++counter}.pem`);
      fs.writeFileSync(cf, s.chain.map((c) => fs.readFileSync(c.cert, 'utf8')).join(''));
      args.push('-certfile', cf);
    }
    args.push(...(s.extra ?? []));
    ossl(args, dir);
    if (resign) fs.renameSync(path.join(dir, 'SHA384SUMS.p7s.new'), path.join(dir, 'SHA384SUMS.p7s'));
  };
  if (first) sign(first, false);
  for (const s of rest) sign(s, true);
  spec.afterSign?.(dir);
  return dir;
}

/** Pack a directory bundle into a POSIX tar with GNU tar, required order first. */
export function tarBundle(dir: string, out: string): string {
  const others = fs.readdirSync(dir).filter((n) => !['SHA384SUMS', 'SHA384SUMS.p7s', 'bundle.json'].includes(n)).sort();
  execFileSync('tar', ['--format=posix', '-cf', out, '-C', dir, 'SHA384SUMS', 'SHA384SUMS.p7s', 'bundle.json', ...others]);
  return out;
}

// ------------------------------------------------------------------ raw tar writer

export interface RawMember {
  name: string;
  data?: Buffer | string;
  type?: string;
  linkname?: string;
  prefix?: string;
  size?: number;
  magic?: 'posix' | 'gnu';
  corruptChecksum?: boolean;
}

export function tarHeader(m: RawMember): Buffer {
  const h = Buffer.alloc(512);
  const data = m.data === undefined ? Buffer.alloc(0) : Buffer.from(m.data);
  h.write(m.name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  h.write((m.size ?? data.length).toString(8).padStart(11, '0') + '\0', 124, 'latin1');
  h.write('00000000000\0', 136, 'latin1');
  h.write(m.type ?? '0', 156, 'latin1');
  if (m.linkname) h.write(m.linkname, 157, 100, 'utf8');
  h.write(m.magic === 'gnu' ? 'ustar  \0' : 'ustar\u000000', 257, 'latin1');
  if (m.prefix) h.write(m.prefix, 345, 155, 'utf8');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  if (m.corruptChecksum) sum += 1;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}

export function paxData(records: Record<string, string>): Buffer {
  let out = '';
  for (const [k, v] of Object.entries(records)) {
    const body = ` ${k}=${v}\n`;
    let len = body.length + 1;
    while (String(len).length + body.length !== len) len = String(len).length + body.length;
    out += `${len}${body}`;
  }
  return Buffer.from(out, 'utf8');
}

function pad(b: Buffer): Buffer {
  const r = b.length % 512;
  return r ? Buffer.concat([b, Buffer.alloc(512 - r)]) : b;
}

/** Build a tar from raw members; data is written with the header's declared size unless `size` overrides. */
export function buildTar(members: RawMember[], opts: { trailer?: Buffer; noEof?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const m of members) {
    parts.push(tarHeader(m));
    if (m.data !== undefined) parts.push(pad(Buffer.from(m.data)));
  }
  if (!opts.noEof) parts.push(Buffer.alloc(1024));
  if (opts.trailer) parts.push(opts.trailer);
  return Buffer.concat(parts);
}

/** Raw members of a directory bundle in required order (regular files only, no dirs). */
export function membersOf(dir: string): RawMember[] {
  const out: RawMember[] = [];
  const walk = (d: string, rel: string) => {
    for (const n of fs.readdirSync(d).sort()) {
      const full = path.join(d, n);
      const r = rel ? `${rel}/${n}` : n;
      if (fs.statSync(full).isDirectory()) walk(full, r);
      else out.push({ name: r, data: fs.readFileSync(full) });
    }
  };
  walk(dir, '');
  const first = ['SHA384SUMS', 'SHA384SUMS.p7s', 'bundle.json'];
  return [...first.map((f) => out.find((m) => m.name === f)!), ...out.filter((m) => !first.includes(m.name))];
}

export function sha384(b: Buffer | string): string {
  return crypto.createHash('sha384').update(b).digest('hex');
}

export const AT = (): Date => new Date(Date.now() + 1000);
