/**
 * Property-based fuzzing of the verifier with fast-check: valid bundles (GNU
 * tar pax, hand-crafted ustar, directory form) get random mutations; the
 * verifier must never accept a changed bundle, must answer with a rejected
 * report (or an AirlockError), and must finish.
 *
 * A mutation can be a real no-op for tar semantics (a flipped byte in the
 * zero padding of a member's last block, an mtime changed with the checksum
 * recomputed, a digit of a pax atime record). An accepted mutant is allowed
 * only if it is byte-identical, or if stock GNU tar extracts exactly the same
 * tree from it with exit 0 and no warning: the independent oracle.
 *
 * Fixed seed (override with FC_SEED=...); fast-check prints seed and path on failure.
 */
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAirlockError } from '../../../src/shared/errors';
import type { VerificationReport } from '../../../src/shared/verification';
import { buildBundleDir, listFiles, tarBundle } from '../../helpers/corpus/build';
import { defaultOptions } from '../../helpers/corpus/cases';
import { run } from '../../helpers/corpus/exec';
import { modelAccessSpec } from '../../helpers/corpus/fixtures';
import { disposePki, getPki, type TestPki } from '../../helpers/corpus/pki';
import { BLOCK, craftTar, entriesFromDir, parseTar, setChecksum } from '../../helpers/corpus/tar-craft';
import { explain, loadVerifier, type VerifyBundle } from '../../helpers/corpus/verifier';

const SEED = Number(process.env.FC_SEED ?? 20270101);
const TAR_RUNS = Number(process.env.FC_TAR_RUNS ?? 300);
const DIR_RUNS = Number(process.env.FC_DIR_RUNS ?? 100);
const VERIFY_TIMEOUT_MS = 15_000;

let pki: TestPki;
let root: string;
let verifyBundle: VerifyBundle | undefined;
let validDir: string;
const tars: { name: string; bytes: Uint8Array; tree: Map<string, string> }[] = [];
let counter = 0;

/** name -> type:content-hash of what GNU tar extracts (its view of the archive). */
async function gnuTree(tarPath: string): Promise<{ ok: boolean; tree: Map<string, string> }> {
  const out = join(root, `x-${counter++}`);
  mkdirSync(out);
  const r = await run('tar', ['-xf', tarPath, '-C', out, '--no-same-owner', '--warning=all'], { allowFail: true });
  const tree = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const n of readdirSync(join(out, rel))) {
      const p = rel ? `${rel}/${n}` : n;
      const st = statSync(join(out, p), { throwIfNoEntry: false });
      // lstat-ish: symlinks are never in a valid tree, so any stat failure is a difference.
      if (!st) tree.set(p, 'dangling');
      // Directories are not signed (SHA384SUMS lists files only), so an added
      // or renamed empty directory is not a change the verifier can see.
      else if (st.isDirectory()) walk(p);
      else if (st.isFile()) tree.set(p, `file:${readFileSync(join(out, p)).toString('base64')}`);
      else tree.set(p, 'other');
    }
  };
  try {
    walk('');
  } catch {
    return { ok: false, tree };
  }
  rmSync(out, { recursive: true, force: true });
  // POSIX pax: unknown keywords are ignored (GNU tar warns): not a change.
  const warnings = r.stderr.split('\n').filter((l) => l.trim() && !/Ignoring unknown extended header keyword/.test(l));
  return { ok: r.code === 0 && warnings.length === 0, tree };
}

/** path -> kind:content of a directory, links and all (lstat). */
function dirSnapshot(d: string, rel = '', out = new Map<string, string>()): Map<string, string> {
  for (const n of readdirSync(join(d, rel))) {
    const p = rel ? `${rel}/${n}` : n;
    const st = lstatSync(join(d, p));
    if (st.isSymbolicLink()) out.set(p, 'link');
    else if (st.isDirectory()) {
      out.set(p, 'dir');
      dirSnapshot(d, p, out);
    } else out.set(p, `file:${readFileSync(join(d, p)).toString('base64')}`);
  }
  return out;
}

