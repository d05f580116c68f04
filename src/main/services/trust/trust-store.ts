/**
 * The trust store: the anchors a security officer installed, the CRLs they
 * imported, intermediates seen in accepted bundles, and the lab's own id.
 * Everything lives in the encrypted vault DB; every change is audited.
 * See shared/spec/bundle-format.md §4 (trust, revocation) and §5 (audience).
 */
import crypto from 'node:crypto';
import { AirlockError, type ErrorCode } from '../../../shared/errors';
import { BUNDLE_TYPES, type BundleType } from '../../../shared/verification';
import { AlgError, anchorRefusal, certSignedBy, fingerprint, hex, keyDescription, KU, parseCertificate, parseCrl, readPemOrDer, type Cert, type Crl } from '../pki';
import type { Vault } from '../vault';
import { TrustRepository, type AnchorRow, type CrlRow } from './trust-repository';
import { LAB_ID_RULE, isLabId } from '../../../shared/identifiers';

export interface AnchorOption {
  certificate: Uint8Array;
  types: BundleType[] | 'any';
  label?: string;
}

/** The subset of the verifier's VerifyOptions the trust store supplies. */
export interface TrustVerifyOptions {
  anchors: AnchorOption[];
  crls: Uint8Array[];
  labId?: string;
}

export interface CrlInfo {
  issuer: string;
  /** Authority key identifier (hex) of the CRL, when present. */
  aki: string | null;
  number: string | null;
  thisUpdate: string;
  nextUpdate: string | null;
  /** thisUpdate <= now < nextUpdate at the trusted clock time. */
  fresh: boolean;
  sha256: string;
  /** Fingerprint of the anchor/intermediate whose key verified the CRL at import; null when checked only at verification. */
  verifiedBy: string | null;
  addedAt: string;
}

export interface AnchorInfo {
  fingerprint: string;
  label: string;
  subject: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  keyAlgorithm: string;
  types: BundleType[] | 'any';
  addedAt: string;
  addedBy: string;
  expired: boolean;
  /** The latest CRL this anchor issued, or null when none was imported. */
  crl: CrlInfo | null;
}

export interface TrustList {
  /** Trusted clock time the freshness flags were computed at. */
  at: string;
  labId: string | null;
  anchors: AnchorInfo[];
  crls: CrlInfo[];
  intermediates: { fingerprint: string; subject: string; addedAt: string }[];
}

export interface CrlImportResult {
  /** One entry per CRL in the file, in file order. */
  added: CrlInfo[];
}

function sha256(b: Uint8Array): string {
  return crypto.createHash('sha256').update(b).digest('hex');
}

/** Authority key identifier [0] of a CRL (from its tbsCertList extensions), hex. */
function crlAki(crl: Crl): string | null {
  return crl.aki ?? null;
}

function issuerKey(issuerRaw: Uint8Array, aki: string | null): string {
  return `${hex(issuerRaw)}/${aki ?? ''}`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
}

function parseTypes(t: string): BundleType[] | 'any' {
  return t === 'any' ? 'any' : (JSON.parse(t) as BundleType[]);
}

export function normalizeTypes(types: readonly string[] | 'any'): BundleType[] | 'any' {
  if (types === 'any') return 'any';
  const list = [...new Set(types.map((t) => t.trim()).filter(Boolean))];
  if (list.length === 1 && list[0] === 'any') return 'any';
  if (list.length === 0)
    throw new AirlockError('trust.bad-types', `Bind the anchor to at least one bundle type (${BUNDLE_TYPES.join(', ')}) or "any".`);
  for (const t of list)
    if (!(BUNDLE_TYPES as readonly string[]).includes(t))
      throw new AirlockError('trust.bad-types', `"${t}" is not a bundle type. Use ${BUNDLE_TYPES.join(', ')} or "any".`, { type: t });
  return BUNDLE_TYPES.filter((t) => list.includes(t));
}

export class TrustStore {
  private readonly repo: TrustRepository;

