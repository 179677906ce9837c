import type { PGlite } from '@electric-sql/pglite';
import type { Pool } from 'pg';
import type { Database } from './database.ts';

/**
 * The driver under a Database, kept out of its public shape: only the migration runner and the test helper need
 * raw, multi-statement SQL and session-level locks, which Prisma's client does not offer.
 */
export type SqlDriver = { kind: 'postgres'; pool: Pool } | { kind: 'pglite'; pglite: PGlite };

const drivers = new WeakMap<Database, SqlDriver>();

export function attachSqlDriver(database: Database, driver: SqlDriver): void {
  drivers.set(database, driver);
}

export function sqlDriverOf(database: Database): SqlDriver {
  const driver = drivers.get(database);
  if (!driver) throw new Error('This Database was not created by openDatabase(); it has no SQL driver attached.');
  return driver;
}