function sameTree(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

async function verifyBounded(src: string): Promise<VerificationReport | 'airlock-error'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, rej) => {
    timer = setTimeout(() => rej(new Error(`verifyBundle did not finish within ${VERIFY_TIMEOUT_MS} ms`)), VERIFY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([verifyBundle!(src, { ...defaultOptions(pki), concurrency: 1 }), timeout]);
  } catch (e) {
    if (isAirlockError(e)) return 'airlock-error';
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'airlock-fuzz-'));
  pki = await getPki();
  validDir = await buildBundleDir(pki, modelAccessSpec(), join(root, 'valid'));
  const pax = await tarBundle(validDir, join(root, 'valid-pax.tar'), { reproducible: false });
  const ustar = join(root, 'valid-crafted.tar');
  writeFileSync(ustar, craftTar(entriesFromDir(validDir)));
  for (const [name, p] of [['gnu-pax', pax], ['crafted-ustar', ustar]] as const) {
    tars.push({ name, bytes: new Uint8Array(readFileSync(p)), tree: (await gnuTree(p)).tree });
  }
  ({ verifyBundle } = await loadVerifier());
}, 120_000);

afterAll(async () => {
  if (root) rmSync(root, { recursive: true, force: true });
  await disposePki();
});

// ------------------------------------------------------------------ tar mutations

type TarMutation =
  | { k: 'flip'; pos: number; mask: number }
  | { k: 'truncate'; at: number }
  | { k: 'insert'; pos: number; bytes: Uint8Array }
  | { k: 'delete'; pos: number; n: number }
  | { k: 'swap'; i: number; j: number }
  | { k: 'field'; member: number; field: number; value: string; fixChecksum: boolean }
  | { k: 'sums'; op: number; line: number; pos: number }
  | { k: 'dup'; member: number; at: number }
  | { k: 'append'; bytes: Uint8Array };

// The fields that mean something for a bundle. mode/mtime/uid/gid carry no
// meaning (spec §1 sets no rule for them): a verifier may ignore even a
// malformed value there when the checksum is right, where GNU tar fails, so
// they are left to the byte flips (which break the checksum).
const FIELDS: [number, number][] = [
  [0, 100], // name
  [124, 12], // size
  [156, 1], // typeflag
  [157, 100], // linkname
  [257, 6], // magic
  [345, 155], // prefix
];

const tarMutation: fc.Arbitrary<TarMutation> = fc.oneof(
  fc.record({ k: fc.constant('flip' as const), pos: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ k: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ k: fc.constant('insert' as const), pos: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ k: fc.constant('delete' as const), pos: fc.nat(), n: fc.integer({ min: 1, max: 1024 }) }),
  fc.record({ k: fc.constant('swap' as const), i: fc.nat(), j: fc.nat() }),
  fc.record({
    k: fc.constant('field' as const),
    member: fc.nat(),
    field: fc.nat({ max: FIELDS.length - 1 }),
    value: fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('0', '1', '2', '3', '5', '6', 'x', 'g', 'S', 'L', '7', '\0', '../x', '/etc/passwd', 'SHA384SUMS', '77777777777', 'ustar '),
    ),
    fixChecksum: fc.boolean(),
  }),
  fc.record({ k: fc.constant('sums' as const), op: fc.nat({ max: 5 }), line: fc.nat(), pos: fc.nat() }),
  fc.record({ k: fc.constant('dup' as const), member: fc.nat(), at: fc.nat() }),
  fc.record({ k: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 2048 }) }),
);

function mutateSums(text: string, op: number, line: number, pos: number): string {
  const lines = text.split('\n').filter(Boolean);
  const i = line % lines.length;
  const l = lines[i] as string;
  switch (op) {
    case 0: // change one hex digit
      lines[i] = l.slice(0, pos % 96) + (l[pos % 96] === '0' ? '1' : '0') + l.slice((pos % 96) + 1);
      break;
    case 1: // drop a line
      lines.splice(i, 1);
      break;
    case 2: // swap adjacent lines
      if (lines.length > 1) [lines[i], lines[(i + 1) % lines.length]] = [lines[(i + 1) % lines.length] as string, l];
      else lines.push(l);
      break;
    case 3: // rename the path
      lines[i] = `${l}x`;
      break;
    case 4: // add a line for a file that does not exist
      lines.push(`${'a'.repeat(96)}  payload/zzz-${pos % 1000}.txt`);
      break;
    default: // duplicate
      lines.splice(i, 0, l);
  }
  return lines.join('\n') + '\n';
}

function craftable(b: Uint8Array): boolean {
  try {
    const e = parseTar(b);
    craftTar(e.map((x) => ({ name: x.name, type: x.type, data: x.data })));
    return e.some((x) => x.name === 'SHA384SUMS');
  } catch {
    return false;
  }
}

