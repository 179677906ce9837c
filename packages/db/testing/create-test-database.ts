import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../src/database.ts';
import { migrateDatabase } from '../src/migrations/migrate-database.ts';
import { loadMigrationFiles, migrationChecksum } from '../src/migrations/migration-files.ts';
import { openDatabase } from '../src/open-database.ts';
import { testDatabaseBaseUrl } from './config.ts';

export type TestDatabase = Database & {
  /** Connection string of this test database (for code under test that opens its own connections). */
  url: string;
  /** Closes the client and drops the database. Call it in afterAll. */
  drop(): Promise<void>;
};

const testDatabasePrefix = 'app_test_';
const templatePrefix = 'app_template_';
// Test databases left behind by crashed runs are dropped once they are this old.
const abandonedAfterMs = 6 * 60 * 60 * 1000;
const testPoolSize = 4;

let template: Promise<string> | undefined;

export interface CreateTestDatabaseOptions {
  /** false: an empty database (no tables, no migration history), for testing migrations themselves. */
  migrated?: boolean;
}

/**
 * A fresh, migrated PostgreSQL database of its own. Migrations run once per migration set into a template
 * database; each test database is a `CREATE DATABASE … TEMPLATE` copy of it (tens of milliseconds).
 */
export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const baseUrl = testDatabaseBaseUrl();
  const name = `${testDatabasePrefix}${Date.now()}_${randomBytes(4).toString('hex')}`;
  if (options.migrated === false) {
    await withAdminClient(baseUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  } else {
    await cloneTemplate(baseUrl, name);
  }
  const url = withDatabaseName(baseUrl, name);
  const database = await openDatabase({ url, poolSize: testPoolSize });
  let dropping: Promise<void> | undefined;
  const drop = () =>
    (dropping ??= database
      .close()
      .then(() => withAdminClient(baseUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined)));
  return Object.assign(database, { url, drop });
}

async function cloneTemplate(baseUrl: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    template ??= ensureTemplate(baseUrl);
    const templateName = await template.catch((error: unknown) => {
      template = undefined;
      throw error;
    });
    try {
      await withAdminClient(baseUrl, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName}"`));
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      // 3D000: the template vanished (another run replaced it); 55006: someone is connected to it right now.
      if (attempt >= 5 || (code !== '3D000' && code !== '55006')) throw error;
      if (code === '3D000') template = undefined;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/** Builds the template for the current migrations once, whichever worker gets there first. */
async function ensureTemplate(baseUrl: string): Promise<string> {
  const migrations = await loadMigrationFiles();
  const fingerprint = migrationChecksum(migrations.map((migration) => `${migration.name}:${migration.checksum}`).join('\n'));
  const templateName = `${templatePrefix}${fingerprint.slice(0, 16)}`;
  return withAdminClient(baseUrl, async (client) => {
    // Advisory locks are per database: every worker connects to the same base database, so this serialises them.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [templatePrefix]);
    try {
      const existing = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${templatePrefix}%`]);
      if (existing.rows.some((row) => row.datname === templateName)) return templateName;
      // Built under another name and renamed when complete: a crash mid-build never leaves a half-migrated template.
      const buildName = `${templateName}_build`;
      await client.query(`DROP DATABASE IF EXISTS "${buildName}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${buildName}"`);
      const database = await openDatabase({ url: withDatabaseName(baseUrl, buildName), poolSize: 1 });
      try {
        await migrateDatabase(database);
      } finally {
        await database.close();
      }
      await client.query(`ALTER DATABASE "${buildName}" RENAME TO "${templateName}"`);
      await dropOutdated(
        client,
        existing.rows.map((row) => row.datname),
      );
      return templateName;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [templatePrefix]);
    }
  });
}

async function dropOutdated(client: pg.Client, oldTemplates: string[]): Promise<void> {
  const abandoned = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${testDatabasePrefix}%`]);
  const cutoff = Date.now() - abandonedAfterMs;
  const stale = abandoned.rows.map((row) => row.datname).filter((name) => Number(name.slice(testDatabasePrefix.length).split('_')[0]) < cutoff);
  for (const name of [...oldTemplates, ...stale]) {
    // Best effort: a database still in use elsewhere is left for the next cleanup.
    await client.query(`DROP DATABASE IF EXISTS "${name}"`).catch(() => undefined);
  }
}

async function withAdminClient<T>(baseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function withDatabaseName(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
