import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../../src/main/services/vault/index';
import { FAST, PASS, newVaultDir } from './helpers';

async function vaultWithRecords(n: number) {
  const dir = newVaultDir();
  const v = await Vault.create(dir, PASS, FAST);
  for (let i = 0; i < n; i++) v.audit.append({ action: 'test.event', target: `t${i}`, outcome: i % 3 ? 'success' : 'failure', detail: { i, nested: { b: 2, a: [1, 'x'] } } });
  return { dir, v };
}

/** Tampering needs the append-only triggers out of the way (an attacker with the key can do this). */
function dropGuards(v: Vault) {
  v.db.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
}

describe('audit trail', () => {
  it('appends hash-chained records and verifies; list pages newest first', async () => {
    const { v } = await vaultWithRecords(25);
    const r = v.audit.verify();
    expect(r).toEqual({ ok: true, records: 26 });
    const page1 = v.audit.list({ limit: 10 });
    expect(page1.map((x) => x.seq)).toEqual([26, 25, 24, 23, 22, 21, 20, 19, 18, 17]);
    const page2 = v.audit.list({ limit: 10, before: 17 });
    expect(page2[0]!.seq).toBe(16);
    const rec = v.audit.list({ limit: 1 })[0]!;
    expect(rec).toMatchObject({ actor: 'tester', action: 'test.event', target: 't24', detail: { i: 24, nested: { a: [1, 'x'], b: 2 } } });
    expect(rec.prevHash).toBe(v.audit.list({ limit: 1, before: 26 })[0]!.hash);
    expect(rec.hash).toMatch(/^[0-9a-f]{96}$/);
    expect(v.audit.append({ actor: 'alice', action: 'x.y', outcome: 'success' }).actor).toBe('alice');
    v.lock();
  });

  it('the DB refuses UPDATE/DELETE on audit in normal operation', async () => {
    const { v } = await vaultWithRecords(2);
    expect(() => v.db.prepare("UPDATE audit SET actor='x' WHERE seq=2").run()).toThrow(/append-only/);
    expect(() => v.db.prepare('DELETE FROM audit WHERE seq=2').run()).toThrow(/append-only/);
    v.lock();
  });

  it('names the first modified record (any field)', async () => {
    for (const [col, val] of [['actor', "'mallory'"], ['detail', `'{"i":7}'`], ['outcome', "CASE outcome WHEN 'success' THEN 'failure' ELSE 'success' END"], ['time', "'2001-01-01T00:00:00.000Z'"]] as const) {
      const { v } = await vaultWithRecords(12);
      dropGuards(v);
      v.db.prepare(`UPDATE audit SET ${col} = ${val} WHERE seq = 7`).run();
      const r = v.audit.verify();
      expect(r.ok, col).toBe(false);
      expect(r.firstBroken, col).toEqual({ seq: 7, reason: expect.stringMatching(/modified/) });
      expect(r.records).toBe(6);
      v.lock();
    }
  });

  it('detects a record modified together with its own hash (breaks the next link)', async () => {
    const { v } = await vaultWithRecords(10);
    dropGuards(v);
    v.db.prepare("UPDATE audit SET actor='mallory', hash = ? WHERE seq = 4").run('ab'.repeat(48));
    expect(v.audit.verify().firstBroken?.seq).toBe(4);
    v.lock();
  });

  it('names a deleted record', async () => {
    const { v } = await vaultWithRecords(10);
    dropGuards(v);
    v.db.prepare('DELETE FROM audit WHERE seq = 5').run();
    const r = v.audit.verify();
    expect(r).toMatchObject({ ok: false, records: 4, firstBroken: { seq: 5, reason: expect.stringMatching(/missing/) } });
    v.lock();
  });

  it('detects reordering (renumbered records)', async () => {
    const { v } = await vaultWithRecords(10);
    dropGuards(v);
    v.transaction(() => {
      v.db.prepare('UPDATE audit SET seq = -1 WHERE seq = 3').run();
      v.db.prepare('UPDATE audit SET seq = 3 WHERE seq = 4').run();
      v.db.prepare('UPDATE audit SET seq = 4 WHERE seq = -1').run();
    });
    expect(v.audit.verify().firstBroken?.seq).toBe(3);
    v.lock();
  });

  it('detects a truncated tail using the MAC-protected audit-head sidecar', async () => {
    const { dir, v } = await vaultWithRecords(10);
    v.lock(); // writes audit-head.json (head = vault.locked record, seq 12)
    const v2 = await Vault.unlock(dir, PASS, FAST);
    dropGuards(v2);
    v2.db.prepare('DELETE FROM audit WHERE seq >= 10').run();
    const r = v2.audit.verify();
    expect(r.ok).toBe(false);
    expect(r.firstBroken).toEqual({ seq: 10, reason: expect.stringMatching(/truncated/) });
    // Forged sidecar is detected too.
    const hp = path.join(dir, 'audit-head.json');
    const head = JSON.parse(fs.readFileSync(hp, 'utf8'));
    head.seq = 3;
    fs.writeFileSync(hp, JSON.stringify(head));
    expect(v2.audit.verify().firstBroken?.reason).toMatch(/authentication/);
    v2.lock();
  });

  it('check() combines integrity and chain, records lastCheck and a vault.check event', async () => {
    const { dir, v } = await vaultWithRecords(3);
    const c = v.check();
    expect(c).toMatchObject({ ok: true, integrity: 'ok', records: 4 });
    expect(v.status().lastCheck).toMatchObject({ ok: true, records: 4 });
    expect(v.audit.list({ limit: 1 })[0]).toMatchObject({ action: 'vault.check', outcome: 'success' });
    dropGuards(v);
    v.db.prepare("UPDATE audit SET target='zzz' WHERE seq = 2").run();
    const bad = v.check();
    expect(bad).toMatchObject({ ok: false, integrity: 'ok', firstBroken: { seq: 2 } });
    expect(v.audit.list({ limit: 1 })[0]).toMatchObject({ action: 'vault.check', outcome: 'failure', detail: { brokenSeq: 2 } });
    v.lock();
    const v2 = await Vault.unlock(dir, PASS, FAST);
    expect(v2.status().lastCheck?.ok).toBe(false);
    v2.lock();
  });
});