function applyTar(base: Uint8Array, m: TarMutation): Uint8Array {
  const b = Buffer.from(base);
  const len = b.length;
  switch (m.k) {
    case 'flip':
      b[m.pos % len] = (b[m.pos % len] as number) ^ m.mask;
      return b;
    case 'truncate':
      return b.subarray(0, m.at % len);
    case 'insert': {
      const p = m.pos % (len + 1);
      return Buffer.concat([b.subarray(0, p), m.bytes, b.subarray(p)]);
    }
    case 'delete': {
      const p = m.pos % len;
      return Buffer.concat([b.subarray(0, p), b.subarray(Math.min(len, p + m.n))]);
    }
    case 'swap': {
      const n = Math.floor(len / BLOCK);
      const i = m.i % n;
      const j = m.j % n;
      const bi = Buffer.from(b.subarray(i * BLOCK, (i + 1) * BLOCK));
      b.copy(b, i * BLOCK, j * BLOCK, (j + 1) * BLOCK);
      bi.copy(b, j * BLOCK);
      return b;
    }
    case 'field': {
      const members = parseTar(b);
      if (members.length === 0) return b;
      const mem = members[m.member % members.length]!;
      const [off, flen] = FIELDS[m.field]!;
      const h = b.subarray(mem.headerOffset, mem.headerOffset + BLOCK);
      h.fill(0, off, off + flen);
      Buffer.from(m.value, 'utf8').copy(h, off, 0, flen);
      if (m.fixChecksum) setChecksum(h);
      return b;
    }
    case 'sums': {
      // Re-crafting needs a parseable archive; after an earlier random
      // mutation it may not be one, and then this step changes nothing.
      if (!craftable(b)) return b;
      const e = parseTar(b).map((x) => ({ name: x.name, type: x.type, data: Buffer.from(x.data) }));
      const s = e.find((x) => x.name === 'SHA384SUMS')!;
      s.data = Buffer.from(mutateSums(s.data.toString('utf8'), m.op, m.line, m.pos));
      return craftTar(e);
    }
    case 'dup': {
      if (!craftable(b)) return b;
      const e = parseTar(b).map((x) => ({ name: x.name, type: x.type, data: Buffer.from(x.data) }));
      const d = e[m.member % e.length]!;
      e.splice(m.at % (e.length + 1), 0, d);
      return craftTar(e);
    }
    case 'append':
      return Buffer.concat([b, m.bytes]);
  }
}

// ------------------------------------------------------------------ directory mutations

type DirMutation =
  | { k: 'flip'; file: number; pos: number; mask: number }
  | { k: 'truncate'; file: number; at: number }
  | { k: 'add'; name: string; bytes: Uint8Array }
  | { k: 'delete'; file: number }
  | { k: 'rename'; file: number; suffix: string }
  | { k: 'symlink'; file: number }
  | { k: 'sums'; op: number; line: number; pos: number };

