import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';

export type Database = BetterSqlite3.Database;

export interface Migration {
  /** 1, 2, 3… contiguous; recorded in PRAGMA user_version once applied. */
  version: number;
  name: string;
  /** Runs inside its own transaction; throw to abort (nothing of it is kept). */
  up(db: Database): void;
}
