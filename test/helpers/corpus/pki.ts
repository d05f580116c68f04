/**
 * Test PKI for the bundle corpus, built with stock `openssl` only (no Airlock
 * code): `openssl genpkey`, `openssl req`, `openssl ca` (explicit
 * -startdate/-enddate, -revoke, -gencrl with -crl_lastupdate/-crl_nextupdate).
 *
 * All validity periods are fixed dates, and tests verify at the fixed time
 * AT (2027-01-01T00:00:00Z), so results do not depend on the machine clock:
 *
 *   certificates      2026-01-01 .. 2028-01-01 (unless stated)
 *   expired signer    2026-01-01 .. 2026-06-01
 *   not-yet-valid     2027-06-01 .. 2028-01-01
 *   current CRLs      lastUpdate 2026-06-01, nextUpdate 2027-06-01
 *   stale CRL         lastUpdate 2026-01-01, nextUpdate 2026-07-01
 *   revocation date   2026-03-01 (rewritten in index.txt so it is before AT)
 *
 * One PKI for all test processes, kept in the system temp directory between
 * runs (see sharedPki); building it takes several seconds (over 100 openssl
 * runs, one RSA-3072 and one RSA-2048 key).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BundleType } from '../../../src/shared/verification';
import { run, pool } from './exec';

export const AT = new Date('2027-01-01T00:00:00Z');
const DEFAULT_START = '20260101000000Z';
const DEFAULT_END = '20280101000000Z';

export type KeyType = 'p384' | 'p256' | 'p521' | 'rsa3072' | 'rsa2048';

const CA_EXT = (pathlen?: number): string =>
  [
    `basicConstraints = critical,CA:TRUE${pathlen === undefined ? '' : `,pathlen:${pathlen}`}`,
    'keyUsage = critical,keyCertSign,cRLSign',
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid:always',
  ].join('\n');

const LEAF_EXT = (ku = 'digitalSignature', extra = ''): string =>
  [
    'basicConstraints = critical,CA:FALSE',
    `keyUsage = critical,${ku}`,
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid:always',
    extra,
  ].join('\n');

interface CertDef {
  name: string;
  /** Issuing CA name; absent = self-signed root. */
  issuer?: string;
  cn: string;
  /** Subject override (the impostors copy real names). */
  subj?: string;
  key: KeyType;
  ext: string;
  start?: string;
  end?: string;
  /** This certificate issues others / CRLs, so give it a CA directory. */
  ca?: boolean;
  /** Digest the issuer signs this certificate with (default sha384). */
  md?: 'sha256';
  /** Reuse this definition's key (cross-certificates: same CA name and key, another issuer). */
  keyFrom?: string;
}

const O = '/O=Airlock Test PKI';

/** Test policy OIDs under a private arc. */
export const POLICY = { p1: '1.3.6.1.4.1.55555.2.1', p2: '1.3.6.1.4.1.55555.2.2', p9: '1.3.6.1.4.1.55555.2.9' } as const;

/** Loop: two CA names whose keys certify each other LOOP_CROSS times each (every signature valid, neither installed; CertName's LoopIndex lists 1..LOOP_CROSS). */
export const LOOP_CROSS = 7;
/** Mesh: MESH_NAMES CA names, each certified by every other (too many paths for the path builder's budget). */
export const MESH_NAMES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;

