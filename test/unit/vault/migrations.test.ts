import crypto from 'node:crypto';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, Vault, type Migration } from '../../../src/main/services/vault/index';
import { applyMigrations, schemaVersion } from '../../../src/main/services/vault/migrations/runner';
import { FAST, PASS, chunks, expectCode, newVaultDir } from './helpers';

describe('migrations', () => {
  it('are numbered 1..n', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it.each(MIGRATIONS.map((_, i) => i + 1))('a vault created at schema %i migrates to latest with data intact', async (k) => {
    const dir = newVaultDir();
    const old = await Vault.create(dir, PASS, { ...FAST, migrations: MIGRATIONS.slice(0, k) });
    expect(old.status().schemaVersion).toBe(k);
    old.audit.append({ action: 'test.before-migration', outcome: 'success', detail: { k } });
    const blob = crypto.randomBytes(100_000);
    const { sha384 } = await old.blobs.put(chunks(blob));
    old.lock();
    const v = await Vault.unlock(dir, PASS, FAST);
    expect(v.status().schemaVersion).toBe(MIGRATIONS.length);
    expect(v.audit.list({ limit: 50 }).some((r) => r.action === 'test.before-migration' && r.detail.k === k)).toBe(true);
    expect((await v.blobs.readAll(sha384)).equals(blob)).toBe(true);
    expect(v.check()).toMatchObject({ ok: true, integrity: 'ok' });
    v.lock();
  });

  it('applies each migration in its own transaction; a failing one leaves the previous version', () => {
    const db = new BetterSqlite3(':memory:');
    const good: Migration = { version: 1, name: 'a', up: (d) => d.exec('CREATE TABLE a (x)') };
    const bad: Migration = {
      version: 2,
      name: 'b',
      up: (d) => {
        d.exec('CREATE TABLE b (x)');
        throw new Error('boom');
      },
    };
    const e = (() => {
      try {
        applyMigrations(db, [good, bad]);
      } catch (err) {
        return err as { code: string };
      }
      return undefined;
    })();
    expect(e?.code).toBe('vault.migration-failed');
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type='table'").pluck().all()).toEqual(['a']);
    db.close();
  });

  it('refuses a vault whose schema is newer than this app knows, without changing it', async () => {
    const dir = newVaultDir();
    const v = await Vault.create(dir, PASS, FAST);
    v.db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    v.lock();
    const err = await expectCode(Vault.unlock(dir, PASS, FAST), 'vault.schema-newer');
    expect(err.message).toMatch(/newer version of Airlock/);
    // Still at the newer version (nothing was downgraded or written).
    const again = await expectCode(Vault.unlock(dir, PASS, FAST), 'vault.schema-newer');
    expect(again.detail).toMatchObject({ schemaVersion: MIGRATIONS.length + 5 });
    expect(path.basename(dir)).toBe('v');
  });
});
