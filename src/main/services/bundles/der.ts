/**
 * A minimal strict DER reader. We parse CMS, certificates and CRLs with it
 * (instead of pkijs's object model) because the verifier needs the exact
 * encoded bytes of signed regions (tbsCertificate, tbsCertList, signedAttrs),
 * and strictness: definite lengths only, minimal length encoding, no
 * trailing bytes. Anything else throws DerError.
 */
export class DerError extends Error {}

export interface Tlv {
  /** Full identifier octet (class | constructed | tag number for low tags). */
  tag: number;
  constructed: boolean;
  /** Bytes of the whole element (header + content). */
  raw: Uint8Array;
  /** Content bytes. */
  content: Uint8Array;
}

function readOne(buf: Uint8Array, pos: number): { tlv: Tlv; next: number } {
  if (pos + 2 > buf.length) throw new DerError('truncated DER header');
  const tag = buf[pos]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported');
  let p = pos + 1;
  const first = buf[p++]!;
  let len: number;
  if (first < 0x80) len = first;
  else if (first === 0x80) throw new DerError('indefinite length is not DER');
  else {
    const n = first & 0x7f;
    if (n > 4) throw new DerError('DER length too large');
    if (p + n > buf.length) throw new DerError('truncated DER length');
    if (buf[p] === 0) throw new DerError('non-minimal DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
    if (len < 0x80) throw new DerError('non-minimal DER length');
  }
  if (p + len > buf.length) throw new DerError('DER content runs past the end');
  return {
    tlv: { tag, constructed: (tag & 0x20) !== 0, raw: buf.subarray(pos, p + len), content: buf.subarray(p, p + len) },
    next: p + len,
  };
}

/** Parse exactly one element filling the whole buffer. */
export function parseDer(buf: Uint8Array): Tlv {
  const { tlv, next } = readOne(buf, 0);
  if (next !== buf.length) throw new DerError('trailing bytes after DER element');
  return tlv;
}

/** Children of a constructed element. */
export function children(t: Tlv): Tlv[] {
  if (!t.constructed) throw new DerError('expected a constructed element');
  const out: Tlv[] = [];
  let pos = 0;
  while (pos < t.content.length) {
    const { tlv, next } = readOne(t.content, pos);
    out.push(tlv);
    pos = next;
  }
  return out;
}

export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) throw new DerError(`expected ${what}`);
  return t;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  UTCTIME: 0x17,
  GENTIME: 0x18,
} as const;

export function oid(t: Tlv): string {
  if (t.tag !== TAG.OID) throw new DerError('expected OBJECT IDENTIFIER');
  const b = t.content;
  if (b.length === 0) throw new DerError('empty OID');
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if ((b[i]! & 0x80) === 0) {
      if (parts.length === 0) {
        const a = v < 40 ? 0 : v < 80 ? 1 : 2;
        parts.push(a, v - a * 40);
      } else parts.push(v);
      v = 0;
    } else if (i === b.length - 1) throw new DerError('truncated OID');
  }
  return parts.join('.');
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}

/** INTEGER content as lowercase hex without sign-padding zero byte. */
export function integerHex(t: Tlv): string {
  if (t.tag !== TAG.INTEGER || t.content.length === 0) throw new DerError('expected INTEGER');
  let c = t.content;
  while (c.length > 1 && c[0] === 0) c = c.subarray(1);
  return hex(c);
}

export function smallInteger(t: Tlv): number {
  if (t.tag !== TAG.INTEGER || t.content.length === 0 || t.content.length > 6) throw new DerError('expected small INTEGER');
  if (t.content[0]! & 0x80) throw new DerError('negative INTEGER');
  let v = 0;
  for (const x of t.content) v = v * 256 + x;
  return v;
}

export function time(t: Tlv): Date {
  const s = Buffer.from(t.content).toString('latin1');
  let m: RegExpMatchArray | null;
  if (t.tag === TAG.UTCTIME) {
    m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s);
    if (!m) throw new DerError('bad UTCTime');
    const yy = Number(m[1]);
    return new Date(Date.UTC(yy >= 50 ? 1900 + yy : 2000 + yy, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  }
  if (t.tag === TAG.GENTIME) {
    m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s);
    if (!m) throw new DerError('bad GeneralizedTime');
    return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  }
  throw new DerError('expected a time');
}

/** BIT STRING content without the unused-bits octet. */
export function bitString(t: Tlv): { unused: number; bytes: Uint8Array } {
  if (t.tag !== TAG.BIT_STRING || t.content.length === 0) throw new DerError('expected BIT STRING');
  return { unused: t.content[0]!, bytes: t.content.subarray(1) };
}