function loopDefs(): CertDef[] {
  const defs: CertDef[] = [
    { name: 'loopA', cn: 'Loop CA A', key: 'p384', ext: CA_EXT(), ca: true },
    { name: 'loopB', cn: 'Loop CA B', key: 'p384', ext: CA_EXT(), ca: true },
  ];
  for (let i = 1; i <= LOOP_CROSS; i++)
    defs.push(
      { name: `loopAbyB${i}`, issuer: 'loopB', cn: 'Loop CA A', key: 'p384', keyFrom: 'loopA', ext: CA_EXT() },
      { name: `loopBbyA${i}`, issuer: 'loopA', cn: 'Loop CA B', key: 'p384', keyFrom: 'loopB', ext: CA_EXT() },
    );
  defs.push({ name: 'loopSigner', issuer: 'loopA', cn: 'Test Signer Under A Cross-Certification Loop', key: 'p384', ext: LEAF_EXT() });
  for (const x of MESH_NAMES) defs.push({ name: `mesh${x}`, cn: `Mesh CA ${x}`, key: 'p384', ext: CA_EXT(), ca: true });
  for (const x of MESH_NAMES)
    for (const y of MESH_NAMES) if (x !== y) defs.push({ name: `mesh${x}by${y}`, issuer: `mesh${y}`, cn: `Mesh CA ${x}`, key: 'p384', keyFrom: `mesh${x}`, ext: CA_EXT() });
  defs.push({ name: 'meshSigner', issuer: 'meshA', cn: 'Test Signer Under A Cross-Certified Mesh', key: 'p384', ext: LEAF_EXT() });
  return defs;
}

/** The cross-certificates of the loop (what a loop bundle carries besides the signer). */
export function loopCerts(): CertName[] {
  return Array.from({ length: LOOP_CROSS }, (_, i) => [`loopAbyB${i + 1}`, `loopBbyA${i + 1}`] as CertName[]).flat();
}
/** The cross-certificates of the mesh. */
export function meshCerts(): CertName[] {
  return MESH_NAMES.flatMap((x) => MESH_NAMES.filter((y) => y !== x).map((y) => `mesh${x}by${y}` as CertName));
}
const ROOT_SUBJ = `${O}/CN=Test Clearinghouse Root`;
const INT_SUBJ = `${O}/CN=Test Clearinghouse Intermediate`;