  constructor(private readonly vault: Vault) {
    this.repo = new TrustRepository(() => vault.db);
  }

  private now(): Date {
    return this.vault.clock.now();
  }

  // ---------------------------------------------------------------- anchors

  /**
   * Install a root certificate (PEM or DER) as a trust anchor bound to `types`.
   * Refuses: not exactly one certificate (trust.bad-certificate), whatever
   * the one anchor rule (services/pki anchorRefusal) refuses at the trusted
   * clock time — an end-entity certificate (trust.not-ca), an intermediate
   * (trust.not-self-signed), a key or self-signature below the CNSA floor
   * (trust.weak-key / trust.weak-algorithm), an unprocessed critical
   * extension (trust.critical-extension), outside its validity
   * (trust.expired / trust.not-yet-valid) — and an anchor already installed
   * (trust.duplicate).
   */
  addAnchor(input: Uint8Array, opts: { types: readonly string[] | 'any'; label?: string; actor?: string }): AnchorInfo {
    const types = normalizeTypes(opts.types);
    const objs = readPemOrDer(input);
    if (objs.length !== 1)
      throw new AirlockError(
        'trust.bad-certificate',
        objs.length === 0 ? 'The file holds no certificate. Give a PEM or DER root certificate.' : `The file holds ${objs.length} objects; give exactly one root certificate per anchor.`,
      );
    let cert: Cert;
    try {
      cert = parseCertificate(objs[0]!);
    } catch (e) {
      throw new AirlockError('trust.bad-certificate', `The file is not a valid X.509 certificate (${(e as Error).message}).`);
    }
    const fp = fingerprint(cert.der);
    const at = this.now();
    const detail = { fingerprint: fp, subject: cert.subject };
    const refuse = (code: ErrorCode, message: string): never => {
      this.vault.audit.append({ actor: opts.actor, action: 'trust.anchor-refused', target: cert.subject, outcome: 'failure', detail: { ...detail, code, reason: message } });
      throw new AirlockError(code, message, detail);
    };
    const refusal = anchorRefusal(cert, at);
    if (refusal) refuse(refusal.code, refusal.message);
    if (this.repo.anchor(fp))
      refuse('trust.duplicate', `"${cert.subject}" is already installed as a trust anchor (SHA-256 ${fp}).`);
    const label = (opts.label ?? '').trim() || cert.subject;
    const actor = opts.actor ?? undefined;
    const row: AnchorRow = {
      fingerprint: fp,
      der: cert.der,
      label,
      subject: cert.subject,
      subject_raw: cert.subjectRaw,
      ski: cert.ski ?? null,
      serial: cert.serialHex,
      not_before: cert.notBefore.toISOString(),
      not_after: cert.notAfter.toISOString(),
      key_algorithm: keyDescription(cert.publicKey!),
      types: types === 'any' ? 'any' : JSON.stringify(types),
      added_at: at.toISOString(),
      added_by: '',
    };
    this.vault.transaction(() => {
      row.added_by = this.vault.audit.append({
        actor,
        action: 'trust.anchor-added',
        target: cert.subject,
        outcome: 'success',
        detail: { fingerprint: fp, subject: cert.subject, label, types: types === 'any' ? 'any' : types, notAfter: row.not_after, keyAlgorithm: row.key_algorithm },
      }).actor;
      this.repo.insertAnchor(row);
    });
    return this.anchorInfo(row, at);
  }

  /** Remove an anchor by SHA-256 fingerprint (hex, colons and case ignored). Its CRLs stay (monotonicity state). */
  removeAnchor(fp: string, opts: { actor?: string } = {}): void {
    const norm = fp.replace(/[:\s]/g, '').toLowerCase();
    const row = this.repo.anchor(norm);
    if (!row) throw new AirlockError('trust.anchor-not-found', `No trust anchor has SHA-256 fingerprint ${norm}. Run "airlock trust list" to see the installed anchors.`, { fingerprint: norm });
    this.vault.transaction(() => {
      this.repo.deleteAnchor(norm);
      this.vault.audit.append({ actor: opts.actor, action: 'trust.anchor-removed', target: row.subject, outcome: 'success', detail: { fingerprint: norm, subject: row.subject, label: row.label } });
    });
  }

