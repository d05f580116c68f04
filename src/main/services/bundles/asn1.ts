/**
 * Shared set-up for the ASN.1 libraries the verifier parses with: asn1js
 * (BER/DER), pkijs (CMS, certificates, CRLs — it keeps the exact signed bytes:
 * `tbsView`, `signedAttrs.encodedValue`, names' `valueBeforeDecode`) and
 * @peculiar/x509 (extension semantics). Both crypto providers are bound to
 * Node's WebCrypto once, here; signature math itself stays in Node's crypto
 * (see pki.ts) so the CNSA floor is enforced before any key is used.
 *
 * The one thing added on top of the libraries is DER strictness: asn1js reads
 * BER, and the verifier accepts only DER (definite, minimal lengths, no
 * trailing bytes). We check it by asking asn1js to re-encode what it parsed
 * and comparing with the input.
 */
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import * as x509 from '@peculiar/x509';

const nodeCrypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(nodeCrypto);
pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: nodeCrypto }));

export { asn1js, pkijs, x509 };

/** A structural problem in DER input (maps to a malformed-input failure by the caller). */
export class DerError extends Error {}

/** Parse exactly one DER element filling `buf`; throws DerError on BER-only forms, trailing bytes or garbage. */
export function parseDerStrict(buf: Uint8Array, what: string): asn1js.AsnType {
  if (buf.byteLength === 0) throw new DerError(`${what} is empty`);
  const r = asn1js.fromBER(buf);
  if (r.offset === -1) throw new DerError(`${what} is not valid DER (${r.result.error || 'unreadable'})`);
  if (r.offset !== buf.byteLength) throw new DerError(`trailing bytes after the ${what}`);
  if (!bytesEqual(new Uint8Array(r.result.toBER(false)), buf)) throw new DerError(`${what} is BER, not DER (indefinite or non-minimal lengths)`);
  return r.result;
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