/** Issuers before the certificates they issue. */
const DEFS: CertDef[] = [
  { name: 'root', cn: '', subj: ROOT_SUBJ, key: 'p384', ext: CA_EXT(), ca: true, end: '20300101000000Z' },
  { name: 'int', issuer: 'root', cn: '', subj: INT_SUBJ, key: 'p384', ext: CA_EXT(0), ca: true },
  { name: 'signer', issuer: 'int', cn: 'Test Signer', key: 'p384', ext: LEAF_EXT() },
  { name: 'cosigner', issuer: 'int', cn: 'Test Co-Signer', key: 'p384', ext: LEAF_EXT('digitalSignature,nonRepudiation') },
  { name: 'rsa3072', issuer: 'int', cn: 'Test Signer RSA-3072', key: 'rsa3072', ext: LEAF_EXT() },
  { name: 'rsa2048', issuer: 'int', cn: 'Test Signer RSA-2048', key: 'rsa2048', ext: LEAF_EXT() },
  { name: 'p256', issuer: 'int', cn: 'Test Signer P-256', key: 'p256', ext: LEAF_EXT() },
  { name: 'p521', issuer: 'int', cn: 'Test Signer P-521', key: 'p521', ext: LEAF_EXT() },
  { name: 'noKu', issuer: 'int', cn: 'Test Signer Without KeyUsage', key: 'p384', ext: LEAF_EXT().replace(/^keyUsage.*$/m, '') },
  { name: 'expiredInt', issuer: 'root', cn: 'Test Expired Intermediate', key: 'p384', ext: CA_EXT(0), ca: true, end: '20260601000000Z' },
  { name: 'underExpiredInt', issuer: 'expiredInt', cn: 'Test Signer Under Expired Intermediate', key: 'p384', ext: LEAF_EXT() },
  {
    name: 'intNoCertSign',
    issuer: 'root',
    cn: 'Test Intermediate Without keyCertSign',
    key: 'p384',
    ext: CA_EXT(0).replace('keyCertSign,cRLSign', 'cRLSign'),
    ca: true,
  },
  { name: 'underNoCertSign', issuer: 'intNoCertSign', cn: 'Test Signer Under Intermediate Without keyCertSign', key: 'p384', ext: LEAF_EXT() },
  // An intermediate the root signed with SHA-256 (too weak), and a signer under it.
  { name: 'weakInt', issuer: 'root', cn: 'Test Intermediate Signed With SHA-256', key: 'p384', ext: CA_EXT(0), ca: true, md: 'sha256' },
  { name: 'underWeakInt', issuer: 'weakInt', cn: 'Test Signer Under SHA-256 Intermediate', key: 'p384', ext: LEAF_EXT() },
  // A second intermediate that the root revokes, and a good-looking signer under it.
  { name: 'revokedInt', issuer: 'root', cn: 'Test Revoked Intermediate', key: 'p384', ext: CA_EXT(0), ca: true },
  { name: 'underRevokedInt', issuer: 'revokedInt', cn: 'Test Signer Under Revoked Intermediate', key: 'p384', ext: LEAF_EXT() },
  {
    name: 'caSigner',
    issuer: 'int',
    cn: 'Test Signer With CA Flag',
    key: 'p384',
    ext: [
      'basicConstraints = critical,CA:TRUE',
      'keyUsage = critical,digitalSignature,keyCertSign',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid:always',
    ].join('\n'),
  },
  { name: 'keyEncSigner', issuer: 'int', cn: 'Test Signer KeyEncipherment Only', key: 'p384', ext: LEAF_EXT('keyEncipherment') },
  { name: 'expired', issuer: 'int', cn: 'Test Signer Expired', key: 'p384', ext: LEAF_EXT(), end: '20260601000000Z' },
  { name: 'notYet', issuer: 'int', cn: 'Test Signer Not Yet Valid', key: 'p384', ext: LEAF_EXT(), start: '20270601000000Z' },
  { name: 'revoked', issuer: 'int', cn: 'Test Signer Revoked', key: 'p384', ext: LEAF_EXT() },
  {
    name: 'critExt',
    issuer: 'int',
    cn: 'Test Signer Unknown Critical Extension',
    key: 'p384',
    ext: LEAF_EXT('digitalSignature', '1.3.6.1.4.1.55555.1.1 = critical,ASN1:UTF8String:unknown'),
  },
  // pathlen:0 on `int` forbids this sub-CA.
  { name: 'subInt', issuer: 'int', cn: 'Test Sub-Intermediate (violates pathlen)', key: 'p384', ext: CA_EXT(), ca: true },
  { name: 'subSigner', issuer: 'subInt', cn: 'Test Signer Under Sub-Intermediate', key: 'p384', ext: LEAF_EXT() },
  // An end-entity certificate (not a CA) used as an issuer.
  { name: 'leafAsCa', issuer: 'int', cn: 'Test Leaf Used As Issuer', key: 'p384', ext: LEAF_EXT(), ca: true },
  { name: 'underLeaf', issuer: 'leafAsCa', cn: 'Test Signer Issued By A Leaf', key: 'p384', ext: LEAF_EXT() },
  // Impostors: same subject names as the real root/intermediate, other keys.
  { name: 'fakeRoot', cn: '', subj: ROOT_SUBJ, key: 'p384', ext: CA_EXT(), ca: true, end: '20300101000000Z' },
  { name: 'impostorInt', issuer: 'fakeRoot', cn: '', subj: INT_SUBJ, key: 'p384', ext: CA_EXT(0), ca: true },
  { name: 'impostorSigner', issuer: 'impostorInt', cn: 'Test Signer', key: 'p384', ext: LEAF_EXT() },
  // An unrelated root that only ever appears inside bundles.
  { name: 'rogueRoot', cn: 'Rogue Root (never installed)', key: 'p384', ext: CA_EXT(), ca: true },
  { name: 'rogueInt', issuer: 'rogueRoot', cn: 'Rogue Intermediate', key: 'p384', ext: CA_EXT(0), ca: true },
  { name: 'rogueSigner', issuer: 'rogueInt', cn: 'Rogue Signer', key: 'p384', ext: LEAF_EXT() },
  // The lab's own root: anchors `result` bundles only.
  { name: 'labRoot', cn: 'Test Lab Root', key: 'p384', ext: CA_EXT(), ca: true, end: '20300101000000Z' },
  { name: 'labSigner', issuer: 'labRoot', cn: 'Test Lab Evaluator', key: 'p384', ext: LEAF_EXT() },
  { name: 'labEnc', issuer: 'labRoot', cn: 'Test Lab Credential Vault', key: 'p384', ext: LEAF_EXT('keyAgreement') },
  // Extended key usage on the signer (spec §4: codeSigning, emailProtection or anyExtendedKeyUsage).
  { name: 'ekuServerAuth', issuer: 'int', cn: 'Test Signer EKU serverAuth Only', key: 'p384', ext: LEAF_EXT('digitalSignature', 'extendedKeyUsage = critical,serverAuth') },
  { name: 'ekuCodeSigning', issuer: 'int', cn: 'Test Signer EKU codeSigning', key: 'p384', ext: LEAF_EXT('digitalSignature', 'extendedKeyUsage = critical,codeSigning') },
  { name: 'ekuEmail', issuer: 'int', cn: 'Test Signer EKU emailProtection', key: 'p384', ext: LEAF_EXT('digitalSignature', 'extendedKeyUsage = emailProtection,clientAuth') },
  // Policies: an intermediate asserting p1, mapping p1 to p2 and requiring an explicit policy; a signer asserting p2.
  {
    name: 'polInt',
    issuer: 'root',
    cn: 'Test Policy-Mapping Intermediate',
    key: 'p384',
    ext: [CA_EXT(0), `certificatePolicies = ${POLICY.p1}`, `policyMappings = critical,${POLICY.p1}:${POLICY.p2}`, 'policyConstraints = critical,requireExplicitPolicy:0'].join('\n'),
    ca: true,
  },
  { name: 'polSigner', issuer: 'polInt', cn: 'Test Signer Under Policy Mapping', key: 'p384', ext: LEAF_EXT('digitalSignature', `certificatePolicies = ${POLICY.p2}`) },
  // Explicit policy required, and the signer asserts only a policy nobody accepted.
  {
    name: 'polStrictInt',
    issuer: 'root',
    cn: 'Test Explicit-Policy Intermediate',
    key: 'p384',
    ext: [CA_EXT(0), `certificatePolicies = ${POLICY.p1}`, 'policyConstraints = critical,requireExplicitPolicy:0'].join('\n'),
    ca: true,
  },
  { name: 'polBadSigner', issuer: 'polStrictInt', cn: 'Test Signer With An Unaccepted Policy', key: 'p384', ext: LEAF_EXT('digitalSignature', `certificatePolicies = ${POLICY.p9}`) },
  // A critical extension no verifier here processes (nameConstraints), on an intermediate.
  {
    name: 'ncInt',
    issuer: 'root',
    cn: 'Test Name-Constrained Intermediate',
    key: 'p384',
    ext: [CA_EXT(0), 'nameConstraints = critical,permitted;DNS:example.test'].join('\n'),
    ca: true,
  },
  { name: 'underNcInt', issuer: 'ncInt', cn: 'Test Signer Under Name Constraints', key: 'p384', ext: LEAF_EXT() },
  // A CA restricted to TLS (extendedKeyUsage serverAuth) above a code-signing signer: EKU chaining refuses it.
  {
    name: 'ekuTlsInt',
    issuer: 'root',
    cn: 'Test TLS-Only Intermediate',
    key: 'p384',
    ext: [CA_EXT(0), 'extendedKeyUsage = serverAuth'].join('\n'),
    ca: true,
  },
  { name: 'underEkuTlsInt', issuer: 'ekuTlsInt', cn: 'Test Code Signer Under A TLS-Only Intermediate', key: 'p384', ext: LEAF_EXT('digitalSignature', 'extendedKeyUsage = codeSigning') },
  ...loopDefs(),
];

