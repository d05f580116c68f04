/**
 * Shared set-up for the ASN.1 libraries the PKI module parses with: asn1js
 * (BER/DER) and pkijs (CMS, certificates, CRLs, extension values — it keeps
 * the exact signed bytes: `tbsView`, `signedAttrs.encodedValue`, names'
 * `valueBeforeDecode`). pkijs's crypto engine is bound to Node's WebCrypto
 * once, here; signature math itself stays in Node's crypto (see
 * algorithms.ts) so the CNSA floor is decided before any key is used.
 *
 * @peculiar/x509 is not used: it loads tsyringe, which throws at import time
 * unless a Reflect metadata polyfill (the `reflect-metadata` package) is
 * loaded first, and that package is not a dependency of this project.
 *
 * What is added on top of the libraries is DER strictness. asn1js reads BER
 * and only warns about what DER forbids (and re-encodes it unchanged), so we
 * walk the tree it built and refuse: indefinite lengths, non-minimal lengths,
 * constructed string encodings, trailing bytes, and any `error` asn1js
 * recorded on an element without failing the parse (a malformed UTCTime
 * becomes 1899-11-30 with `.error` set). Times — which asn1js reads leniently
 * (no seconds, offsets, local time, month 13) — must have the one form RFC
 * 5280 §4.1.2.5 and RFC 5652 §11.3 allow: YYMMDDHHMMSSZ or YYYYMMDDHHMMSSZ.
 */
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const nodeCrypto = webcrypto as unknown as Crypto;
pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: nodeCrypto }));

export { asn1js, pkijs };

/** A structural problem in DER input (maps to a malformed-input failure by the caller). */
export class DerError extends Error {}

/** Parse exactly one DER element filling `buf`; throws DerError on BER-only forms, trailing bytes or garbage. */
export function parseDerStrict(buf: Uint8Array, what: string): asn1js.AsnType {
  if (buf.byteLength === 0) throw new DerError(`${what} is empty`);
  const r = asn1js.fromBER(buf);
  if (r.offset === -1) throw new DerError(`${what} is not valid DER (${r.result.error || 'unreadable'})`);
  if (r.offset !== buf.byteLength) throw new DerError(`trailing bytes after the ${what}`);
  checkElements(r.result, what);
  return r.result;
}

type Block = {
  error?: string;
  idBlock: { isConstructed: boolean; tagClass: number; tagNumber: number; error?: string };
  lenBlock: { isIndefiniteForm: boolean; warnings?: string[]; error?: string };
  valueBlock: { error?: string; value?: unknown };
};

/** Universal string types (BIT/OCTET STRING, character strings, times): DER encodes them primitive. */
const STRING_TAGS = new Set([3, 4, 12, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 30]);

/** Errors asn1js recorded without failing, and non-DER times, anywhere in the tree (iterative: no stack limit). */
function checkElements(root: asn1js.AsnType, what: string): void {
  const stack: Block[] = [root as unknown as Block];
  while (stack.length) {
    const b = stack.pop()!;
    const err = b.error || b.idBlock.error || b.lenBlock.error || b.valueBlock.error;
    if (err) throw new DerError(`${what}: ${err}`);
    if (b.lenBlock.isIndefiniteForm) throw new DerError(`${what}: indefinite length is not DER`);
    if (b.lenBlock.warnings?.length) throw new DerError(`${what}: non-minimal DER length`);
    if (b.idBlock.isConstructed && b.idBlock.tagClass === 1 && STRING_TAGS.has(b.idBlock.tagNumber)) throw new DerError(`${what}: constructed string encoding is not DER`);
    if (b instanceof asn1js.UTCTime) strictTime(b);
    if (b.idBlock.isConstructed && Array.isArray(b.valueBlock.value)) stack.push(...(b.valueBlock.value as Block[]));
  }
}

/** The Date of a UTCTime/GeneralizedTime in the only form RFC 5280 / RFC 5652 allow; throws DerError otherwise. */
export function strictTime(t: asn1js.UTCTime): Date {
  const s = Buffer.from(t.valueBlock.valueHexView).toString('latin1');
  const general = t instanceof asn1js.GeneralizedTime;
  const m = (general ? /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/ : /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/).exec(s);
  if (!m) throw new DerError(`bad ${general ? 'GeneralizedTime' : 'UTCTime'} "${s.slice(0, 32)}"`);
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const year = general ? y : y >= 50 ? 1900 + y : 2000 + y;
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, se));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || date.getUTCHours() !== h || date.getUTCMinutes() !== mi || date.getUTCSeconds() !== se)
    throw new DerError(`impossible date "${s}"`);
  return date;
}

/** Run a pkijs/asn1js decoder, turning whatever it throws into a DerError with `what` in the message. */
export function decode<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DerError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    throw new DerError(`malformed ${what}${msg ? `: ${msg}` : ''}`);
  }
}

export function hex(b: Uint8Array | ArrayBuffer): string {
  const u = b instanceof Uint8Array ? b : new Uint8Array(b);
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('hex');
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

/** A standalone copy of a view (pkijs views share the parse buffer). */
export function copy(b: Uint8Array | ArrayBuffer): Uint8Array {
  return b instanceof Uint8Array ? b.slice() : new Uint8Array(b.slice(0));
}

/** INTEGER content bytes as lowercase hex without sign-padding zero bytes. */
export function integerHex(i: asn1js.Integer): string {
  let c = i.valueBlock.valueHexView;
  if (c.length === 0) throw new DerError('empty INTEGER');
  while (c.length > 1 && c[0] === 0) c = c.subarray(1);
  return hex(c);
}
