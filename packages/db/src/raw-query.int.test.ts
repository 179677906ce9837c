import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from './generated/prisma/client.ts';
import { preparedSql } from './messages/message-status-sql.ts';
import { executeRawFast, queryRawFast } from './raw-query.ts';
import { createTestDatabase, type TestDatabase } from '../testing/create-test-database.ts';

describe('queryRawFast / executeRawFast (hot raw SQL straight on the pg pool)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  const sample = (label: string) => Prisma.sql`${preparedSql}
    SELECT ${label}::text AS label, gen_random_uuid()::text AS "id", 41 + 1 AS "answer", TRUE AS "yes",
           ${JSON.stringify({ nested: [1, 'two'] })}::jsonb AS "payload", ${['a', 'b']}::text[] AS "list", NULL::text AS "nothing"`;

  it('returns what $queryRaw returns for text, uuid, integer, boolean, jsonb, arrays and nulls, repeatedly as a prepared statement', async () => {
    const viaPrisma = await database.prisma.$queryRaw<Record<string, unknown>[]>(sample('one'));
    for (const label of ['one', 'two', 'three']) {
      const [row] = await queryRawFast<Record<string, unknown>>(database.prisma, sample(label));
      expect(row).toEqual({ ...viaPrisma[0], label, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(row).toMatchObject({ answer: 42, yes: true, payload: { nested: [1, 'two'] }, list: ['a', 'b'], nothing: null });
    }
  });

  it('runs inside an interactive transaction through that transaction (rolled back with it)', async () => {
    await database.prisma.$executeRawUnsafe('CREATE TABLE raw_query_probe (value text)');
    await expect(
      database.prisma.$transaction(async (tx) => {
        await executeRawFast(tx, Prisma.sql`INSERT INTO raw_query_probe (value) VALUES (${'rolled back'})`);
        const inside = await queryRawFast<{ count: number }>(tx, Prisma.sql`SELECT count(*)::integer AS count FROM raw_query_probe`);
        expect(inside[0]!.count).toBe(1);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await executeRawFast(database.prisma, Prisma.sql`INSERT INTO raw_query_probe (value) VALUES (${'kept'})`);
    const rows = await queryRawFast<{ value: string }>(database.prisma, Prisma.sql`SELECT value FROM raw_query_probe`);
    expect(rows).toEqual([{ value: 'kept' }]);
  });

  it('surfaces PostgreSQL errors with their SQLSTATE code', async () => {
    await database.prisma.$executeRawUnsafe('CREATE TABLE raw_query_unique (value text PRIMARY KEY)');
    const insert = () => executeRawFast(database.prisma, Prisma.sql`${preparedSql} INSERT INTO raw_query_unique (value) VALUES (${'same'})`);
    await insert();
    await expect(insert()).rejects.toMatchObject({ code: '23505' });
  });
});