export type CertName =
  | 'root' | 'int' | 'signer' | 'cosigner' | 'rsa3072' | 'rsa2048' | 'p256' | 'p521' | 'revokedInt' | 'underRevokedInt' | 'caSigner'
  | 'noKu' | 'expiredInt' | 'underExpiredInt' | 'intNoCertSign' | 'underNoCertSign' | 'weakInt' | 'underWeakInt' | 'keyEncSigner'
  | 'expired' | 'notYet' | 'revoked' | 'critExt' | 'subInt' | 'subSigner' | 'leafAsCa' | 'underLeaf'
  | 'fakeRoot' | 'impostorInt' | 'impostorSigner' | 'rogueRoot' | 'rogueInt' | 'rogueSigner'
  | 'labRoot' | 'labSigner' | 'labEnc'
  | 'ekuServerAuth' | 'ekuCodeSigning' | 'ekuEmail' | 'polInt' | 'polSigner' | 'polStrictInt' | 'polBadSigner' | 'ncInt' | 'underNcInt'
  | 'ekuTlsInt' | 'underEkuTlsInt'
  | 'loopA' | 'loopB' | 'loopSigner' | `loop${'AbyB' | 'BbyA'}${LoopIndex}`
  | `mesh${MeshName}` | MeshCross | 'meshSigner';

