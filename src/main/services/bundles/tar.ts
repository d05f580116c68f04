/**
 * Strict ustar/pax header reader.
 *
 * Why our own and not tar-stream: the spec requires rejecting things
 * tar-stream normalises or tolerates (pax path/size vs header mismatch,
 * global pax headers, GNU long-name/sparse members, non-zero bytes after the
 * end-of-archive blocks, a lone zero block), and we must not stream member
 * data through a parser at all: we read headers only (seeking over data)
 * and return each member's byte range, which worker threads then hash
 * straight from the tar file. Nothing here buffers member data.
 *
 * Accepted: POSIX ustar magic ("ustar\0" "00") and the old GNU magic
 * ("ustar  \0") as long as no GNU-only member types are used; type flags
 * '0'/'\0' (regular), '5' (directory), 'x' (pax local header for the next
 * member). Rejected: everything else ('1','2','3','4','6','7','g','L','K',
 * 'S', …). A pax `path` must equal the header name (prefix/name); the one
 * tolerance is the form GNU tar and Python write for names longer than the
 * 100-byte field: the header name is the pax path truncated to 100 bytes.
 */
import fs from 'node:fs/promises';
import type { FailureCode } from '../../../shared/verification';

export class ContainerError extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
    readonly detail?: Record<string, string | number>,
  ) {
    super(message);
  }
}

export interface TarMember {
  path: string;
  type: 'file' | 'dir';
  /** Offset of the data in the tar file. */
  offset: number;
  size: number;
  headerOffset: number;
}

const BLOCK = 512;
/** Zero padding allowed after the end-of-archive blocks (tar pads to its record size, 10 KiB by default). */
const MAX_TRAILING_ZEROS = 1 << 20;
const MAX_PAX = 1 << 20;

function cstr(b: Buffer, start: number, len: number): string {
  const s = b.subarray(start, start + len);
  const z = s.indexOf(0);
  return s.subarray(0, z < 0 ? len : z).toString('utf8');
}

function numeric(b: Buffer, start: number, len: number, what: string, at: number): number {
  const f = b.subarray(start, start + len);
  if (f[0]! & 0x80) {
    // GNU base-256
    if (f[0] !== 0x80) throw new ContainerError('container.truncated', `Unsupported negative/huge ${what} in header at offset ${at}.`);
    let v = 0;
    for (let i = 1; i < len; i++) v = v * 256 + f[i]!;
    if (!Number.isSafeInteger(v)) throw new ContainerError('container.truncated', `Numeric ${what} too large at offset ${at}.`);
    return v;
  }
  const s = f.toString('latin1').replace(/[\0 ]+$/, '').replace(/^ +/, '');
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new ContainerError('container.checksum', `Header at offset ${at} has a malformed ${what} field.`);
  return parseInt(s, 8);
}

function isZero(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

function parsePax(data: Buffer, at: number): Map<string, string> {
  const m = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const sp = data.indexOf(0x20, pos);
    const lenStr = sp < 0 ? '' : data.subarray(pos, sp).toString('latin1');
    if (!/^[1-9][0-9]*$/.test(lenStr)) throw new ContainerError('container.pax-invalid', `Malformed pax record in the extended header at offset ${at}.`);
    const len = Number(lenStr);
    const rec = data.subarray(pos, pos + len);
    if (rec.length !== len || rec[len - 1] !== 0x0a) throw new ContainerError('container.pax-invalid', `Malformed pax record in the extended header at offset ${at}.`);
    const kv = rec.subarray(sp - pos + 1, len - 1).toString('utf8');
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new ContainerError('container.pax-invalid', `Malformed pax record in the extended header at offset ${at}.`);
    const key = kv.slice(0, eq);
    if (m.has(key)) throw new ContainerError('container.pax-invalid', `Pax key "${key}" repeated in the extended header at offset ${at}.`);
    m.set(key, kv.slice(eq + 1));
    pos += len;
  }
  return m;
}

/** Read exactly `len` bytes at `pos`, or throw container.truncated. */
async function readExact(fh: fs.FileHandle, len: number, pos: number, what: string): Promise<Buffer> {
  const b = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const { bytesRead } = await fh.read(b, got, len - got, pos + got);
    if (bytesRead === 0) throw new ContainerError('container.truncated', `The archive ends inside ${what} (offset ${pos}).`);
    got += bytesRead;
  }
  return b;
}

