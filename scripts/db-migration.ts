// Produces migration SQL from prisma/schema.prisma offline, with Prisma's WebAssembly schema engine
// (see docs/adr/0002-offline-migrations.md).
//
//   npm run db:migration                   regenerate prisma/migrations/0001_init (only while it is the only one)
//   npm run db:migration -- --name add_x   append NNNN_add_x: the diff from the existing migrations to the schema
//   npm run db:migration -- --check        exit 1 when the migrations do not produce the schema (CI drift check)
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultMigrationsDirectory, loadMigrationFiles } from '../packages/db/src/migrations/migration-files.ts';
import { diffSchemaToSql, migrationLockFile } from '../packages/db/src/migrations/schema-diff.ts';

const schemaPath = new URL('../prisma/schema.prisma', import.meta.url).pathname;
const migrationsDirectory = defaultMigrationsDirectory;
const initialMigrationName = '0001_init';

const { values } = parseArgs({ options: { name: { type: 'string' }, check: { type: 'boolean', default: false } } });

async function main(): Promise<number> {
  await mkdir(migrationsDirectory, { recursive: true });
  const migrations = await loadMigrationFiles(migrationsDirectory);

  if (values.check) {
    const drift = await diffSchemaToSql({ schemaPath, from: { migrationsDirectory, migrations } });
    if (drift === '') {
      console.log(`Migrations are up to date with ${schemaPath}.`);
      return 0;
    }
    console.error(`prisma/migrations does not produce the schema; missing SQL:\n\n${drift}`);
    return 1;
  }

  if (values.name !== undefined) {
    if (!/^[a-z0-9_]+$/.test(values.name)) throw new Error('--name must be snake_case (a-z, 0-9, _).');
    const sql = await diffSchemaToSql({ schemaPath, from: { migrationsDirectory, migrations } });
    if (sql === '') {
      console.log('The schema matches the migrations: nothing to write.');
      return 0;
    }
    const number = String(migrations.length + 1).padStart(4, '0');
    return writeMigration(`${number}_${values.name}`, sql);
  }

  const later = migrations.filter((migration) => migration.name !== initialMigrationName);
  if (later.length > 0) {
    throw new Error(
      `Refusing to rewrite ${initialMigrationName}: later migrations exist (${later.map((m) => m.name).join(', ')}). ` +
        'Add a new one with `npm run db:migration -- --name <what_changed>`.',
    );
  }
  return writeMigration(initialMigrationName, await diffSchemaToSql({ schemaPath }));
}

async function writeMigration(name: string, sql: string): Promise<number> {
  const folder = join(migrationsDirectory, name);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'migration.sql'), sql);
  await writeFile(join(migrationsDirectory, 'migration_lock.toml'), migrationLockFile);
  console.log(`Wrote ${join(folder, 'migration.sql')} (${sql.split('\n').length} lines).`);
  return 0;
}

process.exitCode = await main();