type LoopIndex = 1 | 2 | 3 | 4 | 5 | 6 | 7;
type MeshName = (typeof MESH_NAMES)[number];
/** meshXbyY for X != Y. */
type MeshCross<X extends MeshName = MeshName> = X extends MeshName ? `mesh${X}by${Exclude<MeshName, X>}` : never;

export type CrlName =
  | 'root' | 'int' | 'intStale' | 'labRoot' | 'fakeRootAsRoot' | 'subInt' | 'leafAsCa' | 'rogueRoot' | 'rogueInt' | 'revokedInt' | 'expiredInt' | 'intNoCertSign'
  | 'polInt' | 'polStrictInt' | 'ncInt' | 'ekuTlsInt';

export interface CertFiles {
  name: CertName;
  /** PEM certificate path. */
  pem: string;
  /** PEM private key path. */
  key: string;
  der: Uint8Array;
  subject: string;
  /** Issuer chain names, leaf's issuer first, up to and excluding the self-signed root. */
  chain: CertName[];
}

export interface TestPki {
  dir: string;
  certs: Record<CertName, CertFiles>;
  crls: Record<CrlName, { pem: string; der: Uint8Array }>;
  /** The anchors a lab normally has: clearinghouse root (model-access, eval-package) and lab root (result). */
  anchors(): { certificate: Uint8Array; types: BundleType[] | 'any'; label?: string }[];
  /** Current CRLs from every issuer of the normal chains. */
  crlsDer(...names: CrlName[]): Uint8Array[];
  defaultCrls(): Uint8Array[];
  /** A PEM file with the two anchors and current CRLs, for `openssl cms -verify -CAfile`. */
  caFile: string;
}

async function genKey(type: KeyType, out: string): Promise<void> {
  const args =
    type === 'p384' || type === 'p256' || type === 'p521'
      ? ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${{ p384: 'P-384', p256: 'P-256', p521: 'P-521' }[type]}`]
      : ['-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${type === 'rsa3072' ? 3072 : 2048}`];
  await run('openssl', ['genpkey', ...args, '-out', out]);
}

function caConfig(dir: string): string {
  return `[ ca ]
default_ca = CA_default
[ CA_default ]
dir = ${dir}
database = ${dir}/index.txt
new_certs_dir = ${dir}/newcerts
serial = ${dir}/serial
crlnumber = ${dir}/crlnumber
default_md = sha384
policy = policy_any
unique_subject = no
copy_extensions = none
preserve = yes
[ policy_any ]
commonName = supplied
organizationName = optional
[ crl_ext ]
authorityKeyIdentifier = keyid:always
`;
}