  // ---------------------------------------------------------------- CRLs

  /**
   * Import every CRL in a PEM (possibly several) or DER file. All-or-nothing:
   * if any CRL is refused, none of the file is stored. Refusals:
   * trust.bad-crl (unparseable / nothing in file), trust.crl-bad-signature
   * (issuer is an anchor or known intermediate but its key does not verify the
   * CRL), trust.crl-rollback (lower CRL number than one seen from that issuer,
   * or the same number with different bytes). A CRL from an issuer the store
   * does not know yet is stored unverified; the verifier checks it against the
   * bundle's chain.
   */
  addCrls(input: Uint8Array, opts: { actor?: string; source?: string } = {}): CrlImportResult {
    const objs = readPemOrDer(input);
    if (objs.length === 0) throw new AirlockError('trust.bad-crl', 'The file holds no CRL. Give a PEM or DER CRL file.');
    const crls: Crl[] = [];
    for (const [i, der] of objs.entries()) {
      try {
        crls.push(parseCrl(der));
      } catch (e) {
        const msg = `Object ${i + 1} in the file is not a valid CRL (${(e as Error).message}).`;
        this.vault.audit.append({ actor: opts.actor, action: 'trust.crl-refused', target: opts.source ?? null, outcome: 'failure', detail: { code: 'trust.bad-crl', reason: msg } });
        throw new AirlockError('trust.bad-crl', msg, { index: i + 1 });
      }
    }
    const at = this.now();
    const accepted: CrlRow[] = [];
    // Validate everything first (later CRLs in one file compare against earlier ones).
    const pending = new Map<string, CrlRow>();
    for (const crl of crls) {
      const aki = crlAki(crl);
      const key = issuerKey(crl.issuerRaw, aki);
      const digest = sha256(crl.der);
      const detail = { issuer: crl.issuer, aki, crlNumber: crl.crlNumber?.toString() ?? null, sha256: digest };
      const refuse = (code: ErrorCode, message: string): never => {
        this.vault.audit.append({ actor: opts.actor, action: 'trust.crl-refused', target: crl.issuer, outcome: 'failure', detail: { ...detail, code, reason: message } });
        throw new AirlockError(code, message, detail);
      };
      const verifiedBy = this.checkCrlSignature(crl, aki, refuse);
      const prev = pending.get(key) ?? this.repo.crl(key);
      if (prev && !(prev.verified_by === null && verifiedBy !== null && !this.storedStillVerifies(prev, crl, aki))) {
        const prevNum = prev.crl_number === null ? null : BigInt(prev.crl_number);
        const num = crl.crlNumber ?? null;
        if (prev.sha256 === digest) {
          // The same CRL again: nothing to do.
          accepted.push(prev);
          continue;
        }
        if (prevNum !== null && (num === null || num < prevNum))
          refuse('trust.crl-rollback', `This CRL from "${crl.issuer}" has CRL number ${num ?? 'none'}, lower than number ${prevNum} already imported. An older CRL cannot replace a newer one.`);
        if (prevNum !== null && num === prevNum)
          refuse('trust.crl-rollback', `A different CRL from "${crl.issuer}" with the same CRL number ${num} was already imported. The issuer published two CRLs with one number; ask it for a new CRL.`);
        if (prevNum === null && num === null && crl.thisUpdate.getTime() <= Date.parse(prev.this_update))
          refuse('trust.crl-rollback', `This CRL from "${crl.issuer}" (no CRL number) is not newer than the one already imported (thisUpdate ${prev.this_update}).`);
      }
      const row: CrlRow = {
        issuer_key: key,
        issuer: crl.issuer,
        issuer_raw: crl.issuerRaw,
        aki,
        crl_number: crl.crlNumber?.toString() ?? null,
        this_update: crl.thisUpdate.toISOString(),
        next_update: crl.nextUpdate?.toISOString() ?? null,
        sha256: digest,
        der: crl.der,
        verified_by: verifiedBy,
        added_at: at.toISOString(),
        added_by: '',
      };
      pending.set(key, row);
      accepted.push(row);
    }
    this.vault.transaction(() => {
      for (const row of pending.values()) {
        if (this.repo.crl(row.issuer_key)?.sha256 === row.sha256) continue;
        row.added_by = this.vault.audit.append({
          actor: opts.actor,
          action: 'trust.crl-added',
          target: row.issuer,
          outcome: 'success',
          detail: { issuer: row.issuer, aki: row.aki, crlNumber: row.crl_number, thisUpdate: row.this_update, nextUpdate: row.next_update, sha256: row.sha256, verifiedBy: row.verified_by },
        }).actor;
        this.repo.upsertCrl(row);
      }
    });
    return { added: accepted.map((r) => this.crlInfo(r, at)) };
  }