/** Scan a tar file's headers. Throws ContainerError on the first violation. */
export async function scanTar(file: string, fileSize: number): Promise<TarMember[]> {
  const fh = await fs.open(file, 'r');
  try {
    const members: TarMember[] = [];
    let pos = 0;
    let pax: Map<string, string> | undefined;
    for (;;) {
      if (pos + BLOCK > fileSize) throw new ContainerError('container.truncated', `The archive ends at offset ${fileSize} without end-of-archive blocks.`);
      const h = await readExact(fh, BLOCK, pos, 'a header');
      if (isZero(h)) {
        if (pax) throw new ContainerError('container.pax-invalid', `A pax extended header at offset ${pos - BLOCK} is not followed by a member.`);
        if (pos + 2 * BLOCK > fileSize) throw new ContainerError('container.truncated', `The archive has a single zero block at offset ${pos}; the end-of-archive marker is two.`);
        const h2 = await readExact(fh, BLOCK, pos + BLOCK, 'the end-of-archive marker');
        if (!isZero(h2)) throw new ContainerError('container.truncated', `Lone zero block at offset ${pos} followed by more data.`);
        const rest = fileSize - (pos + 2 * BLOCK);
        if (rest > MAX_TRAILING_ZEROS) throw new ContainerError('container.trailing-data', `${rest} bytes follow the end-of-archive blocks (more than record padding).`);
        if (rest > 0 && !isZero(await readExact(fh, rest, pos + 2 * BLOCK, 'trailing padding')))
          throw new ContainerError('container.trailing-data', `Non-zero data follows the end-of-archive blocks at offset ${pos + 2 * BLOCK}.`);
        return members;
      }
      const magic = h.subarray(257, 265).toString('latin1');
      const posix = magic === 'ustar\u000000';
      const gnu = magic === 'ustar  \u0000';
      if (!posix && !gnu) {
        if (members.length === 0 && !pax) throw new ContainerError('container.not-bundle', 'Not a POSIX (ustar/pax) tar archive.');
        throw new ContainerError('container.checksum', `Header at offset ${pos} lacks the ustar magic.`);
      }
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
      const stored = numeric(h, 148, 8, 'checksum', pos);
      if (stored !== sum) throw new ContainerError('container.checksum', `Header at offset ${pos} has a bad checksum (stored ${stored}, computed ${sum}).`);
      const type = String.fromCharCode(h[156]!);
      let name = cstr(h, 0, 100);
      const prefix = posix ? cstr(h, 345, 155) : '';
      const full = prefix ? `${prefix}/${name}` : name;
      const size = numeric(h, 124, 12, 'size', pos);
      const linkname = cstr(h, 157, 100);
      const dataOff = pos + BLOCK;
      const padded = Math.ceil(size / BLOCK) * BLOCK;
      if (dataOff + padded > fileSize) throw new ContainerError('container.truncated', `Member "${full}" at offset ${pos} is truncated (needs ${size} bytes).`, { path: full });

      if (type === 'g') throw new ContainerError('container.pax-global', `Global pax header at offset ${pos}: not allowed in a bundle.`);
      if (type === 'x') {
        if (pax) throw new ContainerError('container.pax-invalid', `Two pax extended headers in a row at offset ${pos}.`);
        if (size > MAX_PAX) throw new ContainerError('container.pax-invalid', `Pax extended header at offset ${pos} is too large.`);
        pax = parsePax(await readExact(fh, size, dataOff, 'a pax header'), pos);
        for (const k of pax.keys())
          if (k.startsWith('GNU.sparse.')) throw new ContainerError('container.member-type', `Sparse member (pax ${k}) at offset ${pos}: not allowed.`);
        pos = dataOff + padded;
        continue;
      }
      if (type !== '0' && type !== '\0' && type !== '5') {
        const kinds: Record<string, string> = { '1': 'hard link', '2': 'symbolic link', '3': 'character device', '4': 'block device', '6': 'FIFO', '7': 'contiguous file', L: 'GNU long name', K: 'GNU long link name', S: 'GNU sparse file' };
        throw new ContainerError('container.member-type', `Member "${full}" is a ${kinds[type] ?? `type '${type}' entry`}; a bundle holds only regular files and directories.`, { path: full });
      }
      let path = full;
      let realSize = size;
      if (pax) {
        const p = pax.get('path');
        if (p !== undefined) {
          const truncatedForm = !prefix && Buffer.byteLength(p) > 100 && Buffer.from(p).subarray(0, 100).equals(h.subarray(0, 100));
          if (p !== full && !truncatedForm)
            throw new ContainerError('container.pax-path', `Member header name "${full}" differs from its pax path "${p}".`, { path: p });
          path = p;
        }
        const lp = pax.get('linkpath');
        if (lp !== undefined && lp !== linkname) throw new ContainerError('container.pax-path', `Member "${path}" has a pax linkpath that differs from its header.`, { path });
        const ps = pax.get('size');
        if (ps !== undefined) {
          if (!/^(0|[1-9][0-9]*)$/.test(ps) || Number(ps) !== size)
            throw new ContainerError('container.pax-invalid', `Member "${path}" has pax size ${ps} but header size ${size}.`, { path });
          realSize = Number(ps);
        }
        pax = undefined;
      }
      name = path;
      if (linkname) throw new ContainerError('container.member-type', `Member "${name}" carries a link name; only plain files and directories are allowed.`, { path: name });
      if (type === '5') {
        if (realSize !== 0) throw new ContainerError('container.member-type', `Directory member "${name}" has data.`, { path: name });
        members.push({ path: name.replace(/\/$/, ''), type: 'dir', offset: dataOff, size: 0, headerOffset: pos });
      } else {
        if (name.endsWith('/')) throw new ContainerError('container.path', `Regular file member "${name}" has a trailing slash.`, { path: name });
        members.push({ path: name, type: 'file', offset: dataOff, size: realSize, headerOffset: pos });
      }
      pos = dataOff + padded;
    }
  } finally {
    await fh.close();
  }
}
