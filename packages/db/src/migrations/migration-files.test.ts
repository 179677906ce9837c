import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checksumMatches, loadMigrationFiles, migrationChecksum } from './migration-files.ts';

const directories: string[] = [];
afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

async function migrationsDirectory(folders: Record<string, string | null>): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'migration-files-'));
  directories.push(directory);
  for (const [name, sql] of Object.entries(folders)) {
    await mkdir(join(directory, name));
    if (sql !== null) await writeFile(join(directory, name, 'migration.sql'), sql);
  }
  await writeFile(join(directory, 'migration_lock.toml'), 'provider = "postgresql"\n');
  return directory;
}

describe('loadMigrationFiles', () => {
  it('returns the folders in name order with the sha256 Prisma stores', async () => {
    const directory = await migrationsDirectory({ '0002_second': 'SELECT 2;\n', '0001_init': 'SELECT 1;\n' });

    const migrations = await loadMigrationFiles(directory);

    expect(migrations.map((migration) => migration.name)).toEqual(['0001_init', '0002_second']);
    // `printf 'SELECT 1;\n' | sha256sum`
    expect(migrations[0]?.checksum).toBe('b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd');
  });

  it('refuses folders that are not NNNN_snake_case or have no migration.sql', async () => {
    await expect(loadMigrationFiles(await migrationsDirectory({ '20240101_Init': 'SELECT 1;' }))).rejects.toMatchObject({
      code: 'MIGRATIONS_DIRECTORY_INVALID',
    });
    await expect(loadMigrationFiles(await migrationsDirectory({ '0001_init': null }))).rejects.toMatchObject({
      code: 'MIGRATIONS_DIRECTORY_INVALID',
      details: { migrationName: '0001_init' },
    });
  });

  it('reports a missing directory as invalid', async () => {
    await expect(loadMigrationFiles(join(tmpdir(), 'no-such-migrations-directory'))).rejects.toMatchObject({
      code: 'MIGRATIONS_DIRECTORY_INVALID',
    });
  });
});

describe('checksumMatches', () => {
  const unix = 'CREATE TABLE a ();\nCREATE TABLE b ();\n';

  it('matches the same script whatever its line endings', () => {
    expect(checksumMatches(unix, migrationChecksum(unix))).toBe(true);
    expect(checksumMatches(unix.replace(/\n/g, '\r\n'), migrationChecksum(unix))).toBe(true);
    expect(checksumMatches(unix, migrationChecksum(unix.replace(/\n/g, '\r\n')))).toBe(true);
  });

  it('does not match an edited script', () => {
    expect(checksumMatches(`${unix}-- edited\n`, migrationChecksum(unix))).toBe(false);
  });
});
