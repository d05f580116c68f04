/** SHA384SUMS parsing (spec §2): exactly sha384sum's output, strictly. */
import { pathProblem } from './paths';

export interface SumLine {
  path: string;
  sha384: string;
}

export class SumsError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

const LINE = /^([0-9a-f]{96}) {2}(.+)$/;

export function parseSums(buf: Uint8Array): SumLine[] {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length === 0) throw new SumsError('SHA384SUMS is empty.');
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) throw new SumsError('SHA384SUMS starts with a byte-order mark.');
  if (b.includes(0x0d)) throw new SumsError('SHA384SUMS contains a carriage return (CRLF line endings are not allowed).');
  if (b[b.length - 1] !== 0x0a) throw new SumsError('SHA384SUMS does not end with a newline.');
  const text = b.toString('latin1');
  const lines = text.slice(0, -1).split('\n');
  const out: SumLine[] = [];
  let prev: Buffer | undefined;
  lines.forEach((l, i) => {
    const n = i + 1;
    const m = LINE.exec(l);
    if (!m) {
      if (/^[0-9a-fA-F]{96} \*/.test(l)) throw new SumsError(`Line ${n} uses the '*' binary marker; use sha384sum's text form ("<hash>  <path>").`, n);
      if (/^[0-9a-fA-F]{96} {2}/.test(l)) throw new SumsError(`Line ${n} has uppercase hex digits.`, n);
      throw new SumsError(`Line ${n} is not "<96 lowercase hex digits><two spaces><path>".`, n);
    }
    const p = m[2]!;
    if (/[^\x21-\x7e]/.test(p) || p.includes('\\')) throw new SumsError(`Line ${n}: path contains characters a bundle path may not have.`, n);
    const problem = pathProblem(p);
    if (problem) throw new SumsError(`Line ${n}: path "${p}" is not allowed: ${problem}.`, n);
    const pb = Buffer.from(p, 'latin1');
    if (prev) {
      const c = Buffer.compare(prev, pb);
      if (c === 0) throw new SumsError(`Line ${n}: "${p}" is listed twice.`, n);
      if (c > 0) throw new SumsError(`Line ${n}: "${p}" is out of order; sort by path in C locale (LC_ALL=C sort -k2).`, n);
    }
    prev = pb;
    out.push({ path: p, sha384: m[1]! });
  });
  return out;
}
