/** Distinguished names for people: "CN=…, O=…, C=…" (most specific first), as reasons and summaries show them. */
import { asn1js, parseDerStrict } from './asn1';

const ATTR_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
};

/** Human form of a DER Name (as asn1js reads it), most specific first ("CN=…, O=…, C=…"). */
export function nameToString(raw: Uint8Array): string {
  try {
    const seq = parseDerStrict(raw, 'Name') as asn1js.Sequence;
    const rdns = seq.valueBlock.value.map((rdn) =>
      (rdn as asn1js.Set).valueBlock.value
        .map((atv) => {
          const [t, v] = (atv as asn1js.Sequence).valueBlock.value as [asn1js.ObjectIdentifier, { valueBlock: { value?: unknown; valueHexView: Uint8Array } }];
          const o = t.valueBlock.toString();
          const val = typeof v.valueBlock.value === 'string' ? v.valueBlock.value : Buffer.from(v.valueBlock.valueHexView).toString('utf8');
          return `${ATTR_NAMES[o] ?? o}=${val.replace(/([,+"\\<>;])/g, '\\$1')}`;
        })
        .join('+'),
    );
    return rdns.reverse().join(', ');
  } catch {
    return '(unparseable name)';
  }
}