async function buildPki(dir: string): Promise<TestPki> {
  const pemOf = (name: CertName): string => join(dir, `${name}.pem`);
  // Keys in parallel (the RSA ones dominate).
  await pool(DEFS.filter((d) => !d.keyFrom), 2, (d) => genKey(d.key, join(dir, `${d.name}.key`)));
  let serial = 0x1000;
  for (const d of DEFS) {
    const key = join(dir, `${d.keyFrom ?? d.name}.key`);
    const pem = join(dir, `${d.name}.pem`);
    const csr = join(dir, `${d.name}.csr`);
    const ext = join(dir, `${d.name}.ext`);
    const subj = d.subj ?? `${O}/CN=${d.cn}`;
    writeFileSync(ext, `[ ext ]\n${d.ext}\n`);
    await run('openssl', ['req', '-new', '-key', key, '-subj', subj, '-out', csr]);
    if (d.ca) {
      const cadir = join(dir, `ca-${d.name}`);
      mkdirSync(join(cadir, 'newcerts'), { recursive: true });
      writeFileSync(join(cadir, 'index.txt'), '');
      // Distinct serial ranges per CA, so serials never collide across CAs.
      writeFileSync(join(cadir, 'serial'), (serial += 0x100).toString(16).toUpperCase() + '\n');
      writeFileSync(join(cadir, 'crlnumber'), '10\n');
      writeFileSync(join(cadir, 'ca.cnf'), caConfig(cadir));
    }
    const issuer = d.issuer ?? d.name;
    const cadir = join(dir, `ca-${issuer}`);
    const args = [
      'ca', '-batch', '-notext', '-preserveDN', '-config', join(cadir, 'ca.cnf'), '-in', csr, '-out', pem,
      '-startdate', d.start ?? DEFAULT_START, '-enddate', d.end ?? DEFAULT_END, '-extfile', ext, '-extensions', 'ext',
      '-keyfile', join(dir, `${issuer}.key`),
    ];
    if (d.md) args.push('-md', d.md);
    if (d.issuer) args.push('-cert', join(dir, `${issuer}.pem`));
    else args.push('-selfsign');
    await run('openssl', args);
  }

  // Revoke the revoked signer (by the intermediate) and the revoked
  // intermediate (by the root); date revocations 2026-03-01 so they precede AT.
  for (const [ca, victim] of [['int', 'revoked'], ['root', 'revokedInt']] as const) {
    const caDir = join(dir, `ca-${ca}`);
    await run('openssl', ['ca', '-config', join(caDir, 'ca.cnf'), '-revoke', pemOf(victim), '-crl_reason', 'keyCompromise',
      '-keyfile', join(dir, `${ca}.key`), '-cert', pemOf(ca)]);
    const idx = readFileSync(join(caDir, 'index.txt'), 'utf8').replace(/^R\t(\S+)\t\d{12}Z/m, 'R\t$1\t260301000000Z');
    writeFileSync(join(caDir, 'index.txt'), idx);
  }

  const gencrl = async (name: CrlName, ca: CertName, last: string, next: string): Promise<void> => {
    const cadir = join(dir, `ca-${ca}`);
    const pem = join(dir, `crl-${name}.pem`);
    await run('openssl', ['ca', '-batch', '-gencrl', '-config', join(cadir, 'ca.cnf'), '-keyfile', join(dir, `${ca}.key`),
      '-cert', pemOf(ca), '-crlexts', 'crl_ext', '-crl_lastupdate', last, '-crl_nextupdate', next, '-out', pem]);
  };
  const CUR: [string, string] = ['20260601000000Z', '20270601000000Z'];
  // Stale first: it gets the lower CRL number.
  await gencrl('intStale', 'int', '20260101000000Z', '20260701000000Z');
  await gencrl('int', 'int', ...CUR);
  await gencrl('root', 'root', ...CUR);
  await gencrl('labRoot', 'labRoot', ...CUR);
  await gencrl('subInt', 'subInt', ...CUR);
  await gencrl('leafAsCa', 'leafAsCa', ...CUR);
  await gencrl('rogueRoot', 'rogueRoot', ...CUR);
  await gencrl('rogueInt', 'rogueInt', ...CUR);
  await gencrl('revokedInt', 'revokedInt', ...CUR);
  await gencrl('expiredInt', 'expiredInt', ...CUR);
  await gencrl('intNoCertSign', 'intNoCertSign', ...CUR);
  await gencrl('polInt', 'polInt', ...CUR);
  await gencrl('polStrictInt', 'polStrictInt', ...CUR);
  await gencrl('ncInt', 'ncInt', ...CUR);
  await gencrl('ekuTlsInt', 'ekuTlsInt', ...CUR);
  // Same issuer NAME as the real root, signed by the impostor key.
  await gencrl('fakeRootAsRoot', 'fakeRoot', ...CUR);

  writeFileSync(
    join(dir, 'anchors-and-crls.pem'),
    [pemOf('root'), pemOf('labRoot'), ...['root', 'int', 'labRoot', 'polInt', 'polStrictInt', 'ncInt', 'ekuTlsInt'].map((c) => join(dir, `crl-${c}.pem`))].map((p) => readFileSync(p, 'utf8')).join(''),
  );

  writeFileSync(join(dir, COMPLETE), '');
  return loadPki(dir);
}

