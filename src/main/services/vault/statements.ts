/**
 * Typed, cached prepared statements for repositories: a statement is prepared
 * once per repository (one per vault session) with its bind parameters and
 * row type declared where the SQL is written, so no caller casts a row.
 */
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import type { Database } from './migrations/types';

export type Statement<P, R> = P extends unknown[] ? BetterSqlite3.Statement<P, R> : BetterSqlite3.Statement<[P], R>;

export class Statements {
  private readonly cache = new Map<string, unknown>();

  constructor(private readonly db: () => Database) {}

  /** `P`: positional parameters as a tuple, or one object for named (@name) parameters; `R`: the row. */
  prepare<P extends unknown[] | object = [], R = never>(sql: string): Statement<P, R> {
    let s = this.cache.get(sql);
    if (!s) this.cache.set(sql, (s = this.db().prepare(sql)));
    return s as Statement<P, R>;
  }
}
