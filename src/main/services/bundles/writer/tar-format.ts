/**
 * Deterministic POSIX tar member headers for bundles (spec §1).
 *
 * Every member is a regular file, mode 0644, uid/gid 0 with empty user and
 * group names, mtime the bundle's time, ustar magic "ustar\0" "00". A path
 * that fits is stored in ustar's name (100 bytes) or prefix (155) + name,
 * split at the first '/' that makes the name fit, as GNU tar does. A longer
 * path (bundle paths reach 8 × 128 bytes) gets a pax extended header with
 * its `path`, and the member's header name holds the path's first 100
 * bytes: the form GNU tar and Python write, and the only pax form Airlock's
 * strict reader accepts (spec §1: the pax path must match the header name).
 * Sizes of 8 GiB and more use GNU base-256 in the size field.
 *
 * Why not a tar library: tar-stream names a long-path member "PaxHeader",
 * and node-tar (`tar`) truncates it to 99 bytes; Airlock's reader (rightly)
 * refuses both, and neither lets the caller choose the header name. What is
 * left is a fixed 512-byte layout, written here field by field and checked
 * in the tests by GNU tar and by the reader.
 */
export const BLOCK = 512;
/** Two zero blocks end the archive. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

const NAME_LEN = 100;
const PREFIX_LEN = 155;
const MAX_OCTAL_SIZE = 8 ** 11 - 1;

/** Zero bytes that pad `size` bytes of member data to a whole block. */
export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function octal(buf: Buffer, offset: number, fieldLen: number, value: number): void {
  // fieldLen-1 zero-padded octal digits, then NUL (what GNU tar writes)
  buf.write(value.toString(8).padStart(fieldLen - 1, '0') + '\0', offset, fieldLen, 'latin1');
}

function sizeField(buf: Buffer, size: number): void {
  if (size <= MAX_OCTAL_SIZE) return octal(buf, 124, 12, size);
  // GNU base-256: 0x80, then the value big-endian in the remaining 11 bytes
  buf[124] = 0x80;
  let v = BigInt(size);
  for (let i = 135; i > 124; i--) {
    buf[i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** Where the path goes in a ustar header; undefined when it needs pax. */
export function ustarSplit(path: string): { name: string; prefix: string } | undefined {
  const len = Buffer.byteLength(path);
  if (len <= NAME_LEN) return { name: path, prefix: '' };
  // the first '/' after which the rest fits in the name field, within the prefix field
  for (let i = Math.max(0, path.length - NAME_LEN - 1); i <= PREFIX_LEN && i < path.length; i++) {
    if (path[i] === '/' && i > 0 && path.length - i - 1 > 0 && path.length - i - 1 <= NAME_LEN) return { name: path.slice(i + 1), prefix: path.slice(0, i) };
  }
  return undefined;
}

function setChecksum(h: Buffer): void {
  h.fill(0x20, 148, 156); // computed with its own field as spaces
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
}

/** A copy of an existing ustar header with another size (co-signing replaces SHA384SUMS.p7s in place). */
export function withSize(existing: Uint8Array, size: number): Buffer {
  if (existing.length !== BLOCK) throw new RangeError('a tar header is one block');
  const h = Buffer.from(existing);
  h.fill(0, 124, 136);
  sizeField(h, size);
  setChecksum(h);
  return h;
}

function header(name: string, prefix: string, size: number, mtime: number, typeflag: '0' | 'x'): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, NAME_LEN, 'utf8');
  octal(h, 100, 8, 0o644);
  octal(h, 108, 8, 0); // uid
  octal(h, 116, 8, 0); // gid
  sizeField(h, size);
  octal(h, 136, 12, mtime);
  h.write(typeflag, 156, 1, 'latin1');
  h.write('ustar\u000000', 257, 8, 'latin1');
  // uname, gname: empty (tar -tv shows 0/0)
  octal(h, 329, 8, 0); // devmajor
  octal(h, 337, 8, 0); // devminor
  h.write(prefix, 345, PREFIX_LEN, 'utf8');
  setChecksum(h);
  return h;
}

/** One pax record: "<length> <key>=<value>\n", where length counts the whole record, itself included. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  const bodyLen = Buffer.byteLength(body);
  let len = bodyLen + 1;
  while (String(len).length + bodyLen !== len) len = String(len).length + bodyLen;
  return Buffer.from(`${len}${body}`, 'utf8');
}

/**
 * Everything that precedes a regular file's data: its ustar header, or a pax
 * extended header (itself a header plus padded records) and then the ustar
 * header. `mtime` is in whole seconds since the epoch.
 */
export function memberHeader(path: string, size: number, mtime: number): Buffer {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`bad member size ${size}`);
  if (!Number.isSafeInteger(mtime) || mtime < 0 || mtime > MAX_OCTAL_SIZE) throw new RangeError(`bad member mtime ${mtime}`);
  const split = ustarSplit(path);
  if (split) return header(split.name, split.prefix, size, mtime, '0');
  const records = paxRecord('path', path);
  const base = path.slice(path.lastIndexOf('/') + 1);
  const paxName = Buffer.from(`PaxHeaders/${base}`).subarray(0, NAME_LEN).toString('utf8');
  const truncatedName = Buffer.from(path).subarray(0, NAME_LEN).toString('utf8');
  return Buffer.concat([header(paxName, '', records.length, mtime, 'x'), records, Buffer.alloc(padding(records.length)), header(truncatedName, '', size, mtime, '0')]);
}

/** Bytes a member takes in the archive: headers, data and padding. */
export function memberLength(path: string, size: number): number {
  return memberHeader(path, 0, 0).length + size + padding(size);
}
