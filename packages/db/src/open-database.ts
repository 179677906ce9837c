import { mkdir } from 'node:fs/promises';
import { createPglite } from './pglite-extensions.ts';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { Database } from './database.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import { attachRawPool } from './raw-query.ts';
import { attachSqlDriver } from './sql-driver.ts';
import { preparedStatementName } from './messages/prepared-statement.ts';

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string. Wins over `dataDir` when both are given. */
  url?: string;
  /** Directory of the embedded PGlite database (created if missing). Without url or dataDir: in-memory PGlite. */
  dataDir?: string;
  /** Connections per process on PostgreSQL. Each replica holds its own pool, so keep replicas × poolSize under max_connections. */
  poolSize?: number;
}

const defaultPoolSize = 10;

/** Opens PostgreSQL (url) or embedded PGlite (dataDir, or in memory). Does not migrate: call migrateDatabase(). */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.poolSize ?? defaultPoolSize);
  return openPglite(options.dataDir);
}

function openPostgres(url: string, poolSize: number): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client that loses its server (restart, failover) emits here; without a listener the process would crash.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { statementNameGenerator: preparedStatementName }) });
  let closing: Promise<void> | undefined;
  const database: Database = {
    prisma,
    kind: 'postgres',
    close: () => (closing ??= prisma.$disconnect().then(() => pool.end())),
  };
  attachSqlDriver(database, { kind: 'postgres', pool });
  attachRawPool(prisma, pool);
  return database;
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const pglite = await createPglite(dataDir);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  let closing: Promise<void> | undefined;
  const database: Database = {
    prisma,
    kind: 'pglite',
    close: () => (closing ??= prisma.$disconnect().then(() => pglite.close())),
  };
  attachSqlDriver(database, { kind: 'pglite', pglite });
  return database;
}
