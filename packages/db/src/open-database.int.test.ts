import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database.ts';
import { migrateDatabase } from './migrations/migrate-database.ts';
import { openDatabase } from './open-database.ts';
import { createTestDatabase } from '../testing/create-test-database.ts';

// The same Prisma calls must round-trip identically through both adapters: Json, String[], enums, BigInt, dates.
async function roundTrip(database: Database) {
  const business = await database.prisma.business.create({ data: { name: 'Round trip' } });
  const instance = await database.prisma.instance.create({ data: { businessId: business.id, provider: 'META', name: 'Main' } });
  const contact = await database.prisma.contact.create({
    data: { businessId: business.id, phone: '+15550002', customFields: { tier: 'gold', visits: 3 } },
  });
  const conversation = await database.prisma.conversation.create({
    data: { businessId: business.id, instanceId: instance.id, contactId: contact.id },
  });
  const content = { kind: 'location', latitude: -34.6, longitude: -58.4, name: 'Café "Tortoni"', tags: ['a', 'ñ'], nested: { ok: true, none: null } };
  const sentAt = new Date('2026-01-02T03:04:05.678Z');
  const message = await database.prisma.message.create({
    data: {
      businessId: business.id,
      conversationId: conversation.id,
      instanceId: instance.id,
      direction: 'INBOUND',
      author: 'CUSTOMER',
      kind: 'location',
      content,
      providerMessageId: 'wamid.1',
      status: 'RECEIVED',
      sentAt,
    },
  });
  await database.prisma.messageBuffer.create({
    data: {
      id: crypto.randomUUID(),
      businessId: business.id,
      conversationId: conversation.id,
      messageIds: [message.id, 'second, with a comma', 'quote " and {brace}'],
      firstMessageAt: sentAt,
      lastMessageAt: sentAt,
    },
  });
  return {
    message: await database.prisma.message.findUniqueOrThrow({ where: { id: message.id } }),
    buffer: await database.prisma.messageBuffer.findFirstOrThrow({ where: { conversationId: conversation.id } }),
    contact: await database.prisma.contact.findUniqueOrThrow({ where: { id: contact.id } }),
    content,
    sentAt,
    messageId: message.id,
  };
}

describe.each([
  [
    'pglite',
    async () => {
      const database = await openDatabase();
      await migrateDatabase(database);
      return { database, dispose: () => database.close() };
    },
  ],
  [
    'postgres',
    async () => {
      const database = await createTestDatabase();
      return { database: database as Database, dispose: () => database.drop() };
    },
  ],
] as const)('openDatabase (%s)', (kind, open) => {
  let opened: { database: Database; dispose: () => Promise<void> };
  beforeAll(async () => {
    opened = await open();
  });
  afterAll(() => opened?.dispose());

  it('reports its kind', () => {
    expect(opened.database.kind).toBe(kind);
  });

  it('round-trips a message with Json content and a buffer with a String[] column', async () => {
    const result = await roundTrip(opened.database);

    expect(result.message.content).toEqual(result.content);
    expect(result.message.sentAt.toISOString()).toBe(result.sentAt.toISOString());
    expect(result.message.status).toBe('RECEIVED');
    expect(result.buffer.messageIds).toEqual([result.messageId, 'second, with a comma', 'quote " and {brace}']);
    expect(result.contact.customFields).toEqual({ tier: 'gold', visits: 3 });
  });

  it('rolls back an interactive transaction that throws', async () => {
    const name = `rolled back ${kind}`;
    await expect(
      opened.database.prisma.$transaction(async (transaction) => {
        await transaction.business.create({ data: { name } });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await opened.database.prisma.business.count({ where: { name } })).toBe(0);
  });

  it('can be closed twice', async () => {
    const extra =
      kind === 'pglite' ? await openDatabase() : await openDatabase({ url: (opened.database as Database & { url: string }).url, poolSize: 1 });
    await extra.prisma.$queryRawUnsafe('SELECT 1');
    await extra.close();
    await expect(extra.close()).resolves.toBeUndefined();
  });
});
