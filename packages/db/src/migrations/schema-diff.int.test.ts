import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultMigrationsDirectory, loadMigrationFiles } from './migration-files.ts';
import { diffSchemaToSql } from './schema-diff.ts';

const schemaPath = fileURLToPath(new URL('../../../../prisma/schema.prisma', import.meta.url));

// Replays prisma/migrations on a shadow PGlite with Prisma's wasm schema engine and diffs it against the schema:
// a schema edit without `npm run db:migration` fails here.
describe('prisma/migrations', () => {
  it('produce exactly prisma/schema.prisma', async () => {
    const migrations = await loadMigrationFiles();

    const missing = await diffSchemaToSql({ schemaPath, from: { migrationsDirectory: defaultMigrationsDirectory, migrations } });

    expect(missing, 'run `npm run db:migration` after editing prisma/schema.prisma').toBe('');
  }, 120_000);

  it('diffed from an empty database, yield the tables with their composite tenant keys', async () => {
    const sql = await diffSchemaToSql({ schemaPath });
    expect(sql).toContain('CREATE TABLE "message"');
    expect(sql).toContain('FOREIGN KEY ("conversationId", "businessId") REFERENCES "conversation"("id", "businessId")');
  }, 120_000);
});
