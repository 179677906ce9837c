import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MigrationError } from './migration-error.ts';

/** One folder of prisma/migrations: `NNNN_name/migration.sql`, applied in name order. */
export interface MigrationFile {
  name: string;
  sql: string;
  /** sha256 of the file, hex — what Prisma stores in `_prisma_migrations.checksum`. */
  checksum: string;
}

/** prisma/migrations at the repository root (this file is packages/db/src/migrations/). */
export const defaultMigrationsDirectory = fileURLToPath(new URL('../../../../prisma/migrations/', import.meta.url));

const migrationFolderPattern = /^\d{4}_[a-z0-9_]+$/;

export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/**
 * Whether `sql` is the script that was applied with `checksum`. As in Prisma, a checkout that only changed line
 * endings (git autocrlf on Windows) still matches.
 */
export function checksumMatches(sql: string, checksum: string): boolean {
  const unix = sql.replace(/\r\n/g, '\n');
  return [sql, unix, unix.replace(/\n/g, '\r\n')].some((variant) => migrationChecksum(variant) === checksum);
}

export async function loadMigrationFiles(directory: string = defaultMigrationsDirectory): Promise<MigrationFile[]> {
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    throw new MigrationError('MIGRATIONS_DIRECTORY_INVALID', `Cannot read the migrations directory ${directory}.`, {}, { cause: error });
  }
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrations: MigrationFile[] = [];
  for (const name of names) {
    if (!migrationFolderPattern.test(name)) {
      throw new MigrationError(
        'MIGRATIONS_DIRECTORY_INVALID',
        `Migration folder "${name}" must be named NNNN_snake_case_name (e.g. 0002_add_products).`,
        { migrationName: name },
      );
    }
    let sql: string;
    try {
      sql = await readFile(join(directory, name, 'migration.sql'), 'utf8');
    } catch (error) {
      throw new MigrationError(
        'MIGRATIONS_DIRECTORY_INVALID',
        `Migration folder "${name}" has no migration.sql.`,
        { migrationName: name },
        { cause: error },
      );
    }
    migrations.push({ name, sql, checksum: migrationChecksum(sql) });
  }
  return migrations;
}