/** The PKI in `dir`, as buildPki left it. */
function loadPki(dir: string): TestPki {
  const der = (pem: string): Uint8Array => {
    const b64 = /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END/.exec(readFileSync(pem, 'utf8'))![1]!;
    return new Uint8Array(Buffer.from(b64.replace(/\s+/g, ''), 'base64'));
  };
  const certs = {} as Record<CertName, CertFiles>;
  for (const d of DEFS) {
    const name = d.name as CertName;
    const chain: CertName[] = [];
    for (let cur = d.issuer; cur; cur = DEFS.find((x) => x.name === cur)?.issuer) chain.push(cur as CertName);
    const pem = join(dir, `${name}.pem`);
    certs[name] = { name, pem, key: join(dir, `${d.keyFrom ?? name}.key`), der: der(pem), subject: d.subj ?? `${O}/CN=${d.cn}`, chain };
  }
  const crls = {} as TestPki['crls'];
  for (const f of readdirSync(dir)) {
    const m = /^crl-(\w+)\.pem$/.exec(f);
    if (m) crls[m[1] as CrlName] = { pem: join(dir, f), der: der(join(dir, f)) };
  }
  return {
    dir,
    certs,
    crls,
    caFile: join(dir, 'anchors-and-crls.pem'),
    anchors: () => [
      { certificate: certs.root.der, types: ['model-access', 'eval-package'], label: 'Test Clearinghouse Root' },
      { certificate: certs.labRoot.der, types: ['result'], label: 'Test Lab Root' },
    ],
    crlsDer: (...names) => names.map((n) => crls[n].der),
    defaultCrls: () => [crls.root.der, crls.int.der, crls.labRoot.der],
  };
}

/** Written last by buildPki: the directory is whole. */
const COMPLETE = 'complete';

/**
 * The PKI is shared by every test process (and kept between runs) in a
 * directory named by a hash of the code that builds it. All its dates are
 * fixed, so a kept PKI stays valid. The first process to create the
 * directory builds it; the others wait for its `complete` marker. A
 * directory left half-built (a killed run) is rebuilt after two minutes.
 */
async function sharedPki(): Promise<TestPki> {
  const key = createHash('sha256').update(JSON.stringify(DEFS) + buildPki.toString() + caConfig.toString() + loadPki.toString()).digest('hex');
  const dir = join(tmpdir(), `airlock-corpus-pki-${key.slice(0, 16)}`);
  for (;;) {
    if (existsSync(join(dir, COMPLETE))) return loadPki(dir);
    try {
      mkdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (Date.now() - statSync(dir).mtimeMs > 120_000 && !existsSync(join(dir, COMPLETE))) rmSync(dir, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    try {
      return await buildPki(dir);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }
}

let cached: Promise<TestPki> | undefined;
/** The shared test PKI (built once, see sharedPki; read once per process). Treat its files as read-only. */
export function getPki(): Promise<TestPki> {
  cached ??= sharedPki();
  return cached;
}

/** Forget this process's handle; the shared directory stays for other processes and runs. */
export async function disposePki(): Promise<void> {
  cached = undefined;
}
