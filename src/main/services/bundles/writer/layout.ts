/**
 * What a bundle will hold, checked before anything is written: paths by the
 * reader's own rules (spec §1, paths.ts), no two equal case-insensitively,
 * no file where another path needs a directory, the three root files left
 * to the writer; and the SHA384SUMS text (spec §2) in sha384sum's format.
 */
import { AirlockError } from '../../../../shared/errors';
import { META, SIG, SUMS } from '../container';
import { foldKey, pathProblem } from '../paths';

/** A file to put in a bundle: bytes in memory, or a file to stream from. */
export type BundleSource = { path: string; data: Uint8Array } | { path: string; file: string };

const ROOT_FILES = new Map([SUMS, SIG, META].map((p) => [foldKey(p), p]));

/** Bytewise (C locale) order, as `LC_ALL=C sort` and spec §2 sort paths. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Throws AirlockError('writer.path' | 'writer.duplicate') for the first path a verifier would refuse. */
export function checkPaths(paths: string[]): void {
  const seen = new Map<string, string>();
  for (const p of paths) {
    if (typeof p !== 'string') throw new AirlockError('writer.path', 'A bundle file has no path.');
    const problem = pathProblem(p);
    if (problem) throw new AirlockError('writer.path', `Bundle path "${p.slice(0, 300)}" is not allowed: ${problem} (spec §1).`, { path: p.slice(0, 300) });
    const k = foldKey(p);
    const root = ROOT_FILES.get(k);
    if (root) throw new AirlockError('writer.path', `"${p}" is written by the bundle writer itself (${root}); leave it out of the files.`, { path: p });
    const prev = seen.get(k);
    if (prev !== undefined)
      throw new AirlockError('writer.duplicate', prev === p ? `"${p}" is given twice.` : `"${p}" and "${prev}" are the same path compared case-insensitively; a bundle may hold only one of them.`, { path: p });
    seen.set(k, p);
  }
  for (const p of paths) {
    const segs = foldKey(p).split('/');
    for (let i = 1; i < segs.length; i++) {
      const parent = seen.get(segs.slice(0, i).join('/'));
      if (parent !== undefined) throw new AirlockError('writer.duplicate', `"${p}" lies under "${parent}", which is a file.`, { path: p });
    }
  }
}

/** One SHA384SUMS line, exactly as `sha384sum` prints it for a plain path. */
export function sumsLine(path: string, sha384Hex: string): string {
  return `${sha384Hex}  ${path}\n`;
}

/** Bytes SHA384SUMS will take for these paths (it depends on the paths only). */
export function sumsLength(paths: string[]): number {
  return paths.reduce((n, p) => n + 96 + 2 + Buffer.byteLength(p) + 1, 0);
}

/** SHA384SUMS for these entries: one line each, sorted bytewise by path, LF endings. */
export function formatSums(entries: { path: string; sha384: string }[]): Buffer {
  return Buffer.from(
    [...entries]
      .sort((a, b) => byteOrder(a.path, b.path))
      .map((e) => sumsLine(e.path, e.sha384))
      .join(''),
    'utf8',
  );
}