  /** Fingerprint of the certificate that verified the CRL, null when its issuer is unknown; refuses a bad signature. */
  private checkCrlSignature(crl: Crl, aki: string | null, refuse: (code: ErrorCode, message: string) => never): string | null {
    const candidates = this.issuerCandidates(crl.issuerRaw, aki);
    if (candidates.length === 0) return null;
    for (const c of candidates) {
      let ok = false;
      try {
        ok = certSignedBy(crl, c.cert);
      } catch (e) {
        if (e instanceof AlgError) refuse('trust.crl-weak-algorithm', `The CRL from "${crl.issuer}" is signed with an algorithm below the CNSA floor: ${e.message}`);
        throw e;
      }
      if (ok) {
        if (c.cert.keyUsage && !c.cert.keyUsage.has(KU.cRLSign))
          refuse('trust.crl-bad-signature', `"${c.cert.subject}" signed this CRL but lacks keyUsage cRLSign.`);
        return c.fingerprint;
      }
    }
    return refuse(
      'trust.crl-bad-signature',
      `The CRL names issuer "${crl.issuer}", but its signature does not verify with the key of the installed certificate of that name. It may be forged; get the CRL from the issuer again.`,
    );
  }

  /** Anchors and known intermediates whose subject is `issuerRaw` (and whose SKI matches the AKI, when both are present). */
  private issuerCandidates(issuerRaw: Uint8Array, aki: string | null): { fingerprint: string; cert: Cert }[] {
    const rows = this.repo.issuers();
    // Name match decides whether the store "knows" the issuer; the key id narrows to the right key,
    // but a name match with a foreign key id still counts as known (so a CRL under a copied name is refused).
    return rows.filter((r) => sameBytes(r.subject_raw, issuerRaw)).map((r) => ({ fingerprint: r.fingerprint, cert: parseCertificate(new Uint8Array(r.der)) }))
      .sort((a, b) => Number(b.cert.ski === aki) - Number(a.cert.ski === aki));
  }

  /** A stored unverified CRL, now that its issuer is known: does its signature verify? */
  private storedStillVerifies(prev: CrlRow, _next: Crl, aki: string | null): boolean {
    const old = parseCrl(new Uint8Array(prev.der));
    return this.issuerCandidates(old.issuerRaw, aki).some((c) => {
      try {
        return certSignedBy(old, c.cert);
      } catch {
        return false;
      }
    });
  }

  // ---------------------------------------------------------------- intermediates

