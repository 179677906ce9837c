import type { Database } from '../database.ts';
import { loadMigrationFiles } from './migration-files.ts';

/**
 * Names of the migrations on disk that the database has not applied yet (all of them on an empty database).
 * Read-only and lock-free: services that leave migrating to another deployable poll it until it is empty.
 */
export async function pendingMigrations(database: Database, options: { migrationsDirectory?: string } = {}): Promise<string[]> {
  const migrations = await loadMigrationFiles(options.migrationsDirectory);
  const [{ exists }] = await database.prisma.$queryRaw<[{ exists: boolean }]>`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS "exists"`;
  if (!exists) return migrations.map((migration) => migration.name);
  const applied = await database.prisma.$queryRaw<{ migration_name: string }[]>`
    SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  const names = new Set(applied.map((row) => row.migration_name));
  return migrations.filter((migration) => !names.has(migration.name)).map((migration) => migration.name);
}
