/**
 * Hand-written tar for the hostile containers GNU tar will not make: raw
 * 512-byte ustar headers (POSIX.1-1988/2001 layout), pax extended records,
 * checksums computed or deliberately wrong, odd type flags, truncation and
 * trailing data. Independent of any tar library the app uses.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const BLOCK = 512;

export interface CraftEntry {
  name: string;
  data?: Uint8Array;
  /** Type flag: '0' file, '1' hard link, '2' symlink, '3' char dev, '4' block dev, '5' dir, '6' FIFO, 'S' GNU sparse, 'x'/'g' pax. */
  type?: string;
  linkname?: string;
  mode?: number;
  /** ustar prefix field (the name is prefix + '/' + name). */
  prefix?: string;
  /** A per-entry pax 'x' header written before this entry. */
  pax?: Record<string, string>;
  /** Written into the checksum field instead of the right value. */
  checksum?: number;
  /** Size written in the header instead of data.length. */
  size?: number;
  /** Use the old GNU magic "ustar  \0" instead of POSIX "ustar\0" "00". */
  gnuMagic?: boolean;
}

export interface CraftOptions {
  /** Number of zero blocks at the end (default 2). */
  eofBlocks?: number;
  /** Bytes appended after the end-of-archive blocks. */
  trailing?: Uint8Array;
  /** Pad the archive with zeros to a multiple of this (GNU tar uses 10240). Default: no padding. */
  recordSize?: number;
}

const enc = new TextEncoder();

function putStr(h: Uint8Array, off: number, len: number, s: string): void {
  const b = enc.encode(s);
  if (b.length > len) throw new Error(`tar-craft: "${s}" longer than ${len} bytes`);
  h.set(b, off);
}

function putOct(h: Uint8Array, off: number, len: number, n: number): void {
  // len-1 octal digits then NUL, as POSIX ustar writes numbers.
  putStr(h, off, len, n.toString(8).padStart(len - 1, '0') + '\0');
}

export function headerChecksum(h: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] as number);
  return sum;
}

export function ustarHeader(e: CraftEntry & { size: number }): Uint8Array {
  const h = new Uint8Array(BLOCK);
  putStr(h, 0, 100, e.name);
  putOct(h, 100, 8, e.mode ?? (e.type === '5' ? 0o755 : 0o644));
  putOct(h, 108, 8, 0);
  putOct(h, 116, 8, 0);
  putOct(h, 124, 12, e.size);
  putOct(h, 136, 12, 1767225600); // 2026-01-01T00:00:00Z
  putStr(h, 156, 1, e.type ?? '0');
  putStr(h, 157, 100, e.linkname ?? '');
  if (e.gnuMagic) putStr(h, 257, 8, 'ustar  \0');
  else {
    putStr(h, 257, 6, 'ustar\0');
    putStr(h, 263, 2, '00');
  }
  putStr(h, 265, 32, 'root');
  putStr(h, 297, 32, 'root');
  putOct(h, 329, 8, 0);
  putOct(h, 337, 8, 0);
  putStr(h, 345, 155, e.prefix ?? '');
  setChecksum(h, e.checksum);
  return h;
}

/** Write a checksum into a header (the right one unless `value` is given). */
export function setChecksum(h: Uint8Array, value?: number): void {
  const sum = value ?? headerChecksum(h);
  // Six octal digits, NUL, space: the traditional layout.
  putStr(h, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
}

export function paxRecords(rec: Record<string, string>): Uint8Array {
  let out = '';
  for (const [k, v] of Object.entries(rec)) {
    const body = ` ${k}=${v}\n`;
    let len = Buffer.byteLength(body) + 1;
    while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
    out += `${len}${body}`;
  }
  return enc.encode(out);
}

function padded(data: Uint8Array): Uint8Array {
  const n = Math.ceil(data.length / BLOCK) * BLOCK;
  const out = new Uint8Array(n);
  out.set(data);
  return out;
}

/** Serialise entries into a tar. */
export function craftTar(entries: CraftEntry[], opts: CraftOptions = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    if (e.pax) {
      const body = paxRecords(e.pax);
      parts.push(ustarHeader({ name: `PaxHeaders/${e.name.slice(-80)}`, type: 'x', size: body.length }), padded(body));
    }
    const data = e.data ?? new Uint8Array(0);
    parts.push(ustarHeader({ ...e, size: e.size ?? data.length }), padded(data));
  }
  for (let i = 0; i < (opts.eofBlocks ?? 2); i++) parts.push(new Uint8Array(BLOCK));
  let total = parts.reduce((n, p) => n + p.length, 0);
  if (opts.recordSize) {
    const r = Math.ceil(total / opts.recordSize) * opts.recordSize;
    if (r > total) parts.push(new Uint8Array(r - total));
    total = r;
  }
  if (opts.trailing) parts.push(opts.trailing);
  return Buffer.concat(parts);
}

/** A global pax header entry ('g'). */
export function globalPax(rec: Record<string, string>): CraftEntry {
  return { name: 'pax_global_header', type: 'g', data: paxRecords(rec) };
}

/**
 * The files of an unpacked bundle directory as entries, in the required
 * order: SHA384SUMS, SHA384SUMS.p7s, bundle.json, then the rest sorted,
 * each directory before its contents.
 */
export function entriesFromDir(dir: string, opts: { directories?: boolean } = {}): CraftEntry[] {
  const first = ['SHA384SUMS', 'SHA384SUMS.p7s', 'bundle.json'];
  const out: CraftEntry[] = [];
  for (const f of first) {
    try {
      out.push({ name: f, data: readFileSync(join(dir, f)) });
    } catch {
      /* absent in some cases */
    }
  }
  const walk = (rel: string): void => {
    for (const n of readdirSync(join(dir, rel)).sort()) {
      const p = rel ? `${rel}/${n}` : n;
      if (!rel && first.includes(n)) continue;
      const st = statSync(join(dir, p));
      if (st.isDirectory()) {
        if (opts.directories !== false) out.push({ name: `${p}/`, type: '5' });
        walk(p);
      } else out.push({ name: p, data: readFileSync(join(dir, p)) });
    }
  };
  walk('');
  return out;
}

export interface ParsedMember {
  name: string;
  type: string;
  data: Uint8Array;
  /** Offset of the member's own header in the archive. */
  headerOffset: number;
}

/** A small, lenient reader (for building mutations; not a validator). */
export function parseTar(buf: Uint8Array): ParsedMember[] {
  const out: ParsedMember[] = [];
  const dec = new TextDecoder();
  const str = (o: number, l: number): string => {
    const s = buf.subarray(o, o + l);
    const z = s.indexOf(0);
    return dec.decode(z < 0 ? s : s.subarray(0, z));
  };
  let off = 0;
  let paxPath: string | undefined;
  while (off + BLOCK <= buf.length) {
    const h = buf.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    const size = parseInt(str(off + 124, 12).trim() || '0', 8);
    const type = str(off + 156, 1) || '0';
    const prefix = str(off + 345, 155);
    let name = str(off, 100);
    if (prefix) name = `${prefix}/${name}`;
    const data = buf.subarray(off + BLOCK, off + BLOCK + size);
    if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(dec.decode(data));
      paxPath = m?.[1];
    } else if (type !== 'g') {
      out.push({ name: paxPath ?? name, type, data, headerOffset: off });
      paxPath = undefined;
    }
    off += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}
