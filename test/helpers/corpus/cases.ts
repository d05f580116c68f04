/**
 * The named corpus: every rejection spec/bundle-format.md names, plus the
 * valid bundles, each with the verdict and FailureCode a verifier must give.
 *
 * Each hostile case changes one thing of an otherwise valid bundle, so its
 * intended failure is the first failing check (checks are reported in
 * CheckId order: container, sums, digests, signature, algorithms, chain,
 * signer, anchor-scope, revocation, clock, metadata, references, window,
 * audience, rollback). Where a case cannot help tripping a later check too
 * (e.g. a hostile tar member is also absent from SHA384SUMS) the intended
 * failure comes earlier in that order; cases that say `among` assert only
 * that the code is among the failed checks, and say why.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { ErrorCode } from '../../../src/shared/errors';
import type { FailureCode } from '../../../src/shared/verification';
import { buildBundleDir, tarBundle, type BuildSpec, type TarOptions } from './build';
import { run } from './exec';
import { evalSpec, LAB_ID, minimalSpec, modelAccessSpec, resultSpec, modelAccessMeta, evalMeta } from './fixtures';
import { AT, loopCerts, meshCerts, type TestPki } from './pki';
import { craftTar, entriesFromDir, globalPax, paxRecords, setChecksum, type CraftEntry, type CraftOptions } from './tar-craft';

export interface CaseCtx {
  pki: TestPki;
  /** Scratch directory for this case. */
  work: string;
  /** Shared valid bundle directories (do not modify; copy). */
  base: { ma: string; alt: string };
}

/** Options passed to verifyBundle (structurally VerifyOptions). */
export interface CaseOptions {
  anchors: { certificate: Uint8Array; types: ('model-access' | 'eval-package' | 'result')[] | 'any'; label?: string }[];
  crls: Uint8Array[];
  at: Date;
  labId?: string;
  seriesState?: (series: string) => { sequence: number; sumsSha384: string } | undefined;
  requireCrls?: boolean;
}

export interface CorpusCase {
  name: string;
  group: 'valid' | 'container' | 'sums' | 'signature' | 'trust' | 'metadata';
  /** Builds the bundle; returns the path to verify (a .tar or a directory). */
  make: (ctx: CaseCtx) => Promise<string>;
  /** Changes to the default options (anchors, current CRLs, AT, LAB_ID). */
  opts?: (ctx: CaseCtx, source: string) => Partial<CaseOptions>;
  /**
   * 'rejected': any failure will do (the case documents a parser differential, not one code).
   * { error }: the verifier refuses its configuration (e.g. an anchor) with this AirlockError code, before any verdict.
   */
  expect: 'accepted' | 'rejected' | FailureCode | { error: ErrorCode };
  /** Other first failures that are also correct (documented ambiguity). */
  alt?: FailureCode[];
  /** Assert only that `expect` is among the failed checks (the reason is in a comment). */
  among?: boolean;
  /** The failing check's reason must mention this (file, subject, field). */
  mentions?: string;
  /** Expected values in the failing check's detail. */
  detail?: Record<string, string | number | boolean | null>;
  /** Valid bundle: also prove stock openssl + sha384sum accept it. */
  interop?: boolean;
}

export function defaultOptions(pki: TestPki): CaseOptions {
  return { anchors: pki.anchors(), crls: pki.defaultCrls(), at: AT, labId: LAB_ID };
}

// ---------------------------------------------------------------- helpers

const dir = (spec: BuildSpec) => (ctx: CaseCtx) => buildBundleDir(ctx.pki, spec, join(ctx.work, 'b'));

const tar =
  (spec: BuildSpec, t: TarOptions = {}) =>
  async (ctx: CaseCtx): Promise<string> => {
    const d = await buildBundleDir(ctx.pki, spec, join(ctx.work, 'b'));
    return tarBundle(d, join(ctx.work, 'bundle.tar'), t);
  };

/** A copy of the shared valid model-access directory, changed by `fn`. */
const mutateDir =
  (fn: (d: string, ctx: CaseCtx) => void | Promise<void>) =>
  async (ctx: CaseCtx): Promise<string> => {
    const d = join(ctx.work, 'b');
    cpSync(ctx.base.ma, d, { recursive: true });
    await fn(d, ctx);
    return d;
  };

/** A hand-crafted tar of the shared valid model-access bundle, entries changed by `fn`. */
const craft =
  (fn: (e: CraftEntry[]) => CraftEntry[], o: CraftOptions = {}, post?: (b: Uint8Array) => Uint8Array) =>
  async (ctx: CaseCtx): Promise<string> => {
    let bytes = craftTar(fn(entriesFromDir(ctx.base.ma)), o);
    if (post) bytes = post(bytes);
    const p = join(ctx.work, 'bundle.tar');
    writeFileSync(p, bytes);
    return p;
  };

/** Build and sign `spec`, then hand-craft its tar with `fn` applied to the entries. */
const craftFrom =
  (spec: BuildSpec, fn: (e: CraftEntry[]) => CraftEntry[], o: CraftOptions = {}) =>
  async (ctx: CaseCtx): Promise<string> => {
    const d = await buildBundleDir(ctx.pki, spec, join(ctx.work, 'b'));
    const p = join(ctx.work, 'bundle.tar');
    writeFileSync(p, craftTar(fn(entriesFromDir(d)), o));
    return p;
  };

/** A member whose bytes are themselves a tar header + data for payload/evil.txt. */
const SMUGGLER = craftTar([{ name: 'payload/evil.txt', data: Buffer.from('evil\n') }], { eofBlocks: 0 });

/** Append a hostile member after the valid ones. */
const plus = (...extra: CraftEntry[]) => craft((e) => [...e, ...extra]);
const file = (name: string, data = 'x\n'): CraftEntry => ({ name, data: Buffer.from(data) });

const sumsLines = (s: string): string[] => s.split('\n').filter((l) => l.length > 0);
/** Lines sorted by path in C order (so the defect is not "unsorted"). */
const byteSortLines = (lines: string[]): string =>
  lines.sort((a, b) => Buffer.compare(Buffer.from(a.slice(98)), Buffer.from(b.slice(98)))).join('\n') + '\n';

/** Recompute the checksum of the header at `at`. */
function setChecksumAt(b: Buffer, at: number): Buffer {
  setChecksum(b.subarray(at, at + 512));
  return b;
}

export const sha384hex = (b: Uint8Array): string => createHash('sha384').update(b).digest('hex');

const bundleJson = (raw: string): BuildSpec => ({ ...minimalSpec(), metadata: { raw } });

