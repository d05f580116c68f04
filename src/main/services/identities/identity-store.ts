/**
 * The vault keystore: identities (a certificate, its chain and a private key
 * sealed under the holder's own password) that approvals, signatures and the
 * model-access credential use. Certificates and chains are clear columns of
 * the encrypted vault DB; the PKCS#8 key is sealed (seal.ts) and stored in
 * that DB too, so it is under both the vault key and the holder's password.
 * The key never leaves this module except as a KeyObject from unseal();
 * every import, refusal, password change and failed unseal is audited.
 */
import crypto from 'node:crypto';
import { AirlockError, isAirlockError } from '../../../shared/errors';
import {
  AlgError,
  CrlIndex,
  KU,
  WorkBudget,
  checkKeyFloor,
  findPath,
  keyDescription,
  parseAnchors,
  parseCertificate,
  parseCrl,
  type Cert,
  type Crl,
} from '../pki';
import { TrustStore } from '../trust';
import type { Vault } from '../vault';
import { readCertificates, readPkcs12, readPrivateKey, type IdentityMaterial } from './read';
import { IDENTITY_SCRYPT, seal, unsealBytes, type SealKdf } from './seal';

export type IdentityStatus = 'valid' | 'expired' | 'not-yet-valid' | 'revoked' | 'not-chained';
export type IdentityPurpose = 'credential-decryption' | 'signing';

export interface IdentityInfo {
  /** SHA-256 fingerprint of the certificate DER (lowercase hex). */
  id: string;
  subject: string;
  issuer: string;
  serial: string;
  /** pki keyDescription, e.g. "ECDSA P-384", "RSA 3072". */
  keyType: string;
  notBefore: string;
  notAfter: string;
  purposes: IdentityPurpose[];
  status: IdentityStatus;
  /** Why the status is not `valid` (names the certificate or CRL), or why revocation could not be checked; absent otherwise. */
  statusReason?: string;
  /** Certificates imported with it (issuers), count. */
  chainLength: number;
  source: 'pkcs12' | 'pem';
  addedAt: string;
  addedBy: string;
  passwordChangedAt: string | null;
}

export interface IdentityList {
  /** Trusted clock time the statuses were computed at. */
  at: string;
  identities: IdentityInfo[];
}

export type IdentityInput =
  | { kind: 'pkcs12'; bytes: Uint8Array; password: string; source?: string }
  | { kind: 'pem'; key: Uint8Array; certificate: Uint8Array; chain?: Uint8Array; password: string; source?: string };

export interface IdentityStoreOptions {
  /** scrypt parameters for new seals (tests use small ones; production IDENTITY_SCRYPT). */
  kdf?: Partial<SealKdf>;
}

interface Row {
  id: string;
  certificate: Uint8Array;
  subject: string;
  issuer: string;
  serial: string;
  key_type: string;
  not_before: string;
  not_after: string;
  source: 'pkcs12' | 'pem';
  sealed_key: Buffer;
  kdf_salt: Buffer;
  kdf_n: number;
  kdf_r: number;
  kdf_p: number;
  added_at: string;
  added_by: string;
  password_changed_at: string | null;
}

/** keyUsage keyAgreement bit (RFC 5280 §4.2.1.3); pki's KU lists only the bits the verifier checks. */
const KU_KEY_AGREEMENT = 4;

/** What the key can do for later features: decrypt the model-access credential (CMS EnvelopedData), sign approvals. */
export function purposesOf(cert: Cert): IdentityPurpose[] {
  const ku = cert.keyUsage;
  const has = (bit: number) => !ku || ku.has(bit); // no keyUsage extension: any use (RFC 5280)
  const out: IdentityPurpose[] = [];
  const t = cert.publicKey?.asymmetricKeyType;
  if ((t === 'rsa' && has(KU.keyEncipherment)) || (t === 'ec' && has(KU_KEY_AGREEMENT))) out.push('credential-decryption');
  if (has(KU.digitalSignature) || (ku?.has(KU.nonRepudiation) ?? false)) out.push('signing');
  return out;
}

function sameKey(a: crypto.KeyObject, b: crypto.KeyObject): boolean {
  const da = a.export({ type: 'spki', format: 'der' });
  const db = b.export({ type: 'spki', format: 'der' });
  return da.length === db.length && crypto.timingSafeEqual(da, db);
}

