/** PEM and DER input files: certificates and CRLs, as officers hand them over. */
import { parseCrl } from './crl';

/** All DER objects in a PEM file (certificates, CRLs), or the buffer itself when it is DER. */
export function readPemOrDer(buf: Uint8Array): Uint8Array[] {
  const text = Buffer.from(buf).toString('latin1');
  if (!text.includes('-----BEGIN ')) return buf.length ? [new Uint8Array(buf)] : [];
  const out: Uint8Array[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m[1] !== 'CERTIFICATE' && m[1] !== 'X509 CRL' && m[1] !== 'TRUSTED CERTIFICATE') continue;
    out.push(new Uint8Array(Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64')));
  }
  return out;
}

/** True when the DER parses as a CRL (so a mixed anchors-and-CRLs file can be split). */
export function isCrlDer(der: Uint8Array): boolean {
  try {
    parseCrl(der);
    return true;
  } catch {
    return false;
  }
}