  /**
   * Remember CA certificates from an accepted bundle's signature that chain
   * (by signature) to an installed anchor or an already-known intermediate,
   * so later CRLs from them are verified at import. Returns how many were new.
   */
  recordIntermediates(ders: readonly Uint8Array[]): number {
    let pool: Cert[] = [];
    for (const d of ders) {
      try {
        const c = parseCertificate(d);
        if (c.ca && !c.selfIssued) pool.push(c);
      } catch {
        /* not ours to judge: the verifier already accepted the bundle */
      }
    }
    const issuers: Cert[] = this.repo.issuers().map((r) => parseCertificate(new Uint8Array(r.der)));
    const at = this.now().toISOString();
    let added = 0;
    let progress = true;
    while (progress && pool.length) {
      progress = false;
      const rest: Cert[] = [];
      for (const c of pool) {
        const parent = issuers.find((p) => {
          if (!sameBytes(p.subjectRaw, c.issuerRaw)) return false;
          try {
            return certSignedBy(c, p);
          } catch {
            return false;
          }
        });
        if (!parent) {
          rest.push(c);
          continue;
        }
        if (this.repo.insertIntermediate({ fingerprint: fingerprint(c.der), der: c.der, subject: c.subject, subject_raw: c.subjectRaw, ski: c.ski ?? null, added_at: at })) added++;
        issuers.push(c);
        progress = true;
      }
      pool = rest;
    }
    return added;
  }

  // ---------------------------------------------------------------- lab id

  setLabId(id: string, opts: { actor?: string } = {}): void {
    const v = id.trim();
    if (!isLabId(v)) throw new AirlockError('trust.bad-lab-id', LAB_ID_RULE, { labId: v.slice(0, 140) });
    const prev = this.labId();
    this.vault.transaction(() => {
      this.repo.setLabId(v);
      this.vault.audit.append({ actor: opts.actor, action: 'trust.lab-id-set', target: v, outcome: 'success', detail: { labId: v, previous: prev ?? null } });
    });
  }

  labId(): string | undefined {
    return this.repo.labId();
  }

  // ---------------------------------------------------------------- queries

  list(): TrustList {
    const at = this.now();
    const crlRows = this.repo.crls();
    const anchors = this.repo.anchors().map((r) => this.anchorInfo(r, at, crlRows));
    const intermediates = this.repo.intermediates().map((r) => ({ fingerprint: r.fingerprint, subject: r.subject, addedAt: r.added_at }));
    return { at: at.toISOString(), labId: this.labId() ?? null, anchors, crls: crlRows.map((r) => this.crlInfo(r, at)), intermediates };
  }

  /** Anchors, CRLs and lab id in the shape the verifier takes. */
  verifyOptions(): TrustVerifyOptions {
    const anchors = this.repo.anchors().map((r) => ({
      certificate: new Uint8Array(r.der),
      types: parseTypes(r.types),
      label: r.label,
    }));
    const crls = this.repo.crls().map((r) => new Uint8Array(r.der));
    const labId = this.labId();
    return { anchors, crls, ...(labId !== undefined ? { labId } : {}) };
  }

  // ---------------------------------------------------------------- helpers

  private crlInfo(r: CrlRow, at: Date): CrlInfo {
    const t = at.getTime();
    return {
      issuer: r.issuer,
      aki: r.aki,
      number: r.crl_number,
      thisUpdate: r.this_update,
      nextUpdate: r.next_update,
      fresh: Date.parse(r.this_update) <= t && r.next_update !== null && t < Date.parse(r.next_update),
      sha256: r.sha256,
      verifiedBy: r.verified_by,
      addedAt: r.added_at,
    };
  }

  private anchorInfo(r: AnchorRow, at: Date, crlRows?: CrlRow[]): AnchorInfo {
    const rows = crlRows ?? this.repo.crls();
    const crl = rows.find((c) => sameBytes(c.issuer_raw, r.subject_raw) && (c.aki === null || r.ski === null || c.aki === r.ski));
    return {
      fingerprint: r.fingerprint,
      label: r.label,
      subject: r.subject,
      serialNumber: r.serial,
      notBefore: r.not_before,
      notAfter: r.not_after,
      keyAlgorithm: r.key_algorithm,
      types: parseTypes(r.types),
      addedAt: r.added_at,
      addedBy: r.added_by,
      expired: at.getTime() >= Date.parse(r.not_after),
      crl: crl ? this.crlInfo(crl, at) : null,
    };
  }
}