/** A canonical minimal bundle.json with one textual substitution (duplicate keys etc.). */
function rawMeta(edit: (canonical: string) => string): BuildSpec {
  const m = minimalSpec().metadata as Record<string, unknown>;
  const keys = Object.keys(m).sort();
  const canonical = `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`).join(',')}}`;
  return bundleJson(edit(canonical));
}

// ---------------------------------------------------------------- the corpus

export const CASES: CorpusCase[] = [
  // ------------------------------------------------------------ valid
  { name: 'valid: model-access tar (GNU tar pax, real atime/ctime records), endpoint credential', group: 'valid',
    make: tar(modelAccessSpec(), { reproducible: false }), expect: 'accepted', interop: true },
  { name: 'valid: model-access directory form', group: 'valid', make: dir(modelAccessSpec()), expect: 'accepted', interop: true },
  { name: 'valid: ustar tar', group: 'valid', make: tar(modelAccessSpec(), { format: 'ustar' }), expect: 'accepted', interop: true },
  { name: 'valid: co-signed (openssl cms -resign)', group: 'valid', make: tar(modelAccessSpec({ signers: ['signer', 'cosigner'] })),
    expect: 'accepted', interop: true },
  { name: 'valid: RSA-3072 signer', group: 'valid', make: tar(modelAccessSpec({ signers: ['rsa3072'] })), expect: 'accepted', interop: true },
  { name: 'valid: SHA-512 digest', group: 'valid', make: tar(modelAccessSpec({ md: 'sha512' })), expect: 'accepted', interop: true },
  { name: 'valid: eval-package with task YAML + JSONL dataset', group: 'valid', make: tar(evalSpec()), expect: 'accepted', interop: true },
  { name: 'valid: result bundle signed by the lab (lab root anchors result)', group: 'valid', make: tar(resultSpec()),
    expect: 'accepted', interop: true },
  { name: 'valid: root certificate carried in the CMS is ignored, installed anchor used', group: 'valid',
    make: tar(modelAccessSpec({ certfile: ['int', 'root'] })), expect: 'accepted', interop: true },
  { name: 'valid: hand-crafted ustar (tar-craft sanity)', group: 'valid', make: craft((e) => e), expect: 'accepted' },
  { name: 'valid: hand-crafted tar, per-member pax path equal to the name', group: 'valid',
    make: craft((e) => e.map((x) => (x.type === '5' ? x : { ...x, pax: { path: x.name } }))), expect: 'accepted' },
  { name: 'valid: GNU tar record padding (10240) after end-of-archive is zeros', group: 'valid',
    make: craft((e) => e, { recordSize: 10240 }), expect: 'accepted' },
  // Spec ambiguity: GNU tar --format=pax writes a path > 100 bytes as a pax
  // `path` record with the ustar name field TRUNCATED to 100 bytes. That is
  // the spec's own producer command with a legal path (8 x 128-byte segments
  // are allowed), so it must be accepted: "pax path differs from its header
  // name" is read as "names a different file", not "is longer than the field".
  { name: 'valid: GNU tar pax, 160-byte path (pax path record + truncated ustar name)', group: 'valid',
    make: tar(minimalSpec({ files: { [`payload/${'a'.repeat(70)}/${'b'.repeat(80)}.txt`]: 'long\n' } })), expect: 'accepted', interop: true },
  { name: 'valid: GNU tar ustar, 160-byte path (prefix field)', group: 'valid',
    make: tar(minimalSpec({ files: { [`payload/${'a'.repeat(70)}/${'b'.repeat(80)}.txt`]: 'long\n' } }), { format: 'ustar' }),
    expect: 'accepted' },
  { name: 'valid: anchor bound to any type', group: 'valid', make: tar(evalSpec()), expect: 'accepted',
    opts: ({ pki }) => ({ anchors: [{ certificate: pki.certs.root.der, types: 'any' }] }) },
  { name: 'valid: same series+sequence+SHA384SUMS as already accepted (re-import)', group: 'valid', make: dir(modelAccessSpec()),
    expect: 'accepted',
    opts: (_c, src) => ({ seriesState: (s) => (s === 'acme-frontier-x' ? { sequence: 3, sumsSha384: sha384hex(readFileSync(join(src, 'SHA384SUMS'))) } : undefined) }) },
  { name: 'valid: higher sequence than already accepted', group: 'valid', make: dir(modelAccessSpec()), expect: 'accepted',
    opts: () => ({ seriesState: () => ({ sequence: 2, sumsSha384: 'f'.repeat(96) }) }) },
  { name: 'valid: notBefore exactly at verification time', group: 'valid',
    make: tar(minimalSpec({}, { notBefore: AT.toISOString().replace('.000', '') })), expect: 'accepted' },
  { name: 'valid: no audience field', group: 'valid', make: tar(minimalSpec({}, { audience: undefined })), expect: 'accepted' },
  { name: 'valid: requireCrls=false and no CRLs at all', group: 'valid', make: tar(minimalSpec()), expect: 'accepted',
    opts: () => ({ crls: [], requireCrls: false }) },

  // ------------------------------------------------------------ container (§1)
  // Hostile members are appended to a valid, signed bundle: they are also
  // unlisted in SHA384SUMS, but container checks come first.
  { name: 'path: ../x', group: 'container', make: plus(file('../x')), expect: 'container.path', mentions: '../x' },
  { name: 'path: payload/../../x', group: 'container', make: plus(file('payload/../../x')), expect: 'container.path' },
  { name: 'path: /abs', group: 'container', make: plus(file('/abs/x.txt')), expect: 'container.path', mentions: '/abs/x.txt' },
  { name: 'path: a/./b', group: 'container', make: plus(file('payload/./b.txt')), expect: 'container.path' },
  { name: 'path: empty segment a//b', group: 'container', make: plus(file('payload//b.txt')), expect: 'container.path' },
  { name: 'path: reserved CON.txt', group: 'container', make: plus(file('payload/CON.txt')), expect: 'container.path', mentions: 'CON.txt' },
  { name: 'path: reserved aux', group: 'container', make: plus(file('payload/aux')), expect: 'container.path' },
  { name: 'path: reserved com1.log (lower case)', group: 'container', make: plus(file('payload/com1.log')), expect: 'container.path' },
  { name: 'path: reserved LPT9', group: 'container', make: plus(file('LPT9')), expect: 'container.path' },
  { name: 'path: trailing dot', group: 'container', make: plus(file('payload/notes.')), expect: 'container.path' },
  { name: 'path: 9 segments', group: 'container', make: plus(file('a/b/c/d/e/f/g/h/i.txt')), expect: 'container.path' },
  { name: 'path: space', group: 'container', make: plus(file('payload/a b.txt')), expect: 'container.path' },
  { name: 'path: colon', group: 'container', make: plus(file('payload/a:b.txt')), expect: 'container.path' },
  { name: 'path: backslash', group: 'container', make: plus(file('payload\\evil.txt')), expect: 'container.path' },
  { name: 'path: leading dot (hidden)', group: 'container', make: plus(file('payload/.hidden')), expect: 'container.path' },
  { name: 'path: non-ASCII', group: 'container', make: plus(file('payload/caf\u00e9.txt')), expect: 'container.path' },
  { name: 'path: 129-byte segment', group: 'container',
    // Only a pax path record can carry it; the ustar name is its 100-byte
    // truncation, as GNU tar writes. A verifier that reads "pax path differs
    // from header name" strictly rejects it as pax-path instead: also correct.
    make: plus({ name: `payload/${'y'.repeat(129)}`.slice(0, 100), data: Buffer.from('x\n'), pax: { path: `payload/${'y'.repeat(129)}` } }),
    expect: 'container.path', alt: ['container.pax-path'] },
  { name: 'path: case-insensitive collision A.txt / a.txt', group: 'container', make: plus(file('payload/A.txt'), file('payload/a.txt')),
    expect: 'container.duplicate', mentions: 'a.txt' },
  { name: 'path: case-insensitive collision with a listed file (payload/MODEL-CARD.md)', group: 'container',
    make: plus(file('payload/MODEL-CARD.md')), expect: 'container.duplicate' },
  { name: 'member: duplicate name', group: 'container',
    make: craft((e) => [...e, e.find((x) => x.name === 'payload/model-card.md') as CraftEntry]), expect: 'container.duplicate',
    mentions: 'payload/model-card.md' },
  { name: 'member: duplicate of bundle.json with other content', group: 'container',
    make: plus(file('bundle.json', '{"format":"airlock-bundle/1"}')), expect: 'container.duplicate' },
  { name: 'member: symlink', group: 'container', make: plus({ name: 'payload/link', type: '2', linkname: 'model-card.md' }),
    expect: 'container.member-type', mentions: 'payload/link' },
  { name: 'member: symlink to /etc/passwd', group: 'container', make: plus({ name: 'payload/passwd', type: '2', linkname: '/etc/passwd' }),
    expect: 'container.member-type' },
  { name: 'member: hard link', group: 'container', make: plus({ name: 'payload/hard', type: '1', linkname: 'payload/model-card.md' }),
    expect: 'container.member-type' },
  { name: 'member: character device', group: 'container', make: plus({ name: 'payload/tty', type: '3' }), expect: 'container.member-type' },
  { name: 'member: block device', group: 'container', make: plus({ name: 'payload/sda', type: '4' }), expect: 'container.member-type' },
  { name: 'member: FIFO', group: 'container', make: plus({ name: 'payload/fifo', type: '6' }), expect: 'container.member-type' },
  { name: 'member: GNU sparse', group: 'container', make: plus({ name: 'payload/sparse', type: 'S', data: Buffer.from('x') }),
    expect: 'container.member-type' },
  { name: 'member: GNU long-name (L) record', group: 'container',
    make: plus({ name: '././@LongLink', type: 'L', data: Buffer.from('payload/long.txt\0') }, file('payload/long.txt')),
    expect: 'container.member-type' },
  { name: 'pax: global header', group: 'container',
    make: craft((e) => [...e.slice(0, 3), globalPax({ comment: 'hello' }), ...e.slice(3)]), expect: 'container.pax-global' },
  { name: 'pax: path differs from header name', group: 'container',
    make: craft((e) => e.map((x) => (x.name === 'payload/model-card.md' ? { ...x, pax: { path: 'payload/other.md' } } : x))),
    expect: 'container.pax-path', mentions: 'payload/model-card.md' },
  { name: 'pax: path on bundle.json naming SHA384SUMS', group: 'container',
    make: craft((e) => e.map((x) => (x.name === 'bundle.json' ? { ...x, pax: { path: 'SHA384SUMS' } } : x))),
    expect: 'container.pax-path', alt: ['container.duplicate'] },
  { name: 'header: bad checksum', group: 'container',
    make: craft((e) => e.map((x) => (x.name === 'payload/model-card.md' ? { ...x, checksum: 1234 } : x))), expect: 'container.checksum' },
  { name: 'header: bad checksum on the first member', group: 'container',
    make: craft((e) => e.map((x, i) => (i === 0 ? { ...x, checksum: 0 } : x))), expect: 'container.checksum' },
  { name: 'truncated: inside member data', group: 'container',
    make: craft((e) => e, { eofBlocks: 0 }, (b) => b.subarray(0, b.length - 512 + 20)), expect: 'container.truncated' },
  { name: 'truncated: size field larger than the archive', group: 'container',
    make: craft((e) => e.map((x) => (x.name === 'payload/model-card.md' ? { ...x, size: 1 << 20 } : x)), { eofBlocks: 0 }),
    expect: 'container.truncated' },
  { name: 'truncated: inside a header', group: 'container',
    make: craft((e) => [...e, file('payload/z.txt')], { eofBlocks: 0 }, (b) => b.subarray(0, b.length - 512 - 300)),
    expect: 'container.truncated' },
  { name: 'trailing: non-zero data after end-of-archive', group: 'container',
    make: craft((e) => e, { trailing: Buffer.alloc(512, 0x41) }), expect: 'container.trailing-data' },
  { name: 'trailing: one non-zero byte after GNU record padding', group: 'container',
    make: async (ctx) => {
      const d = join(ctx.work, 'b');
      cpSync(ctx.base.ma, d, { recursive: true });
      const t = await tarBundle(d, join(ctx.work, 'bundle.tar'));
      appendFileSync(t, Buffer.from([1]));
      return t;
    },
    expect: 'container.trailing-data' },
  { name: 'trailing: a valid member hidden after the end-of-archive blocks', group: 'container',
    make: craft((e) => e, { trailing: craftTar([file('payload/hidden.txt')], { eofBlocks: 2 }) }), expect: 'container.trailing-data' },
  { name: 'not a bundle: gzip-compressed tar', group: 'container',
    make: async (ctx) => {
      const t = await tar(modelAccessSpec())(ctx);
      writeFileSync(`${t}.gz`, gzipSync(readFileSync(t)));
      return `${t}.gz`;
    },
    expect: 'container.not-bundle' },
  { name: 'not a bundle: gzip bytes with a .tar name', group: 'container',
    make: async (ctx) => {
      const t = await tar(modelAccessSpec())(ctx);
      writeFileSync(t, gzipSync(readFileSync(t)));
      return t;
    },
    expect: 'container.not-bundle' },
  { name: 'not a bundle: random bytes', group: 'container',
    make: async (ctx) => {
      const p = join(ctx.work, 'noise.tar');
      writeFileSync(p, createHash('sha512').update('noise').digest());
      return p;
    },
    // 64 bytes: shorter than one header. Either reading is correct.
    expect: 'container.not-bundle', alt: ['container.truncated'] },
  { name: 'order: bundle.json first (GNU tar)', group: 'container',
    make: async (ctx) => {
      const d = join(ctx.work, 'b');
      cpSync(ctx.base.ma, d, { recursive: true });
      return tarBundle(d, join(ctx.work, 'bundle.tar'), { members: ['bundle.json', 'SHA384SUMS', 'SHA384SUMS.p7s', 'payload'] });
    },
    expect: 'container.order' },
  { name: 'order: payload before the three roots', group: 'container', make: craft((e) => [...e.slice(3), ...e.slice(0, 3)]),
    expect: 'container.order' },
  { name: 'order: directory entry before SHA384SUMS', group: 'container',
    make: craft((e) => [{ name: 'payload/', type: '5' }, ...e.filter((x) => x.name !== 'payload/')]), expect: 'container.order' },
  { name: 'order: missing SHA384SUMS.p7s in a tar', group: 'container',
    make: craft((e) => e.filter((x) => x.name !== 'SHA384SUMS.p7s')), expect: 'container.order' },
  // Directory form (§1: only regular files and directories, nothing reached through a link).
  { name: 'dir: symlinked file', group: 'container',
    make: mutateDir((d) => symlinkSync('model-card.md', join(d, 'payload/alias.md'))), expect: 'container.link', mentions: 'payload/alias.md' },
  { name: 'dir: listed file replaced by a symlink to identical content elsewhere', group: 'container',
    make: mutateDir((d, ctx) => {
      const outside = join(ctx.work, 'outside.md');
      cpSync(join(d, 'payload/model-card.md'), outside);
      rmSync(join(d, 'payload/model-card.md'));
      symlinkSync(outside, join(d, 'payload/model-card.md'));
    }),
    expect: 'container.link' },
  { name: 'dir: symlinked directory', group: 'container',
    make: mutateDir((d, ctx) => {
      mkdirSync(join(ctx.work, 'elsewhere'));
      symlinkSync(join(ctx.work, 'elsewhere'), join(d, 'payload/sub'));
    }),
    expect: 'container.link' },
  { name: 'dir: FIFO', group: 'container',
    make: mutateDir(async (d) => {
      await run('mkfifo', [join(d, 'payload/fifo')]);
    }),
    expect: 'container.link' },
  { name: 'dir: reserved name CON.txt', group: 'container', make: mutateDir((d) => writeFileSync(join(d, 'payload/CON.txt'), 'x')),
    expect: 'container.path' },
  { name: 'dir: case-insensitive collision', group: 'container',
    make: mutateDir((d) => writeFileSync(join(d, 'payload/Model-Card.md'), 'x')), expect: 'container.duplicate' },
  { name: 'dir: bad characters', group: 'container', make: mutateDir((d) => writeFileSync(join(d, 'payload/a b.txt'), 'x')),
    expect: 'container.path' },

  // ------------------------------------------------------------ SHA384SUMS (§2)
  { name: 'sums: extra file not listed', group: 'sums',
    make: tar(modelAccessSpec({ after: (d) => writeFileSync(join(d, 'payload/extra.txt'), 'extra\n') })),
    expect: 'sums.unlisted-file', mentions: 'payload/extra.txt' },
  { name: 'sums: listed file missing', group: 'sums',
    make: tar(minimalSpec({ after: (d) => rmSync(join(d, 'payload/readme.txt')) })), expect: 'sums.missing-file', mentions: 'payload/readme.txt' },
  { name: 'sums: missing (directory form)', group: 'sums', make: mutateDir((d) => rmSync(join(d, 'SHA384SUMS'))), expect: 'sums.missing' },
  { name: 'digest: tampered file content', group: 'sums',
    make: tar(modelAccessSpec({ after: (d) => appendFileSync(join(d, 'payload/model-card.md'), 'tampered\n') })),
    expect: 'digests.mismatch', mentions: 'payload/model-card.md' },
  { name: 'digest: tampered bundle.json (same length)', group: 'sums',
    make: mutateDir((d) => {
      const p = join(d, 'bundle.json');
      writeFileSync(p, readFileSync(p, 'utf8').replace('"sequence":3', '"sequence":9'));
    }),
    // Only bundle.json changed: the report must not count it twice.
    expect: 'digests.mismatch', mentions: 'bundle.json', detail: { path: 'bundle.json', count: 1 } },
  { name: 'sums: uppercase hex', group: 'sums',
    make: tar(modelAccessSpec({ sums: (s) => s.replace(/^[0-9a-f]{96}/, (h) => h.toUpperCase()) })), expect: 'sums.format' },
  { name: 'sums: * binary marker (sha384sum --binary)', group: 'sums', make: tar(modelAccessSpec({ binaryMarker: true })), expect: 'sums.format' },
  { name: 'sums: CRLF line endings', group: 'sums', make: tar(modelAccessSpec({ sums: (s) => s.replace(/\n/g, '\r\n') })), expect: 'sums.format' },
  { name: 'sums: unsorted', group: 'sums', make: tar(modelAccessSpec({ sums: (s) => sumsLines(s).reverse().join('\n') + '\n' })),
    expect: 'sums.format' },
  { name: 'sums: locale order instead of C order', group: 'sums',
    // C order puts 'payload/Z.txt' before 'payload/a.txt'; a case-folding locale would not.
    make: tar(minimalSpec({ files: { 'payload/a.txt': 'a\n', 'payload/Z.txt': 'z\n' }, sums: (s) => {
      const l = sumsLines(s);
      const z = l.findIndex((x) => x.endsWith('payload/Z.txt'));
      const a = l.findIndex((x) => x.endsWith('payload/a.txt'));
      [l[z], l[a]] = [l[a] as string, l[z] as string];
      return l.join('\n') + '\n';
    } })),
    expect: 'sums.format' },
  { name: 'sums: UTF-8 BOM', group: 'sums', make: tar(modelAccessSpec({ sums: (s) => `\ufeff${s}` })), expect: 'sums.format' },
  { name: 'sums: duplicate line', group: 'sums', make: tar(modelAccessSpec({ sums: (s) => { const l = sumsLines(s); return [l[0], ...l].join('\n') + '\n'; } })),
    expect: 'sums.format' },
  { name: 'sums: one space separator', group: 'sums', make: tar(modelAccessSpec({ sums: (s) => s.replace(/^([0-9a-f]{96}) {2}/m, '$1 ') })),
    expect: 'sums.format' },
  { name: 'sums: no final newline', group: 'sums', make: tar(modelAccessSpec({ sums: (s) => s.replace(/\n$/, '') })), expect: 'sums.format' },
  { name: 'sums: 95-digit hash', group: 'sums', make: tar(modelAccessSpec({ sums: (s) => s.replace(/^([0-9a-f]{95})[0-9a-f]/, '$1') })),
    expect: 'sums.format' },
  { name: 'sums: SHA-256 sums (64 hex)', group: 'sums',
    make: tar(minimalSpec({ sums: (s) => s.replace(/^[0-9a-f]{96}/gm, (h) => h.slice(0, 64)) })), expect: 'sums.format' },
  { name: 'sums: ./ path prefix', group: 'sums', make: tar(modelAccessSpec({ sums: (s) => s.replace(/ {2}/g, '  ./') })),
    expect: 'sums.format', alt: ['sums.unlisted-file', 'sums.missing-file', 'container.path'] },

  // ------------------------------------------------------------ signature (§3)
  { name: 'signature: missing (directory form; in a tar the member order check comes first)', group: 'signature',
    make: dir(modelAccessSpec({ signers: [] })), expect: 'signature.missing' },
  { name: 'signature: garbage bytes', group: 'signature',
    make: tar(modelAccessSpec({ after: (d) => writeFileSync(join(d, 'SHA384SUMS.p7s'), createHash('sha512').update('garbage').digest()) })),
    expect: 'signature.malformed' },
  { name: 'signature: PEM instead of DER', group: 'signature',
    make: tar(modelAccessSpec({ after: async (d) => {
      const pem = await run('openssl', ['cms', '-cmsout', '-inform', 'DER', '-in', 'SHA384SUMS.p7s', '-outform', 'PEM'], { cwd: d });
      writeFileSync(join(d, 'SHA384SUMS.p7s'), pem.stdout);
    } })),
    expect: 'signature.malformed' },
  { name: 'signature: attached (-nodetach)', group: 'signature', make: tar(modelAccessSpec({ nodetach: true })), expect: 'signature.malformed' },
  { name: 'signature: replayed from another bundle', group: 'signature',
    make: async (ctx) => {
      const d = join(ctx.work, 'b');
      cpSync(ctx.base.ma, d, { recursive: true });
      cpSync(join(ctx.base.alt, 'SHA384SUMS.p7s'), join(d, 'SHA384SUMS.p7s'));
      return tarBundle(d, join(ctx.work, 'bundle.tar'));
    },
    expect: 'signature.message-digest' },
  { name: 'signature: no signed attributes (-noattr)', group: 'signature', make: tar(modelAccessSpec({ noattr: true })),
    expect: 'signature.no-signed-attributes' },
  { name: 'signature: signer certificate left out (-nocerts)', group: 'signature', make: tar(modelAccessSpec({ nocerts: true })),
    expect: 'signature.no-signer-cert' },
  { name: 'signature: signature value altered', group: 'signature',
    make: tar(modelAccessSpec({ after: (d) => {
      const p = join(d, 'SHA384SUMS.p7s');
      const b = readFileSync(p);
      // The SignerInfo is last and has no unsigned attributes: the last
      // byte is inside the ECDSA signature's s integer.
      b[b.length - 1] = (b[b.length - 1] as number) ^ 0x01;
      writeFileSync(p, b);
    } })),
    expect: 'signature.invalid' },
  { name: 'algorithms: SHA-256 digest (-md sha256)', group: 'signature', make: tar(modelAccessSpec({ md: 'sha256' })), expect: 'algorithms.digest' },
  { name: 'algorithms: RSA-2048 signer', group: 'signature', make: tar(modelAccessSpec({ signers: ['rsa2048'] })), expect: 'algorithms.key',
    mentions: 'RSA-2048' },
  { name: 'algorithms: P-256 signer', group: 'signature', make: tar(modelAccessSpec({ signers: ['p256'] })), expect: 'algorithms.key',
    mentions: 'P-256' },

  // ------------------------------------------------------------ trust (§4)
  { name: 'chain: impostor intermediate (same name as the real one, other key) under a fake root with the real root\'s name', group: 'trust',
    make: tar(modelAccessSpec({ signers: ['impostorSigner'], certfile: ['impostorInt'] })), expect: 'chain.no-anchor' },
  { name: 'chain: impostor leaf naming the real intermediate as issuer (chains by name, not by signature)', group: 'trust',
    make: tar(modelAccessSpec({ signers: ['impostorSigner'], certfile: ['int'] })), expect: 'chain.no-anchor', alt: ['chain.bad-signature'] },
  { name: 'chain: root only inside the CMS (never installed)', group: 'trust',
    make: tar(modelAccessSpec({ signers: ['rogueSigner'], certfile: ['rogueInt', 'rogueRoot'] })), expect: 'chain.no-anchor' },
  { name: 'chain: real root in the CMS but not installed', group: 'trust',
    make: tar(modelAccessSpec({ certfile: ['int', 'root'] })), expect: 'chain.no-anchor',
    opts: ({ pki }) => ({ anchors: [{ certificate: pki.certs.labRoot.der, types: ['result'] }] }) },
  { name: 'chain: intermediate missing from the CMS', group: 'trust', make: tar(modelAccessSpec({ certfile: [] })), expect: 'chain.no-anchor' },
  { name: 'chain: expired signer', group: 'trust', make: tar(modelAccessSpec({ signers: ['expired'] })), expect: 'chain.expired',
    mentions: 'Test Signer Expired' },
  { name: 'chain: not-yet-valid signer', group: 'trust', make: tar(modelAccessSpec({ signers: ['notYet'] })), expect: 'chain.not-yet-valid',
    mentions: 'Test Signer Not Yet Valid' },
  { name: 'chain: verification time after the whole chain expired', group: 'trust', make: tar(minimalSpec()), expect: 'chain.expired',
    opts: () => ({ at: new Date('2028-06-01T00:00:00Z') }) },
  { name: 'chain: unknown critical extension on the signer', group: 'trust', make: tar(modelAccessSpec({ signers: ['critExt'] })),
    expect: 'chain.critical-extension' },
  { name: 'chain: path length (sub-CA under pathlen:0)', group: 'trust',
    make: tar(modelAccessSpec({ signers: ['subSigner'], certfile: ['subInt', 'int'] })), expect: 'chain.path-length',
    opts: ({ pki }) => ({ crls: [...pki.defaultCrls(), pki.crls.subInt.der] }) },
  { name: 'chain: end-entity certificate used as an issuer', group: 'trust',
    make: tar(modelAccessSpec({ signers: ['underLeaf'], certfile: ['leafAsCa', 'int'] })), expect: 'chain.not-ca',
    opts: ({ pki }) => ({ crls: [...pki.defaultCrls(), pki.crls.leafAsCa.der] }) },
  { name: 'signer: CA-flagged signer certificate', group: 'trust', make: tar(modelAccessSpec({ signers: ['caSigner'] })), expect: 'signer.is-ca',
    mentions: 'Test Signer With CA Flag' },
  { name: 'signer: keyUsage keyEncipherment only', group: 'trust', make: tar(modelAccessSpec({ signers: ['keyEncSigner'] })),
    expect: 'signer.key-usage', mentions: 'Test Signer KeyEncipherment Only' },
  { name: 'anchor-scope: eval-package signed under the lab root (bound to result only)', group: 'trust',
    make: tar(evalSpec({ signers: ['labSigner'] })), expect: 'anchor-scope.type' },
  { name: 'anchor-scope: result signed under the clearinghouse root', group: 'trust',
    make: tar(resultSpec({ signers: ['signer'] })), expect: 'anchor-scope.type' },
  { name: 'revocation: revoked signer', group: 'trust', make: tar(modelAccessSpec({ signers: ['revoked'] })), expect: 'revocation.revoked',
    mentions: 'Test Signer Revoked' },
  { name: 'revocation: missing CRL for the intermediate', group: 'trust', make: tar(modelAccessSpec()), expect: 'revocation.missing-crl',
    opts: ({ pki }) => ({ crls: pki.crlsDer('root', 'labRoot') }) },
  { name: 'revocation: missing CRL for the root (covers the intermediate)', group: 'trust', make: tar(modelAccessSpec()),
    expect: 'revocation.missing-crl', opts: ({ pki }) => ({ crls: pki.crlsDer('int', 'labRoot') }) },
  { name: 'revocation: no CRLs at all (default fails closed)', group: 'trust', make: tar(modelAccessSpec()), expect: 'revocation.missing-crl',
    opts: () => ({ crls: [] }) },
  { name: 'revocation: stale CRL (nextUpdate 2026-07-01 < AT)', group: 'trust', make: tar(modelAccessSpec()), expect: 'revocation.stale-crl',
    opts: ({ pki }) => ({ crls: pki.crlsDer('root', 'intStale', 'labRoot') }) },
  { name: 'revocation: CRL not yet current (AT before thisUpdate)', group: 'trust', make: tar(minimalSpec({}, { notBefore: '2026-01-01T00:00:00Z' })),
    expect: 'revocation.stale-crl', opts: () => ({ at: new Date('2026-03-01T00:00:00Z') }) },
  { name: 'revocation: root CRL signed by the impostor key (same issuer name)', group: 'trust', make: tar(modelAccessSpec()),
    // A CRL that does not verify with the issuer key: bad-crl; a verifier that
    // first matches CRLs by key identifier finds none: missing-crl. Both fail closed.
    expect: 'revocation.bad-crl', alt: ['revocation.missing-crl'], opts: ({ pki }) => ({ crls: pki.crlsDer('fakeRootAsRoot', 'int', 'labRoot') }) },
  { name: 'co-signer: good signer + revoked co-signer', group: 'trust', make: tar(modelAccessSpec({ signers: ['signer', 'revoked'] })),
    expect: 'revocation.revoked', mentions: 'Test Signer Revoked' },
  { name: 'co-signer: good signer + untrusted co-signer', group: 'trust', make: tar(modelAccessSpec({ signers: ['signer', 'rogueSigner'] })),
    expect: 'chain.no-anchor', mentions: 'Rogue Signer' },
  { name: 'co-signer: good signer + P-256 co-signer', group: 'trust', make: tar(modelAccessSpec({ signers: ['signer', 'p256'] })),
    expect: 'algorithms.key' },
  { name: 'co-signer: untrusted first signer + good co-signer', group: 'trust', make: tar(modelAccessSpec({ signers: ['rogueSigner', 'signer'] })),
    expect: 'chain.no-anchor' },

  // ------------------------------------------------------------ metadata (§5)
  { name: 'metadata: missing bundle.json (directory form)', group: 'metadata', make: dir({ ...minimalSpec(), metadata: null }),
    expect: 'metadata.missing' },
  { name: 'metadata: duplicate top-level key', group: 'metadata',
    make: tar(rawMeta((c) => c.replace('"id":"ma-minimal-0001"', '"id":"ma-minimal-0001","id":"ma-other"'))), expect: 'metadata.duplicate-key',
    mentions: 'id' },
  { name: 'metadata: duplicate nested key', group: 'metadata',
    make: tar(rawMeta((c) => c.replace('"name":"frontier-x"', '"name":"frontier-x","name":"frontier-y"'))), expect: 'metadata.duplicate-key' },
  { name: 'metadata: duplicate key three levels deep', group: 'metadata',
    make: tar(rawMeta((c) => c.replace('"end":"2027-01-14T00:00:00Z"', '"end":"2027-01-14T00:00:00Z","end":"2099-01-01T00:00:00Z"'))),
    expect: 'metadata.duplicate-key' },
  { name: 'metadata: duplicate key spelled with a JSON escape', group: 'metadata',
    make: tar(rawMeta((c) => c.replace('"title":', '"ti\\u0074le":"x","title":'))), expect: 'metadata.duplicate-key' },
  { name: 'metadata: unknown format version', group: 'metadata', make: tar(minimalSpec({}, { format: 'airlock-bundle/2' })), expect: 'metadata.format' },
  { name: 'metadata: missing required field (title)', group: 'metadata', make: tar(minimalSpec({}, { title: undefined })), expect: 'metadata.schema',
    mentions: 'title' },
  { name: 'metadata: missing required field (notAfter)', group: 'metadata', make: tar(minimalSpec({}, { notAfter: undefined })),
    expect: 'metadata.schema', mentions: 'notAfter' },
  { name: 'metadata: bad id', group: 'metadata', make: tar(minimalSpec({}, { id: 'Bad ID!' })), expect: 'metadata.schema', mentions: 'id' },
  { name: 'metadata: unknown type', group: 'metadata', make: tar(minimalSpec({}, { type: 'weights' })), expect: 'metadata.schema' },
  { name: 'metadata: sequence as a string', group: 'metadata', make: tar(minimalSpec({}, { sequence: '3' })), expect: 'metadata.schema',
    mentions: 'sequence' },
  { name: 'metadata: not RFC 3339 time', group: 'metadata', make: tar(minimalSpec({}, { notBefore: 'yesterday' })), expect: 'metadata.schema',
    mentions: 'notBefore' },
  { name: 'metadata: not JSON', group: 'metadata', make: tar(bundleJson('{"format":"airlock-bundle/1",')), expect: 'metadata.syntax' },
  { name: 'metadata: UTF-8 BOM', group: 'metadata', make: tar(rawMeta((c) => `\ufeff${c}`)), expect: 'metadata.encoding' },
  { name: 'metadata: invalid UTF-8', group: 'metadata',
    make: tar({ ...minimalSpec(), metadata: { raw: Buffer.concat([Buffer.from('{"format":"airlock-bundle/1","title":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]) } }),
    expect: 'metadata.encoding' },
  { name: 'metadata: larger than 1 MiB', group: 'metadata', make: tar(minimalSpec({}, { title: 't'.repeat(1024 * 1024) })), expect: 'metadata.too-large' },
  { name: 'references: model card path not listed', group: 'metadata',
    make: tar(modelAccessSpec({}, { model: { ...(modelAccessMeta().model as object), card: 'payload/absent-card.md' } })),
    expect: 'references.unlisted', mentions: 'payload/absent-card.md' },
  { name: 'references: credential path not listed', group: 'metadata',
    make: tar(modelAccessSpec({ credential: undefined }, {})), expect: 'references.unlisted', mentions: 'payload/credential.p7m' },
  { name: 'references: eval task path not listed', group: 'metadata',
    make: tar(evalSpec({}, { package: { ...(evalMeta().package as object), tasks: ['tasks/ctf-crypto-basics/eval.yaml', 'tasks/absent/eval.yaml'] } })),
    expect: 'references.unlisted', mentions: 'tasks/absent/eval.yaml' },
  { name: 'references: path escaping the bundle (../)', group: 'metadata',
    make: tar(modelAccessSpec({}, { model: { ...(modelAccessMeta().model as object), card: '../outside.md' } })),
    expect: 'references.unlisted', alt: ['metadata.schema'] },
  { name: 'window: not yet valid', group: 'metadata', make: tar(minimalSpec({}, { notBefore: '2027-03-01T00:00:00Z' })),
    expect: 'window.not-yet-valid', mentions: '2027-03-01' },
  { name: 'window: expired', group: 'metadata', make: tar(minimalSpec({}, { notAfter: '2026-12-01T00:00:00Z' })), expect: 'window.expired',
    mentions: '2026-12-01' },
  { name: 'window: notAfter exactly at verification time (half-open)', group: 'metadata',
    make: tar(minimalSpec({}, { notAfter: '2027-01-01T00:00:00Z' })), expect: 'window.expired' },
  { name: 'audience: lab not listed', group: 'metadata', make: tar(minimalSpec({}, { audience: ['lab-other'] })), expect: 'audience.excluded',
    mentions: LAB_ID },
  { name: 'audience: present but importing lab has no id', group: 'metadata', make: tar(minimalSpec({}, { audience: ['lab-other'] })),
    expect: 'audience.excluded', opts: () => ({ labId: undefined }) },
  { name: 'rollback: lower sequence than accepted', group: 'metadata', make: tar(modelAccessSpec()), expect: 'rollback.lower-sequence',
    opts: () => ({ seriesState: (s) => (s === 'acme-frontier-x' ? { sequence: 4, sumsSha384: 'a'.repeat(96) } : undefined) }) },
  { name: 'rollback: equivocation (same series+sequence, different SHA384SUMS)', group: 'metadata', make: tar(modelAccessSpec()),
    expect: 'rollback.equivocation',
    opts: () => ({ seriesState: (s) => (s === 'acme-frontier-x' ? { sequence: 3, sumsSha384: 'b'.repeat(96) } : undefined) }) },

  // ------------------------------------------------------------ beyond the spec's list: parser differentials and edge cases
  { name: 'valid: signer identified by subjectKeyIdentifier (-keyid)', group: 'valid', make: tar(modelAccessSpec({ signArgs: ['-keyid'] })),
    expect: 'accepted', interop: true },
  { name: 'valid: P-521 signer', group: 'valid', make: tar(modelAccessSpec({ signers: ['p521'] })), expect: 'accepted', interop: true },
  { name: 'valid: RSA-3072 signer with RSA-PSS', group: 'valid',
    make: tar(modelAccessSpec({ signers: ['rsa3072'], signArgs: ['-keyopt', 'rsa_padding_mode:pss'] })), expect: 'accepted', interop: true },
  { name: 'valid: unrelated extra certificates in the CMS', group: 'valid',
    make: tar(modelAccessSpec({ certfile: ['rogueRoot', 'int', 'rogueInt', 'fakeRoot'] })), expect: 'accepted', interop: true },
  { name: 'valid: model-access with weights carried in the bundle', group: 'valid',
    make: tar(minimalSpec({ files: { 'payload/model.gguf': Buffer.from('GGUF demo weights') } },
      { model: { developer: 'Acme AI (test)', name: 'tiny', version: '1', accessWindow: { start: '2026-12-15T00:00:00Z', end: '2027-01-14T00:00:00Z' },
        access: { kind: 'weights', format: 'gguf', files: ['payload/model.gguf'] } } })),
    expect: 'accepted', interop: true },
  { name: 'references: weights file not listed', group: 'metadata',
    make: tar(minimalSpec({}, { model: { developer: 'Acme AI (test)', name: 'tiny', version: '1',
      accessWindow: { start: '2026-12-15T00:00:00Z', end: '2027-01-14T00:00:00Z' },
      access: { kind: 'weights', format: 'safetensors', files: ['payload/model.safetensors'] } } })),
    expect: 'references.unlisted', mentions: 'payload/model.safetensors' },
  { name: 'revocation: intermediate revoked by the root', group: 'trust',
    make: tar(modelAccessSpec({ signers: ['underRevokedInt'] })), expect: 'revocation.revoked', mentions: 'Test Revoked Intermediate',
    opts: ({ pki }) => ({ crls: [...pki.defaultCrls(), pki.crls.revokedInt.der] }) },
  { name: 'signature: eContentType not id-data (-econtent_type)', group: 'signature',
    make: tar(modelAccessSpec({ signArgs: ['-econtent_type', '1.2.840.113549.1.9.16.1.4'] })), expect: 'signature.content-type',
    alt: ['signature.malformed'] },
  // A pax `size` record overrides the header size (POSIX). Signed so that a
  // verifier that ignores it sees x.bin = 1024 bytes matching SHA384SUMS,
  // while GNU tar sees an empty x.bin followed by payload/evil.txt.
  { name: 'differential: pax size record smaller than the header size', group: 'container',
    make: craftFrom(minimalSpec({ files: { 'payload/readme.txt': 'minimal\n', 'payload/x.bin': SMUGGLER } }),
      (e) => e.map((x) => (x.name === 'payload/x.bin' ? { ...x, pax: { size: '0' } } : x))),
    expect: 'rejected' },
  { name: 'differential: pax size record larger than the header size', group: 'container',
    make: craftFrom(minimalSpec({ files: { 'payload/readme.txt': 'minimal\n', 'payload/x.bin': SMUGGLER } }),
      (e) => e.map((x) => (x.name === 'payload/readme.txt' ? { ...x, pax: { size: '1024' } } : x))),
    expect: 'rejected' },
  { name: 'differential: malformed pax record length', group: 'container',
    make: craftFrom(minimalSpec(), (e) => {
      const i = e.findIndex((x) => x.name === 'payload/readme.txt');
      const bad = { name: 'PaxHeaders/readme.txt', type: 'x', data: Buffer.from('99 path=payload/readme.txt\n') };
      return [...e.slice(0, i), bad, ...e.slice(i)];
    }),
    expect: 'rejected' },
  { name: 'differential: two pax headers in a row', group: 'container',
    make: craftFrom(minimalSpec(), (e) => {
      const i = e.findIndex((x) => x.name === 'payload/readme.txt');
      const px = (p: string): CraftEntry => ({ name: 'PaxHeaders/x', type: 'x', data: paxRecords({ path: p }) });
      // First-wins readers see readme.txt (= the name), last-wins readers see other.txt.
      return [...e.slice(0, i), px('payload/readme.txt'), px('payload/other.txt'), ...e.slice(i)];
    }),
    expect: 'rejected' },
  { name: 'differential: pax header with no member after it', group: 'container',
    make: craftFrom(minimalSpec(), (e) => [...e, { name: 'PaxHeaders/end', type: 'x', data: Buffer.from('27 path=payload/ghost.txt\n') }]),
    expect: 'rejected' },
  { name: 'container: SHA384SUMS as a directory member', group: 'container',
    make: craft((e) => [{ name: 'SHA384SUMS', type: '5' }, ...e.slice(1)]), expect: 'rejected' },
  { name: 'container: directory entry with the name of a file', group: 'container',
    make: plus({ name: 'payload/model-card.md/', type: '5' }), expect: 'container.duplicate', alt: ['container.member-type', 'container.path'] },
  { name: 'container: file used as a directory (payload/model-card.md/x)', group: 'container',
    make: plus(file('payload/model-card.md/x')), expect: 'rejected' },
  { name: 'path: reserved name as an empty directory (payload/aux/)', group: 'container', make: plus({ name: 'payload/aux/', type: '5' }),
    expect: 'container.path' },
  { name: 'path: .. as a directory entry', group: 'container', make: plus({ name: '../', type: '5' }), expect: 'container.path' },
  { name: 'path: directory case-collision (Payload/ vs payload/)', group: 'container', make: plus({ name: 'Payload/', type: '5' }),
    expect: 'container.duplicate' },
  { name: 'path: NUL inside the name field', group: 'container',
    make: craft((e) => [...e, { name: 'payload/a.txt', data: Buffer.from('x') }], {}, (b) => {
      // Put "\0evil" right after the name: a C-string reader stops at the NUL (fine), a length-based one sees "a.txt\0evil".
      const out = Buffer.from(b);
      const at = out.lastIndexOf(Buffer.from('payload/a.txt\0'));
      Buffer.from('\0evil').copy(out, at + 'payload/a.txt'.length);
      return setChecksumAt(out, at);
    }),
    // The member is unlisted anyway; whatever the reading, it must not be accepted.
    expect: 'rejected' },
  { name: 'path: .. hidden in the ustar prefix field', group: 'container', make: plus({ name: 'x.txt', prefix: 'payload/..', data: Buffer.from('x') }),
    expect: 'container.path' },
  { name: 'path: regular-file type with a trailing slash (old tars read it as a directory)', group: 'container',
    make: plus(file('payload/x/', 'data\n')), expect: 'rejected' },
  { name: 'dir: empty directory with a bad name', group: 'container', make: mutateDir((d) => mkdirSync(join(d, 'payload/a b'))),
    expect: 'container.path' },
  { name: 'sums: lists SHA384SUMS.p7s', group: 'sums',
    make: tar(minimalSpec({ sums: (s) => byteSortLines([...sumsLines(s), `${'0'.repeat(96)}  SHA384SUMS.p7s`]) })), expect: 'rejected' },
  { name: 'sums: lists a directory', group: 'sums',
    make: tar(minimalSpec({ sums: (s) => byteSortLines([...sumsLines(s), `${'0'.repeat(96)}  payload`]) })), expect: 'rejected' },
  { name: 'sums: two lines differing only in case', group: 'sums',
    make: tar(minimalSpec({ sums: (s) => byteSortLines([...sumsLines(s), sumsLines(s).find((l) => l.endsWith('payload/readme.txt'))!.replace('readme', 'README')]) })),
    expect: 'rejected' },
  { name: 'metadata: duplicate __proto__ key', group: 'metadata',
    make: tar(rawMeta((c) => c.replace('{"audience"', '{"__proto__":{},"__proto__":{"x":1},"audience"'))), expect: 'metadata.duplicate-key' },
  { name: 'metadata: 400 000 nested arrays (stack depth)', group: 'metadata',
    make: tar(bundleJson(`{"x":${'['.repeat(400_000)}${']'.repeat(400_000)}}`)), expect: 'rejected' },
  { name: 'metadata: JSON array at top level', group: 'metadata', make: tar(bundleJson('[]')), expect: 'metadata.schema', alt: ['metadata.format'] },
  { name: 'metadata: trailing data after the object', group: 'metadata', make: tar(rawMeta((c) => `${c} {}`)), expect: 'metadata.syntax' },
  { name: 'metadata: raw control character in a string', group: 'metadata',
    make: tar(rawMeta((c) => c.replace('"title":"', '"title":"\u0001'))), expect: 'metadata.syntax' },
  { name: 'metadata: fractional sequence', group: 'metadata', make: tar(minimalSpec({}, { sequence: 1.5 })), expect: 'metadata.schema',
    mentions: 'sequence' },
  { name: 'metadata: negative sequence', group: 'metadata', make: tar(minimalSpec({}, { sequence: -1 })), expect: 'metadata.schema' },
  { name: 'metadata: impossible date 2027-02-30', group: 'metadata', make: tar(minimalSpec({}, { notAfter: '2027-02-30T00:00:00Z' })),
    expect: 'metadata.schema', mentions: 'notAfter' },
  { name: 'metadata: hour 25 in notBefore', group: 'metadata', make: tar(minimalSpec({}, { notBefore: '2026-06-01T25:00:00Z' })),
    expect: 'metadata.schema', mentions: 'notBefore' },
  { name: 'metadata: month 13 in notAfter', group: 'metadata', make: tar(minimalSpec({}, { notAfter: '2027-13-01T00:00:00Z' })),
    expect: 'metadata.schema', mentions: 'notAfter' },
  { name: 'metadata: accessWindow end before start', group: 'metadata',
    make: tar(minimalSpec({}, { model: { developer: 'Acme AI (test)', name: 'x', version: '1',
      accessWindow: { start: '2027-01-14T00:00:00Z', end: '2026-12-15T00:00:00Z' },
      access: { kind: 'endpoint', api: 'openai-chat', baseUrl: 'http://127.0.0.1:8787/v1', model: 'x' } } })),
    // Spec §5 does not say it in words; an empty window cannot be meant. Reported, not asserted strictly: any rejection.
    expect: 'rejected' },
  { name: 'algorithms: SHA-1 digest', group: 'signature', make: tar(modelAccessSpec({ md: 'sha1' })), expect: 'algorithms.digest' },
  { name: 'signature: co-signed, one signature value altered', group: 'signature',
    make: tar(modelAccessSpec({ signers: ['signer', 'cosigner'], after: (d) => {
      const p = join(d, 'SHA384SUMS.p7s');
      const b = readFileSync(p);
      b[b.length - 1] = (b[b.length - 1] as number) ^ 0x01;
      writeFileSync(p, b);
    } })),
    expect: 'signature.invalid' },
  { name: 'anchor-scope: anchor bound to no type at all', group: 'trust', make: tar(modelAccessSpec()), expect: 'anchor-scope.type',
    opts: ({ pki }) => ({ anchors: [{ certificate: pki.certs.root.der, types: [] }] }) },
  // Two installed anchors with the same subject name: the impostor bound to
  // model-access, the real root bound to result only. The path validates to
  // the real root, so its binding (result) must decide: anchor-scope.type.
  { name: 'anchor-scope: same-name impostor anchor bound to the type, real anchor not (impostor listed first)', group: 'trust',
    make: tar(modelAccessSpec()), expect: 'anchor-scope.type',
    opts: ({ pki }) => ({ anchors: [{ certificate: pki.certs.fakeRoot.der, types: ['model-access'] }, { certificate: pki.certs.root.der, types: ['result'] }] }) },
  { name: 'anchor-scope: same-name impostor anchor bound to the type, real anchor not (real listed first)', group: 'trust',
    make: tar(modelAccessSpec()), expect: 'anchor-scope.type',
    opts: ({ pki }) => ({ anchors: [{ certificate: pki.certs.root.der, types: ['result'] }, { certificate: pki.certs.fakeRoot.der, types: ['model-access'] }] }) },
  { name: 'chain: expired intermediate', group: 'trust',
    make: tar(modelAccessSpec({ signers: ['underExpiredInt'] })), expect: 'chain.expired', mentions: 'Test Expired Intermediate',
    opts: ({ pki }) => ({ crls: [...pki.defaultCrls(), pki.crls.expiredInt.der] }) },
  { name: 'chain: intermediate without keyCertSign', group: 'trust',
    make: tar(modelAccessSpec({ signers: ['underNoCertSign'] })), expect: 'chain.not-ca', mentions: 'Test Intermediate Without keyCertSign',
    opts: ({ pki }) => ({ crls: [...pki.defaultCrls(), pki.crls.intNoCertSign.der] }) },
  // ---------------------------------------------------------- extended key usage, policies, path building, anchors (issue 7)
  { name: 'signer: extended key usage serverAuth only (critical)', group: 'trust', make: tar(modelAccessSpec({ signers: ['ekuServerAuth'] })),
    expect: 'signer.extended-key-usage', mentions: 'serverAuth' },
  { name: 'valid: signer with extended key usage codeSigning', group: 'valid', make: tar(modelAccessSpec({ signers: ['ekuCodeSigning'] })),
    expect: 'accepted', interop: true },
  { name: 'valid: signer with extended key usage emailProtection (and clientAuth)', group: 'valid', make: tar(modelAccessSpec({ signers: ['ekuEmail'] })),
    expect: 'accepted', interop: true },
  { name: 'signer: code-signing signer under a CA restricted to serverAuth (EKU chaining)', group: 'trust',
    make: tar(modelAccessSpec({ signers: ['underEkuTlsInt'] })), expect: 'signer.extended-key-usage', mentions: 'Test TLS-Only Intermediate',
    opts: ({ pki }) => ({ crls: [...pki.defaultCrls(), pki.crls.ekuTlsInt.der] }) },
  { name: 'valid: certificate policies with a mapping (p1 to p2) under requireExplicitPolicy', group: 'valid',
    make: tar(modelAccessSpec({ signers: ['polSigner'] })), expect: 'accepted', interop: true,
    opts: ({ pki }) => ({ crls: [...pki.defaultCrls(), pki.crls.polInt.der] }) },
  { name: 'chain: requireExplicitPolicy, and the signer asserts only a policy nobody accepted', group: 'trust',
    make: tar(modelAccessSpec({ signers: ['polBadSigner'] })), expect: 'chain.policy', mentions: 'requireExplicitPolicy',
    opts: ({ pki }) => ({ crls: [...pki.defaultCrls(), pki.crls.polStrictInt.der] }) },
  { name: 'chain: critical nameConstraints on an intermediate (not implemented, so never ignored)', group: 'trust',
    make: tar(modelAccessSpec({ signers: ['underNcInt'] })), expect: 'chain.critical-extension', mentions: 'nameConstraints',
    opts: ({ pki }) => ({ crls: [...pki.defaultCrls(), pki.crls.ncInt.der] }) },
  // Two CA names whose keys certify each other 7 times each (15 certificates, every signature valid, neither
  // installed): exponential for a naive path builder; loop detection ends it at once.
  { name: 'chain: two CA names cross-certifying each other 7 times (a loop), nothing trusted', group: 'trust',
    make: tar(minimalSpec({ signers: ['loopSigner'], certfile: loopCerts() })), expect: 'chain.no-anchor', mentions: 'only certify each other in a cycle' },
  // Six CA names, each certified by every other (30 cross-certificates): too many loop-free paths to search.
  { name: 'chain: six CA names all cross-certified (path search too large)', group: 'trust',
    make: tar(minimalSpec({ signers: ['meshSigner'], certfile: meshCerts() })), expect: 'chain.search-limit', mentions: 'candidate paths' },
  { name: 'anchor: a signer (end-entity) certificate offered as a trust anchor', group: 'trust', make: tar(minimalSpec()),
    expect: { error: 'trust.not-ca' }, mentions: 'CN=Test Signer, O=Airlock Test PKI',
    opts: ({ pki }) => ({ anchors: [{ certificate: pki.certs.signer.der, types: 'any' }] }) },
  { name: 'anchor: an intermediate offered as a trust anchor', group: 'trust', make: tar(minimalSpec()),
    expect: { error: 'trust.not-self-signed' }, mentions: 'Test Clearinghouse Intermediate',
    opts: ({ pki }) => ({ anchors: [{ certificate: pki.certs.int.der, types: 'any' }] }) },
  // Spec §4 says the signer "has keyUsage digitalSignature (or nonRepudiation)":
  // read literally, a certificate without the extension does not have it
  // (RFC 5280 alone would allow any usage). Resolved: fail.
  { name: 'signer: no keyUsage extension at all', group: 'trust', make: tar(modelAccessSpec({ signers: ['noKu'] })), expect: 'signer.key-usage' },
];

/** Build the shared bases once. */
export async function buildBases(pki: TestPki, root: string): Promise<CaseCtx['base']> {
  const [ma, alt] = await Promise.all([
    buildBundleDir(pki, modelAccessSpec(), join(root, 'base-ma')),
    buildBundleDir(pki, { ...modelAccessSpec(), files: { 'payload/model-card.md': '# another bundle\n' } }, join(root, 'base-alt')),
  ]);
  return { ma, alt };
}
