import { AirlockError } from '../../../../shared/errors';
import type { Database, Migration } from './types';

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every migration newer than the DB's user_version, each in its own
 * transaction together with the user_version bump (both or neither persist).
 * Refuses a DB newer than `migrations` knows.
 */
export function applyMigrations(db: Database, migrations: readonly Migration[]): { from: number; to: number } {
  const from = schemaVersion(db);
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  if (from > latest) {
    throw new AirlockError(
      'vault.schema-newer',
      `This vault was written by a newer version of Airlock (schema ${from}; this version knows up to ${latest}). Update Airlock to open it; the vault was not changed.`,
      { schemaVersion: from, supported: latest },
    );
  }
  for (const m of migrations) {
    if (m.version <= from) continue;
    const step = db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version | 0}`);
    });
    try {
      step.immediate();
    } catch (e) {
      if (e instanceof AirlockError) throw e;
      throw new AirlockError(
        'vault.migration-failed',
        `Upgrading the vault schema to version ${m.version} (${m.name}) failed: ${(e as Error).message}. The vault was left at version ${schemaVersion(db)}; report this to your administrator.`,
        { version: m.version, name: m.name },
      );
    }
  }
  return { from, to: schemaVersion(db) };
}