export class IdentityStore {
  private readonly kdf: SealKdf;

  constructor(
    private readonly vault: Vault,
    opts: IdentityStoreOptions = {},
  ) {
    this.kdf = { ...IDENTITY_SCRYPT, ...opts.kdf };
  }

  /**
   * Import an identity; returns it as list() shows it. Refusals throw
   * AirlockError (identity.* codes) and are audited with their code.
   */
  async import(input: IdentityInput): Promise<IdentityInfo> {
    const source = input.source ?? (input.kind === 'pkcs12' ? 'PKCS#12 file' : 'PEM key');
    try {
      if (!input.password)
        throw new AirlockError(
          'identity.empty-password',
          'The identity needs a password: its private key is sealed under it, and you enter it whenever you act as this identity. Export the PKCS#12 file with a password (or give one for the PEM key).',
        );
      const m = this.read(input);
      try {
        return await this.store(m, input.password, input.kind);
      } finally {
        // the KeyObject's memory is owned by OpenSSL; dropping the reference is all JS can do
        (m as { key?: crypto.KeyObject }).key = undefined;
      }
    } catch (e) {
      this.vault.audit.append({
        action: 'identity.import-refused',
        target: source,
        outcome: 'failure',
        detail: { code: isAirlockError(e) ? e.code : 'internal', reason: (e as Error).message },
      });
      throw e;
    }
  }

  private read(input: IdentityInput): IdentityMaterial {
    if (input.kind === 'pkcs12') return readPkcs12(input.bytes, input.password);
    const key = readPrivateKey(input.key, input.password);
    const certificates = [...readCertificates(input.certificate, 'the certificate file'), ...(input.chain ? readCertificates(input.chain, 'the chain file') : [])];
    return { key, certificates };
  }

