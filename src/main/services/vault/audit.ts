import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { VaultContext } from './context';
import { atomicWriteFileSync } from './fsutil';

export type AuditOutcome = 'success' | 'failure';
export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

export interface AuditEntry {
  /** Defaults to the vault's operator (given at create), else the OS user name. */
  actor?: string;
  /** Dotted action, e.g. 'vault.unlocked', 'bundle.imported'. */
  action: string;
  target?: string | null;
  outcome: AuditOutcome;
  detail?: Record<string, JsonValue | undefined>;
}

export interface AuditRecord {
  seq: number;
  time: string;
  actor: string;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  detail: Record<string, JsonValue>;
  prevHash: string;
  hash: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  records: number;
  firstBroken?: { seq: number; reason: string };
}

export const AUDIT_HEAD_NAME = 'audit-head.json';

/** Canonical JSON: object keys sorted, no whitespace, undefined dropped. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new TypeError('non-finite number in audit detail');
    return JSON.stringify(v) ?? 'null';
  }
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x === undefined ? null : x)).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

interface Row {
  seq: number;
  time: string;
  actor: string;
  action: string;
  target: string | null;
  outcome: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

export function recordHash(r: Omit<Row, 'hash'>): string {
  const enc = JSON.stringify(['airlock-audit-v1', r.seq, r.time, r.actor, r.action, r.target, r.outcome, r.detail, r.prev_hash]);
  return crypto.createHash('sha384').update(enc, 'utf8').digest('hex');
}

export function genesisHash(vaultId: string): string {
  return crypto.createHash('sha384').update(`airlock-audit-genesis\0${vaultId}`, 'utf8').digest('hex');
}

/**
 * Hash-chained, append-only audit trail inside the encrypted DB.
 *
 * Tail truncation: the DB cannot vouch for its own last record, so the head
 * (last seq + hash) is also written to the sidecar file `audit-head.json`,
 * HMAC-SHA-384'd with a key derived from the data key. It is refreshed on
 * lock(), after check() and at create (not on every append, to avoid an extra
 * fsync per record), so it may lag behind the DB but must never be ahead of
 * it: verify() reports a DB whose chain ends before the recorded head.
 */
export class AuditLog {
  constructor(private readonly ctx: VaultContext) {}

  append(e: AuditEntry): AuditRecord {
    if (!e.action || typeof e.action !== 'string') throw new TypeError('audit action required');
    if (e.outcome !== 'success' && e.outcome !== 'failure') throw new TypeError('audit outcome must be success|failure');
    const db = this.ctx.db();
    const tx = db.transaction((): AuditRecord => {
      const last = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get();
      const base: Omit<Row, 'hash'> = {
        seq: (last?.seq ?? 0) + 1,
        time: this.ctx.now().toISOString(),
        actor: e.actor ?? this.ctx.defaultActor(),
        action: e.action,
        target: e.target ?? null,
        outcome: e.outcome,
        detail: canonicalJson(e.detail ?? {}),
        prev_hash: last?.hash ?? genesisHash(this.ctx.vaultId),
      };
      const hash = recordHash(base);
      db.prepare(
        'INSERT INTO audit (seq, time, actor, action, target, outcome, detail, prev_hash, hash) VALUES (@seq, @time, @actor, @action, @target, @outcome, @detail, @prev_hash, @hash)',
      ).run({ ...base, hash });
      return toRecord({ ...base, hash });
    });
    return tx.immediate();
  }

  /** Newest first. `before`: only records with seq < before. */
  list(opts: { limit?: number; before?: number } = {}): AuditRecord[] {
    const db = this.ctx.db();
    const limit = Math.max(1, Math.min(opts.limit ?? 100, 10_000));
    const rows = db
      .prepare<[number, number], Row>('SELECT * FROM audit WHERE seq < ? ORDER BY seq DESC LIMIT ?')
      .all(opts.before ?? Number.MAX_SAFE_INTEGER, limit);
    return rows.map(toRecord);
  }

  head(): { seq: number; hash: string } | undefined {
    return this.ctx.db().prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get();
  }

  verify(): AuditVerifyResult {
    const db = this.ctx.db();
    let expected = 1;
    let prev = genesisHash(this.ctx.vaultId);
    let records = 0;
    const broken = (seq: number, reason: string): AuditVerifyResult => ({ ok: false, records, firstBroken: { seq, reason } });
    for (const r of db.prepare<[], Row>('SELECT * FROM audit ORDER BY seq').iterate()) {
      if (r.seq !== expected) {
        return r.seq > expected
          ? broken(expected, `record ${expected}${r.seq - expected > 1 ? `–${r.seq - 1}` : ''} missing (deleted); the chain continues at ${r.seq}`)
          : broken(r.seq, `sequence out of order at ${r.seq}`);
      }
      if (r.prev_hash !== prev) return broken(r.seq, `chain broken: prev_hash does not match record ${r.seq - 1} (records removed, inserted or reordered)`);
      const h = recordHash(r);
      if (h !== r.hash) return broken(r.seq, 'record modified: its content does not match its hash');
      prev = r.hash;
      records++;
      expected++;
    }
    const head = this.readHeadSidecar();
    if (head === 'invalid') return broken(expected, `${AUDIT_HEAD_NAME} fails authentication (replaced or damaged)`);
    if (head) {
      if (head.seq >= expected) return broken(expected, `tail truncated: the trail ends at ${expected - 1} but record ${head.seq} was recorded earlier`);
      const at = db.prepare<[number], { hash: string }>('SELECT hash FROM audit WHERE seq = ?').get(head.seq);
      if (!at || at.hash !== head.hash) return broken(head.seq, `record ${head.seq} differs from the recorded audit head (rewritten history)`);
    }
    return { ok: true, records };
  }

  private headMac(seq: number, hash: string): string {
    return crypto.createHmac('sha384', this.ctx.key('audit-head')).update(`${this.ctx.vaultId}\0${seq}\0${hash}`).digest('hex');
  }

  /** Persist the current head to the MAC'd sidecar (durably). */
  writeHeadSidecar(): void {
    const h = this.head();
    if (!h) return;
    const body = { vaultId: this.ctx.vaultId, seq: h.seq, hash: h.hash, mac: this.headMac(h.seq, h.hash) };
    atomicWriteFileSync(path.join(this.ctx.dir, AUDIT_HEAD_NAME), JSON.stringify(body) + '\n');
  }

  private readHeadSidecar(): { seq: number; hash: string } | 'invalid' | undefined {
    let text: string;
    try {
      text = fs.readFileSync(path.join(this.ctx.dir, AUDIT_HEAD_NAME), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const v = JSON.parse(text) as { vaultId: string; seq: number; hash: string; mac: string };
      const ok =
        v.vaultId === this.ctx.vaultId &&
        Number.isInteger(v.seq) &&
        typeof v.hash === 'string' &&
        typeof v.mac === 'string' &&
        v.mac.length === 96 &&
        crypto.timingSafeEqual(Buffer.from(v.mac, 'hex'), Buffer.from(this.headMac(v.seq, v.hash), 'hex'));
      return ok ? { seq: v.seq, hash: v.hash } : 'invalid';
    } catch {
      return 'invalid';
    }
  }
}

function toRecord(r: Row): AuditRecord {
  let detail: Record<string, JsonValue>;
  try {
    detail = JSON.parse(r.detail) as Record<string, JsonValue>;
  } catch {
    detail = { _unparseable: r.detail };
  }
  return {
    seq: r.seq,
    time: r.time,
    actor: r.actor,
    action: r.action,
    target: r.target,
    outcome: r.outcome as AuditOutcome,
    detail,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
