import type { PGlite, Transaction as PgliteTransaction } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';
import type { SqlDriver } from '../sql-driver.ts';
import { MigrationError } from './migration-error.ts';

/** The few operations the migration runner needs, over either driver. */
export interface MigrationConnection {
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a multi-statement script. */
  execute(script: string): Promise<void>;
  inTransaction<T>(work: (connection: MigrationConnection) => Promise<T>): Promise<T>;
}

/**
 * Prisma's own migrate lock key, so this runner and `prisma migrate deploy` never run over each other.
 * See prisma-engines: schema-engine/connectors/sql-schema-connector (postgres advisory lock 72707369).
 */
const advisoryLockKey = 72707369;

/** Runs `work` holding the database-wide migration lock: one runner at a time, across replicas. */
export async function withMigrationLock<T>(
  driver: SqlDriver,
  lockTimeoutMs: number,
  work: (connection: MigrationConnection) => Promise<T>,
): Promise<T> {
  return driver.kind === 'postgres' ? withPostgresLock(driver.pool, lockTimeoutMs, work) : withPgliteLock(driver.pglite, work);
}

async function withPostgresLock<T>(pool: Pool, lockTimeoutMs: number, work: (connection: MigrationConnection) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let unusable: Error | undefined;
  try {
    await acquireAdvisoryLock(client, lockTimeoutMs);
    try {
      return await work(postgresConnection(client));
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [advisoryLockKey]).catch((error: unknown) => {
        // The connection broke: the server releases a session lock with its session, and the pool drops the client.
        unusable = error instanceof Error ? error : new Error(String(error));
      });
    }
  } finally {
    client.release(unusable);
  }
}

// Session-level lock on one dedicated connection: held across the per-migration transactions.
async function acquireAdvisoryLock(client: PoolClient, lockTimeoutMs: number): Promise<void> {
  await client.query(`SET lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [advisoryLockKey]);
  } catch (error) {
    if ((error as { code?: string }).code !== '55P03') throw error;
    throw new MigrationError(
      'MIGRATION_LOCK_TIMEOUT',
      `Another process has been migrating this database for more than ${lockTimeoutMs} ms (advisory lock ${advisoryLockKey}).`,
      {},
      { cause: error },
    );
  } finally {
    await client.query('RESET lock_timeout');
  }
}

function postgresConnection(client: PoolClient): MigrationConnection {
  const connection: MigrationConnection = {
    query: async <Row>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as Row[],
    // No parameters: pg uses the simple query protocol, which accepts several statements.
    execute: async (script) => void (await client.query(script)),
    inTransaction: async (work) => {
      await client.query('BEGIN');
      try {
        const result = await work(connection);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  };
  return connection;
}

// PGlite is a single in-process connection: a per-instance promise chain is the lock.
const pgliteLocks = new WeakMap<PGlite, Promise<unknown>>();

async function withPgliteLock<T>(pglite: PGlite, work: (connection: MigrationConnection) => Promise<T>): Promise<T> {
  const previous = pgliteLocks.get(pglite) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => work(pgliteConnection(pglite)));
  pgliteLocks.set(pglite, run);
  return run;
}

function pgliteConnection(pglite: PGlite | PgliteTransaction): MigrationConnection {
  return {
    query: async <Row>(sql: string, params: unknown[] = []) => (await pglite.query<Row>(sql, params)).rows,
    execute: async (script) => void (await pglite.exec(script)),
    inTransaction: async (work) => {
      if (!('transaction' in pglite)) throw new Error('Nested migration transactions are not supported.');
      return pglite.transaction((transaction) => work(pgliteConnection(transaction)));
    },
  };
}