  private async store(m: IdentityMaterial, password: string, kind: 'pkcs12' | 'pem'): Promise<IdentityInfo> {
    if (m.certificates.length === 0)
      throw new AirlockError('identity.no-certificate', 'The file holds a private key but no certificate. Include the certificate (PKCS#12 -in CERT, or --cert FILE for a PEM key).');
    const certs: Cert[] = m.certificates.map((der, i) => {
      try {
        return parseCertificate(der);
      } catch (e) {
        throw new AirlockError('identity.malformed', `Certificate ${i + 1} of the identity is malformed: ${(e as Error).message}.`, { certificate: i + 1 });
      }
    });
    const pub = crypto.createPublicKey(m.key);
    const leaf = certs.find((c) => c.publicKey && sameKey(c.publicKey, pub));
    if (!leaf) {
      const names = certs.map((c) => `"${c.subject}"`).join(', ');
      throw new AirlockError(
        'identity.key-mismatch',
        `The private key (${keyDescription(pub)}) does not belong to any certificate given (${names}). Give the certificate issued for this key.`,
        { certificates: certs.length },
      );
    }
    try {
      checkKeyFloor(pub, `The identity "${leaf.subject}"`);
    } catch (e) {
      if (e instanceof AlgError) throw new AirlockError('identity.weak-key', `${e.message} Ask your CA for a certificate on a P-384 or RSA-3072 key.`, { subject: leaf.subject, keyType: keyDescription(pub) });
      throw e;
    }
    if (leaf.ca)
      throw new AirlockError('identity.ca-certificate', `"${leaf.subject}" is a CA certificate (cA=TRUE); an identity is a person's or the lab's end-entity certificate.`, { subject: leaf.subject });
    const db = this.vault.db;
    if (db.prepare('SELECT 1 FROM identities WHERE id = ?').get(leaf.id))
      throw new AirlockError('identity.duplicate', `The identity "${leaf.subject}" (${leaf.id}) is already in the vault. Use "identity list" to see it.`, { id: leaf.id });

    const pkcs8 = m.key.export({ type: 'pkcs8', format: 'der' });
    let sealed;
    try {
      sealed = await seal(leaf.id, pkcs8, password, this.kdf);
    } finally {
      pkcs8.fill(0);
    }
    const chain = certs.filter((c) => c !== leaf);
    const now = this.vault.clock.now().toISOString();
    const actor = this.vault.operatorName;
    db.transaction(() => {
      db.prepare(
        `INSERT INTO identities (id, certificate, subject, issuer, serial, key_type, not_before, not_after, source, sealed_key, kdf_salt, kdf_n, kdf_r, kdf_p, added_at, added_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        leaf.id,
        Buffer.from(leaf.der),
        leaf.subject,
        leaf.issuer,
        leaf.serialHex,
        keyDescription(pub),
        leaf.notBefore.toISOString(),
        leaf.notAfter.toISOString(),
        kind,
        sealed.blob,
        sealed.salt,
        sealed.kdf.N,
        sealed.kdf.r,
        sealed.kdf.p,
        now,
        actor,
      );
      const ins = db.prepare('INSERT INTO identity_chain (identity_id, position, der) VALUES (?, ?, ?)');
      chain.forEach((c, i) => ins.run(leaf.id, i, Buffer.from(c.der)));
      this.vault.audit.append({
        action: 'identity.imported',
        target: leaf.id,
        outcome: 'success',
        detail: { subject: leaf.subject, issuer: leaf.issuer, serial: leaf.serialHex, keyType: keyDescription(pub), source: kind, chain: chain.length },
      });
    })();
    return this.info(leaf.id);
  }

  /** Every identity with its status at the vault's trusted clock. */
  list(): IdentityList {
    const at = this.vault.clock.now();
    const rows = this.vault.db.prepare<[], Row>('SELECT * FROM identities ORDER BY subject, id').all();
    const ctx = this.trustContext();
    return { at: at.toISOString(), identities: rows.map((r) => this.toInfo(r, at, ctx)) };
  }

  info(id: string): IdentityInfo {
    return this.toInfo(this.row(id), this.vault.clock.now(), this.trustContext());
  }

  /** The certificate (DER) and chain of an identity, for signers and CMS recipients. */
  certificates(id: string): { certificate: Uint8Array; chain: Uint8Array[] } {
    const r = this.row(id);
    return { certificate: new Uint8Array(r.certificate), chain: this.chainDer(id) };
  }

  /**
   * The private key of `id`, unsealed with the holder's password, as a Node
   * KeyObject (the PKCS#8 bytes are zeroed before this returns). A wrong
   * password throws identity.bad-password and is audited.
   */
  async unseal(id: string, password: string): Promise<crypto.KeyObject> {
    const r = this.row(id);
    const der = await this.open(r, password, 'identity.unseal-failed');
    try {
      return crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } finally {
      der.fill(0);
    }
  }

  /** Re-seal the key of `id` under a new password (fresh salt and nonce). */
  async changePassword(id: string, oldPassword: string, newPassword: string): Promise<void> {
    const r = this.row(id);
    if (!newPassword) {
      this.vault.audit.append({ action: 'identity.password-change-failed', target: id, outcome: 'failure', detail: { code: 'identity.empty-password' } });
      throw new AirlockError('identity.empty-password', 'The new password is empty. Choose a password to seal this identity under.', { id });
    }
    const der = await this.open(r, oldPassword, 'identity.password-change-failed');
    let sealed;
    try {
      sealed = await seal(id, der, newPassword, this.kdf);
    } finally {
      der.fill(0);
    }
    const db = this.vault.db;
    db.transaction(() => {
      db.prepare('UPDATE identities SET sealed_key = ?, kdf_salt = ?, kdf_n = ?, kdf_r = ?, kdf_p = ?, password_changed_at = ? WHERE id = ?').run(
        sealed.blob,
        sealed.salt,
        sealed.kdf.N,
        sealed.kdf.r,
        sealed.kdf.p,
        this.vault.clock.now().toISOString(),
        id,
      );
      this.vault.audit.append({ action: 'identity.password-changed', target: id, outcome: 'success', detail: { subject: r.subject } });
    })();
  }

  // ---------------------------------------------------------------- helpers

  private async open(r: Row, password: string, failAction: string): Promise<Buffer> {
    try {
      return await unsealBytes(r.id, { blob: r.sealed_key, salt: r.kdf_salt, kdf: { N: r.kdf_n, r: r.kdf_r, p: r.kdf_p } }, password);
    } catch (e) {
      this.vault.audit.append({ action: failAction, target: r.id, outcome: 'failure', detail: { code: isAirlockError(e) ? e.code : 'internal', subject: r.subject } });
      throw e;
    }
  }

  private row(id: string): Row {
    const norm = id.trim().toLowerCase().replace(/:/g, '');
    const r = this.vault.db.prepare<[string], Row>('SELECT * FROM identities WHERE id = ?').get(norm);
    if (!r) throw new AirlockError('identity.not-found', `No identity has id ${norm}. Run "airlock identity list" to see the identities in this vault.`, { id: norm });
    return r;
  }

  private chainDer(id: string): Uint8Array[] {
    return this.vault.db
      .prepare<[string], { der: Uint8Array }>('SELECT der FROM identity_chain WHERE identity_id = ? ORDER BY position')
      .all(id)
      .map((c) => new Uint8Array(c.der));
  }

  private trustContext(): { anchors: ReturnType<typeof parseAnchors>; crls: CrlIndex } {
    const opts = new TrustStore(this.vault).verifyOptions();
    const crls: Crl[] = [];
    for (const der of opts.crls) {
      try {
        crls.push(parseCrl(der));
      } catch {
        // the trust store checked it at import; an unreadable one cannot revoke anything
      }
    }
    return { anchors: parseAnchors(opts.anchors), crls: new CrlIndex(crls) };
  }

  private toInfo(r: Row, at: Date, ctx: { anchors: ReturnType<typeof parseAnchors>; crls: CrlIndex }): IdentityInfo {
    const leaf = parseCertificate(r.certificate);
    const chain = this.chainDer(r.id).flatMap((d) => {
      try {
        return [parseCertificate(d)];
      } catch {
        return [];
      }
    });
    const { status, reason } = identityStatus(leaf, chain, at, ctx);
    return {
      id: r.id,
      subject: r.subject,
      issuer: r.issuer,
      serial: r.serial,
      keyType: r.key_type,
      notBefore: r.not_before,
      notAfter: r.not_after,
      purposes: purposesOf(leaf),
      status,
      ...(reason ? { statusReason: reason } : {}),
      chainLength: chain.length,
      source: r.source,
      addedAt: r.added_at,
      addedBy: r.added_by,
      passwordChangedAt: r.password_changed_at,
    };
  }
}

/**
 * Status at `at`: revoked (by a CRL in the vault, on a path to an anchor)
 * before expired / not-yet-valid, then not-chained (no valid path to an
 * anchor bound to `result`), else valid. Signer key-usage checks are not
 * part of it: a decryption-only identity is still chained.
 */
export function identityStatus(
  leaf: Cert,
  chain: readonly Cert[],
  at: Date,
  ctx: { anchors: ReturnType<typeof parseAnchors>; crls: CrlIndex },
): { status: IdentityStatus; reason?: string } {
  const v = findPath(leaf, { anchors: ctx.anchors, intermediates: chain.filter((c) => c.ca && !c.selfIssued) /* a root that came with the file is never trusted, only an installed anchor is */, crls: ctx.crls, at, requireCrls: false, bundleType: 'result', work: new WorkBudget() });
  if (v.revocation && 'code' in v.revocation && v.revocation.code === 'revocation.revoked') return { status: 'revoked', reason: v.revocation.reason };
  if (at >= leaf.notAfter) return { status: 'expired', reason: `The certificate expired at ${leaf.notAfter.toISOString()}.` };
  if (at < leaf.notBefore) return { status: 'not-yet-valid', reason: `The certificate is not valid until ${leaf.notBefore.toISOString()}.` };
  const resultAnchor = v.anchor && (v.anchor.types === 'any' || v.anchor.types.includes('result'));
  if (!v.path || !resultAnchor) {
    if (v.anchor && !resultAnchor)
      return {
        status: 'not-chained',
        reason: `It chains only to "${v.anchor.cert.subject}", an anchor not bound to result bundles. Install the lab root as an anchor for "result" bundles.`,
      };
    return { status: 'not-chained', reason: v.chain?.reason ?? 'No path to an installed trust anchor. Install the lab root, or import the identity with its chain.' };
  }
  const failure = v.chain ?? v.algorithms;
  if (failure) return { status: 'not-chained', reason: failure.reason };
  // a stale or unusable CRL is not a revocation: say so rather than call the identity unchained
  if (v.revocation && 'code' in v.revocation) return { status: 'valid', reason: `Revocation could not be checked: ${v.revocation.reason}` };
  return { status: 'valid' };
}
