import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../database.ts';
import { openDatabase } from '../open-database.ts';
import type { TestDatabase } from '../../testing/create-test-database.ts';
import { createTestDatabase } from '../../testing/create-test-database.ts';
import { migrateDatabase } from './migrate-database.ts';
import { MigrationError } from './migration-error.ts';
import { defaultMigrationsDirectory } from './migration-files.ts';

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  applied_steps_count: number;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emptyPostgres(): Promise<TestDatabase> {
  const database = await createTestDatabase({ migrated: false });
  cleanups.push(database.drop);
  return database;
}

/** Every migration the project ships, in order: what a fresh database gets. */
const projectMigrations = (await readdir(defaultMigrationsDirectory, { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** A directory holding only the initial migration, that a test may extend or corrupt. */
async function migrationsCopy(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'migrations-'));
  await cp(join(defaultMigrationsDirectory, '0001_init'), join(directory, '0001_init'), { recursive: true });
  await cp(join(defaultMigrationsDirectory, 'migration_lock.toml'), join(directory, 'migration_lock.toml'));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

async function addMigration(directory: string, name: string, sql: string): Promise<void> {
  await mkdir(join(directory, name));
  await writeFile(join(directory, name, 'migration.sql'), sql);
}

function history(database: Database): Promise<HistoryRow[]> {
  return database.prisma.$queryRawUnsafe<HistoryRow[]>(
    'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
  );
}

async function tableExists(database: Database, table: string): Promise<boolean> {
  const rows = await database.prisma.$queryRawUnsafe<Array<{ exists: boolean }>>('SELECT to_regclass($1) IS NOT NULL AS "exists"', table);
  return rows[0]?.exists ?? false;
}

describe('migrateDatabase on PostgreSQL', () => {
  it('applies the initial migration to an empty database and records it as Prisma does', async () => {
    const database = await emptyPostgres();

    expect(await migrateDatabase(database)).toEqual({ applied: projectMigrations });

    expect(await tableExists(database, 'public.message')).toBe(true);
    const [row] = await history(database);
    expect(row).toMatchObject({ migration_name: '0001_init', applied_steps_count: 1 });
    expect(row?.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.finished_at).toBeInstanceOf(Date);
  });

  it('does nothing when run again', async () => {
    const database = await emptyPostgres();
    await migrateDatabase(database);

    expect(await migrateDatabase(database)).toEqual({ applied: [] });
    expect(await history(database)).toHaveLength(projectMigrations.length);
  });

  it('applies each migration once when two replicas migrate the same database at the same time', async () => {
    const database = await emptyPostgres();
    const replica = await openDatabase({ url: database.url, poolSize: 2 });
    cleanups.push(() => replica.close());

    const results = await Promise.all([migrateDatabase(database), migrateDatabase(replica)]);

    expect(results.flatMap((result) => result.applied)).toEqual(projectMigrations);
    expect(await history(database)).toHaveLength(projectMigrations.length);
  });

  it('applies later numbered folders in order after the ones already applied', async () => {
    const database = await emptyPostgres();
    const directory = await migrationsCopy();
    await migrateDatabase(database, { migrationsDirectory: directory });
    await addMigration(directory, '0003_add_index', 'CREATE INDEX "note_body_idx" ON "note" ("body");');
    await addMigration(directory, '0002_add_note', 'CREATE TABLE "note" ("body" TEXT NOT NULL);');

    expect(await migrateDatabase(database, { migrationsDirectory: directory })).toEqual({ applied: ['0002_add_note', '0003_add_index'] });
    expect((await history(database)).map((row) => row.migration_name)).toEqual(['0001_init', '0002_add_note', '0003_add_index']);
  });

  it('refuses to run when an applied migration was edited afterwards', async () => {
    const database = await emptyPostgres();
    const directory = await migrationsCopy();
    await migrateDatabase(database, { migrationsDirectory: directory });
    await writeFile(join(directory, '0001_init', 'migration.sql'), '-- edited\n', { flag: 'a' });

    const failure = migrateDatabase(database, { migrationsDirectory: directory });

    await expect(failure).rejects.toBeInstanceOf(MigrationError);
    await expect(failure).rejects.toMatchObject({ code: 'MIGRATION_CHECKSUM_MISMATCH', details: { migrationName: '0001_init' } });
  });

  it('rolls a failing migration back completely and reports which one failed', async () => {
    const database = await emptyPostgres();
    const directory = await migrationsCopy();
    await migrateDatabase(database, { migrationsDirectory: directory });
    await addMigration(directory, '0002_broken', 'CREATE TABLE "half_done" ("id" INT);\nSELECT 1 / 0;');

    await expect(migrateDatabase(database, { migrationsDirectory: directory })).rejects.toMatchObject({
      code: 'MIGRATION_FAILED',
      details: { migrationName: '0002_broken' },
    });
    expect(await tableExists(database, 'public.half_done')).toBe(false);
    expect((await history(database)).map((row) => row.migration_name)).toEqual(['0001_init']);
  });

  it('accepts an applied migration whose file only changed line endings (a Windows checkout)', async () => {
    const database = await emptyPostgres();
    const directory = await migrationsCopy();
    await migrateDatabase(database, { migrationsDirectory: directory });
    const file = join(directory, '0001_init', 'migration.sql');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/\n/g, '\r\n'));

    expect(await migrateDatabase(database, { migrationsDirectory: directory })).toEqual({ applied: [] });
  });

  it('gives up with a clear error when another process holds the migration lock too long', async () => {
    const database = await emptyPostgres();
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query('SELECT pg_advisory_lock(72707369)');

    await expect(migrateDatabase(database, { lockTimeoutMs: 200 })).rejects.toMatchObject({ code: 'MIGRATION_LOCK_TIMEOUT' });

    await holder.query('SELECT pg_advisory_unlock(72707369)');
    expect(await migrateDatabase(database, { lockTimeoutMs: 200 })).toEqual({ applied: projectMigrations });
  });

  it('stops at a migration the Prisma CLI left unfinished', async () => {
    const database = await emptyPostgres();
    await migrateDatabase(database);
    await database.prisma.$executeRawUnsafe(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ('00000000-0000-0000-0000-000000000001', 'x', '0002_crashed')`,
    );

    await expect(migrateDatabase(database)).rejects.toMatchObject({ code: 'MIGRATION_LEFT_UNFINISHED', details: { migrationName: '0002_crashed' } });
  });
});

describe('migrateDatabase on PGlite', () => {
  const directories: string[] = [];
  afterAll(async () => {
    for (const directory of directories) await rm(directory, { recursive: true, force: true });
  });

  it('migrates a fresh data directory, keeps the schema across restarts and does nothing the second time', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pglite-'));
    directories.push(dataDir);
    const first = await openDatabase({ dataDir });
    expect(first.kind).toBe('pglite');
    expect(await migrateDatabase(first)).toEqual({ applied: projectMigrations });
    await first.prisma.business.create({ data: { name: 'Persisted' } });
    await first.close();

    const reopened = await openDatabase({ dataDir });
    try {
      expect(await migrateDatabase(reopened)).toEqual({ applied: [] });
      expect(await history(reopened)).toHaveLength(projectMigrations.length);
      expect(await reopened.prisma.business.findMany({ select: { name: true } })).toEqual([{ name: 'Persisted' }]);
    } finally {
      await reopened.close();
    }
  }, 90_000); // two PGlite start-ups: seconds each on a loaded machine

  it('applies once when migrated twice at the same time in one process', async () => {
    const database = await openDatabase();
    try {
      const results = await Promise.all([migrateDatabase(database), migrateDatabase(database)]);
      expect(results.flatMap((result) => result.applied)).toEqual(projectMigrations);
    } finally {
      await database.close();
    }
  }, 60_000);
});
