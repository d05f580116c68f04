import type { Migration } from './types';
import m001 from './001-core';
import m002 from './002-trust-and-intake';
import m003 from './003-blob-binding';
import m004 from './004-identities';
// New migrations: add one import above and its name to the list below.

export type { Migration, Database } from './types';

/** Every schema migration the app knows, ordered by version (validated below). */
export const MIGRATIONS: Migration[] = checkMigrations([
  m001,
  m002,
  m003,
  m004,
]);

function checkMigrations(list: Migration[]): Migration[] {
  const sorted = [...list].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`vault migrations must be numbered 1..n without gaps; found ${m.version} at position ${i + 1}`);
  });
  return sorted;
}

export const LATEST_SCHEMA_VERSION = (): number => MIGRATIONS.length;
