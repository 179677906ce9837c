// Rough figures for docs: how long a test database takes to create, and a simple insert on PGlite vs PostgreSQL.
//   npx tsx scripts/db-benchmark.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase, openDatabase } from '../packages/db/src/index.ts';
import type { Database } from '../packages/db/src/index.ts';
import { createTestDatabase } from '@app/db/testing';

const inserts = 500;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

async function insertLatency(database: Database): Promise<{ medianMs: number; p95Ms: number }> {
  const business = await database.prisma.business.create({ data: { name: 'Bench' } });
  const samples: number[] = [];
  for (let index = 0; index < inserts; index++) {
    const [, elapsed] = await timed(() =>
      database.prisma.systemEvent.create({
        data: { businessId: business.id, severity: 'INFO', source: 'bench', event: 'bench.insert', message: `#${index}` },
      }),
    );
    samples.push(elapsed);
  }
  samples.sort((a, b) => a - b);
  const at = (quantile: number) => Number((samples[Math.floor(quantile * (samples.length - 1))] ?? 0).toFixed(2));
  return { medianMs: at(0.5), p95Ms: at(0.95) };
}

const [first, firstMs] = await timed(() => createTestDatabase());
const clones: number[] = [];
for (let index = 0; index < 5; index++) {
  const [database, elapsed] = await timed(() => createTestDatabase());
  clones.push(elapsed);
  await database.drop();
}
console.log(
  `createTestDatabase: first in this process ${firstMs.toFixed(0)} ms (template check/build + clone), ` +
    `then ${clones.map((ms) => ms.toFixed(0)).join(', ')} ms`,
);
console.log('PostgreSQL insert', await insertLatency(first));
await first.drop();

const [pglite, pgliteOpenMs] = await timed(async () => {
  const database = await openDatabase();
  await migrateDatabase(database);
  return database;
});
console.log(`PGlite (in memory) open + migrate: ${pgliteOpenMs.toFixed(0)} ms`);
console.log('PGlite (in memory) insert', await insertLatency(pglite));
await pglite.close();

const dataDir = await mkdtemp(join(tmpdir(), 'pglite-bench-'));
const [onDisk, onDiskOpenMs] = await timed(async () => {
  const database = await openDatabase({ dataDir });
  await migrateDatabase(database);
  return database;
});
console.log(`PGlite (dataDir) open + migrate: ${onDiskOpenMs.toFixed(0)} ms`);
console.log('PGlite (dataDir) insert', await insertLatency(onDisk));
await onDisk.close();
await rm(dataDir, { recursive: true, force: true });

const [empty, emptyMs] = await timed(() => createTestDatabase({ migrated: false }));
const [, migrateMs] = await timed(() => migrateDatabase(empty));
console.log(`PostgreSQL: empty database ${emptyMs.toFixed(0)} ms + migrate ${migrateMs.toFixed(0)} ms (what the template saves)`);
await empty.drop();
