/**
 * CRLs (RFC 5280 §5) and revocation along a validated path (spec §4): every
 * certificate below the anchor covered by a current CRL from its issuer,
 * signed by that issuer; a missing or stale CRL fails closed unless the
 * caller says CRLs are not required.
 */
import type { FailureCode } from '../../../shared/verification';
import { DerError, asn1js, copy, decode, hex, integerHex, parseDerStrict, pkijs } from './asn1';
import { AlgError, signatureAlgorithm } from './algorithms';
import { EXT, KU, akiKeyId, certLabel, extValue, extensionList, sha256Hex, type Cert } from './certificate';
import { nameToString } from './names';
import type { WorkBudget } from './work';

export interface Crl {
  der: Uint8Array;
  /** SHA-256 of the DER (hex). */
  id: string;
  /** Exact tbsCertList bytes (pkijs tbsView). */
  tbs: Uint8Array;
  sigAlg: pkijs.AlgorithmIdentifier;
  signature: Uint8Array;
  issuerRaw: Uint8Array;
  issuer: string;
  thisUpdate: Date;
  nextUpdate?: Date;
  revoked: Map<string, Date>;
  crlNumber?: bigint;
  /** authorityKeyIdentifier keyIdentifier (hex), when present. */
  aki?: string;
  /** A critical CRL extension we do not process (delta, IDP…): such a CRL is not used. */
  unsupportedCritical?: string;
}

export function parseCrl(der: Uint8Array): Crl {
  const asn = parseDerStrict(der, 'CRL');
  const pl = decode('CRL', () => new pkijs.CertificateRevocationList({ schema: asn }));
  const revoked = new Map<string, Date>();
  for (const r of pl.revokedCertificates ?? []) {
    revoked.set(integerHex(r.userCertificate), r.revocationDate.value);
    // entry extensions: a critical one we do not understand (e.g. certificateIssuer) makes the CRL unusable
    for (const e of r.crlEntryExtensions?.extensions ?? []) if (e.critical) throw new DerError(`unsupported critical CRL entry extension ${e.extnID}`);
  }
  const issuerRaw = copy(pl.issuer.valueBeforeDecode);
  const crl: Crl = {
    der: copy(der),
    id: sha256Hex(der),
    tbs: copy(pl.tbsView),
    sigAlg: pl.signatureAlgorithm,
    signature: copy(pl.signatureValue.valueBlock.valueHexView),
    issuerRaw,
    issuer: nameToString(issuerRaw),
    thisUpdate: pl.thisUpdate.value,
    nextUpdate: pl.nextUpdate?.value,
    revoked,
  };
  for (const e of extensionList(pl.crlExtensions?.extensions)) {
    if (e.oid === EXT.crlNumber)
      crl.crlNumber = extValue(e, 'cRLNumber', (v) => {
        if (!(v instanceof asn1js.Integer)) throw new DerError('cRLNumber is not an INTEGER');
        return BigInt('0x' + integerHex(v));
      });
    else if (e.oid === EXT.aki) crl.aki = extValue(e, 'authorityKeyIdentifier', akiKeyId);
    else if (e.critical) crl.unsupportedCritical = e.oid;
  }
  return crl;
}

export type TrustFailure = { code: FailureCode; reason: string };

/** CRLs grouped by issuer name, parsed once per evaluation. */
export class CrlIndex {
  private readonly byIssuer = new Map<string, Crl[]>();
  constructor(crls: readonly Crl[]) {
    for (const l of crls) {
      const k = hex(l.issuerRaw);
      const list = this.byIssuer.get(k) ?? [];
      list.push(l);
      this.byIssuer.set(k, list);
    }
  }
  from(issuerRaw: Uint8Array): readonly Crl[] {
    return this.byIssuer.get(hex(issuerRaw)) ?? [];
  }
}

/**
 * Revocation of every certificate below the anchor of `path` (signer first,
 * anchor last). Signature checks go through `work` (memoised, may throw
 * SearchLimit).
 */
export function checkRevocation(path: readonly Cert[], crls: CrlIndex, at: Date, requireCrls: boolean, work: WorkBudget): TrustFailure | { ok: string } {
  const notes: string[] = [];
  for (let i = 0; i < path.length - 1; i++) {
    const c = path[i]!;
    const issuer = path[i + 1]!;
    let badReason: string | undefined;
    const usable: Crl[] = [];
    for (const l of crls.from(c.issuerRaw)) {
      try {
        signatureAlgorithm(l.sigAlg);
      } catch (e) {
        if (!(e instanceof AlgError)) throw e;
        badReason ??= `The CRL from "${issuer.subject}" uses a weak or unsupported algorithm: ${e.message}`;
        continue;
      }
      if (!work.verifies(l, issuer)) {
        badReason ??= `A CRL naming issuer "${l.issuer}" is not signed by ${certLabel(issuer)}.`;
        continue;
      }
      if (l.unsupportedCritical) {
        badReason ??= `The CRL from ${certLabel(issuer)} has a critical extension ${l.unsupportedCritical} this verifier does not process (delta or partitioned CRLs are not supported).`;
        continue;
      }
      if (issuer.keyUsage && !issuer.keyUsage.has(KU.cRLSign)) {
        badReason ??= `${certLabel(issuer)} signed a CRL but lacks keyUsage cRLSign.`;
        continue;
      }
      usable.push(l);
    }
    if (usable.length === 0) {
      if (badReason) return { code: 'revocation.bad-crl', reason: badReason };
      if (requireCrls) return { code: 'revocation.missing-crl', reason: `No CRL from ${certLabel(issuer)} covers ${certLabel(c)}. Import a current CRL from that issuer.` };
      notes.push(`no CRL for ${certLabel(c)} (not required)`);
      continue;
    }
    // newest by CRL number, then thisUpdate
    usable.sort((a, b) => {
      const an = a.crlNumber ?? -1n;
      const bn = b.crlNumber ?? -1n;
      if (an !== bn) return an > bn ? -1 : 1;
      return b.thisUpdate.getTime() - a.thisUpdate.getTime();
    });
    const l = usable[0]!;
    if (l.thisUpdate > at || !l.nextUpdate || l.nextUpdate <= at)
      return {
        code: 'revocation.stale-crl',
        reason: `The CRL from ${certLabel(issuer)} is not current at ${at.toISOString()} (thisUpdate ${l.thisUpdate.toISOString()}, nextUpdate ${l.nextUpdate?.toISOString() ?? 'absent'}). Import a fresh CRL.`,
      };
    const rev = l.revoked.get(c.serialHex);
    if (rev) return { code: 'revocation.revoked', reason: `Certificate ${certLabel(c)} was revoked by its issuer on ${rev.toISOString()}.` };
    notes.push(`${certLabel(c)} not revoked (CRL${l.crlNumber !== undefined ? ` #${l.crlNumber}` : ''} of ${l.thisUpdate.toISOString()})`);
  }
  return { ok: notes.join('; ') };
}