const dirMutation: fc.Arbitrary<DirMutation> = fc.oneof(
  fc.record({ k: fc.constant('flip' as const), file: fc.nat(), pos: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ k: fc.constant('truncate' as const), file: fc.nat(), at: fc.nat() }),
  fc.record({ k: fc.constant('add' as const), name: fc.constantFrom('payload/new.txt', 'extra', 'payload/x/y.bin', 'Bundle.json'), bytes: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({ k: fc.constant('delete' as const), file: fc.nat() }),
  fc.record({ k: fc.constant('rename' as const), file: fc.nat(), suffix: fc.constantFrom('.bak', '2', '_') }),
  fc.record({ k: fc.constant('symlink' as const), file: fc.nat() }),
  fc.record({ k: fc.constant('sums' as const), op: fc.nat({ max: 5 }), line: fc.nat(), pos: fc.nat() }),
);

/** Apply to a copy; returns false when the mutation changed nothing. */
function applyDir(d: string, m: DirMutation): boolean {
  const files = ['SHA384SUMS', 'SHA384SUMS.p7s', ...listFiles(d).sort()].filter((f) => existsSync(join(d, f)));
  if (files.length === 0) return false;
  const pick = (i: number): string => files[i % files.length]!;
  switch (m.k) {
    case 'flip': {
      const p = join(d, pick(m.file));
      const b = readFileSync(p);
      if (b.length === 0) return false;
      b[m.pos % b.length] = (b[m.pos % b.length] as number) ^ m.mask;
      writeFileSync(p, b);
      return true;
    }
    case 'truncate': {
      const p = join(d, pick(m.file));
      const b = readFileSync(p);
      const at = m.at % (b.length + 1);
      if (at === b.length) return false;
      writeFileSync(p, b.subarray(0, at));
      return true;
    }
    case 'add':
      mkdirSync(join(d, m.name, '..'), { recursive: true });
      writeFileSync(join(d, m.name), m.bytes);
      return true;
    case 'delete':
      rmSync(join(d, pick(m.file)));
      return true;
    case 'rename': {
      const f = pick(m.file);
      cpSync(join(d, f), join(d, f + m.suffix));
      rmSync(join(d, f));
      return true;
    }
    case 'symlink': {
      const f = pick(m.file);
      const outside = join(d, '..', `outside-${counter++}`);
      cpSync(join(d, f), outside);
      rmSync(join(d, f));
      symlinkSync(outside, join(d, f));
      return true;
    }
    case 'sums': {
      const p = join(d, 'SHA384SUMS');
      if (!existsSync(p)) return false;
      const before = readFileSync(p, 'utf8');
      const after = mutateSums(before, m.op, m.line, m.pos);
      writeFileSync(p, after);
      return after !== before;
    }
  }
}

describe('fuzz: mutated valid bundles are never accepted', () => {
  it('the unmutated bases are accepted (control)', async (t) => {
    if (!verifyBundle) t.skip();
    for (const tb of tars) {
      const p = join(root, `control-${tb.name}.tar`);
      writeFileSync(p, tb.bytes);
      const r = await verifyBounded(p);
      expect(r !== 'airlock-error' && r.verdict, tb.name + (r !== 'airlock-error' ? explain(r) : '')).toBe('accepted');
    }
    const r = await verifyBounded(validDir);
    expect(r !== 'airlock-error' && r.verdict).toBe('accepted');
  });

  it(`tar form: ${TAR_RUNS} random mutations (seed ${SEED})`, async (t) => {
    if (!verifyBundle) t.skip();
    const started = Date.now();
    let noops = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: tars.length - 1 }), fc.array(tarMutation, { minLength: 1, maxLength: 3 }), async (which, muts) => {
        const base = tars[which]!;
        const bytes = muts.reduce((b, m) => applyTar(b, m), base.bytes);
        const p = join(root, `m-${counter++}.tar`);
        writeFileSync(p, bytes);
        try {
          const r = await verifyBounded(p);
          if (r === 'airlock-error' || r.verdict === 'rejected') {
            if (r !== 'airlock-error') expect(r.checks.some((c) => c.status === 'fail' && c.reason.length > 0)).toBe(true);
            return;
          }
          if (Buffer.compare(Buffer.from(bytes), Buffer.from(base.bytes)) === 0) {
            noops++;
            return;
          }
          // Accepted and changed: allowed only when GNU tar sees exactly the same bundle, cleanly.
          const g = await gnuTree(p);
          expect(g.ok && sameTree(g.tree, base.tree), `accepted a mutated ${base.name}: ${JSON.stringify(muts, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))}\n${explain(r)}`).toBe(true);
          noops++;
        } finally {
          rmSync(p, { force: true });
        }
      }),
      { numRuns: TAR_RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(`tar fuzz: ${TAR_RUNS} runs, ${noops} semantic no-ops accepted, ${Date.now() - started} ms`);
  }, 120_000);

  it(`directory form: ${DIR_RUNS} random mutations (seed ${SEED})`, async (t) => {
    if (!verifyBundle) t.skip();
    await fc.assert(
      fc.asyncProperty(fc.array(dirMutation, { minLength: 1, maxLength: 2 }), async (muts) => {
        const d = join(root, `d-${counter++}`, 'b');
        cpSync(validDir, d, { recursive: true });
        try {
          muts.forEach((m) => applyDir(d, m));
          const changed = !sameTree(dirSnapshot(d), dirSnapshot(validDir));
          const r = await verifyBounded(d);
          if (!changed) return;
          if (r !== 'airlock-error') expect(r.verdict, `accepted a mutated directory: ${JSON.stringify(muts)}\n${explain(r)}`).toBe('rejected');
        } finally {
          rmSync(join(d, '..'), { recursive: true, force: true });
        }
      }),
      { numRuns: DIR_RUNS, seed: SEED, endOnFailure: true },
    );
  }, 120_000);
});
