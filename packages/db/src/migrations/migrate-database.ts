import { randomUUID } from 'node:crypto';
import type { Database } from '../database.ts';
import { sqlDriverOf } from '../sql-driver.ts';
import type { MigrationConnection } from './migration-connection.ts';
import { withMigrationLock } from './migration-connection.ts';
import { MigrationError } from './migration-error.ts';
import type { MigrationFile } from './migration-files.ts';
import { checksumMatches, loadMigrationFiles } from './migration-files.ts';

export interface MigrateDatabaseOptions {
  /** Defaults to prisma/migrations at the repository root. */
  migrationsDirectory?: string;
  /** How long to wait for another replica's migration run before giving up (PostgreSQL). Default 5 minutes. */
  lockTimeoutMs?: number;
}

export interface MigrateDatabaseResult {
  /** Names of the migrations this call applied, in order; empty when the database was up to date. */
  applied: string[];
}

// The same table the Prisma CLI keeps, column for column, so `prisma migrate status` reads our history.
const createHistoryTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies the pending migrations in name order, each in its own transaction together with its history row, under
 * a database-wide lock: replicas that start together apply each migration once, and a re-run is a no-op.
 */
export async function migrateDatabase(database: Database, options: MigrateDatabaseOptions = {}): Promise<MigrateDatabaseResult> {
  const migrations = await loadMigrationFiles(options.migrationsDirectory);
  return withMigrationLock(sqlDriverOf(database), options.lockTimeoutMs ?? 300_000, async (connection) => {
    await connection.execute(createHistoryTable);
    const history = await connection.query<HistoryRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const pending = pendingMigrations(migrations, history);
    for (const migration of pending) await applyMigration(connection, migration);
    return { applied: pending.map((migration) => migration.name) };
  });
}

function pendingMigrations(migrations: MigrationFile[], history: HistoryRow[]): MigrationFile[] {
  const unfinished = history.find((row) => row.finished_at === null);
  if (unfinished) {
    throw new MigrationError(
      'MIGRATION_LEFT_UNFINISHED',
      `Migration ${unfinished.migration_name} started but never finished. Inspect the database, then mark it with ` +
        '`prisma migrate resolve --rolled-back` or `--applied` before migrating again.',
      { migrationName: unfinished.migration_name },
    );
  }
  const appliedChecksums = new Map(history.map((row) => [row.migration_name, row.checksum]));
  const pending: MigrationFile[] = [];
  for (const migration of migrations) {
    const appliedChecksum = appliedChecksums.get(migration.name);
    if (appliedChecksum === undefined) {
      pending.push(migration);
    } else if (!checksumMatches(migration.sql, appliedChecksum)) {
      throw new MigrationError(
        'MIGRATION_CHECKSUM_MISMATCH',
        `Migration ${migration.name} was modified after it was applied (checksum ${appliedChecksum} in the database, ` +
          `${migration.checksum} on disk). Restore the original file and add a new migration instead.`,
        { migrationName: migration.name },
      );
    }
  }
  // Applied migrations missing on disk are tolerated: an older replica may start during a rolling upgrade.
  return pending;
}

async function applyMigration(connection: MigrationConnection, migration: MigrationFile): Promise<void> {
  try {
    await connection.inTransaction(async (transaction) => {
      await transaction.execute(migration.sql);
      await transaction.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(
      'MIGRATION_FAILED',
      `Migration ${migration.name} failed and was rolled back: ${reason}`,
      { migrationName: migration.name },
      { cause: error },
    );
  }
}
