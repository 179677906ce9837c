import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '@app/domain';
import type { TestDatabase } from '../../testing/create-test-database.ts';
import { createTestDatabase } from '../../testing/create-test-database.ts';
import { enqueueEvent } from './enqueue-event.ts';

function sampleEvent(id: string): DomainEvent {
  return { id, type: 'contact.bot-toggled', occurredAt: '2026-01-01T00:00:00.000Z', data: { contactId: 'c-1', botDisabled: true } };
}

describe('enqueueEvent', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it('writes the event with its topic and key when the transaction commits', async () => {
    const event = sampleEvent('event-committed');

    const { outboxId } = await database.prisma.$transaction((transaction) => enqueueEvent(transaction, 'contacts.changes', event, { key: 'c-1' }));

    const row = await database.prisma.outboxEvent.findUniqueOrThrow({ where: { id: outboxId } });
    expect(row).toMatchObject({ topic: 'contacts.changes', key: 'c-1', payload: event });
  });

  it('leaves nothing behind when the surrounding transaction rolls back', async () => {
    await expect(
      database.prisma.$transaction(async (transaction) => {
        await transaction.business.create({ data: { name: 'Rolled back' } });
        await enqueueEvent(transaction, 'contacts.changes', sampleEvent('event-rolled-back'));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');

    const rows = await database.prisma.outboxEvent.findMany({ where: { payload: { path: ['id'], equals: 'event-rolled-back' } } });
    expect(rows).toEqual([]);
    expect(await database.prisma.business.count({ where: { name: 'Rolled back' } })).toBe(0);
  });

  it('numbers events in the order they are enqueued (ids are allocated, not committed, in order)', async () => {
    const first = await database.prisma.$transaction((transaction) => enqueueEvent(transaction, 'topic.a', sampleEvent('first')));
    const second = await database.prisma.$transaction((transaction) => enqueueEvent(transaction, 'topic.a', sampleEvent('second')));
    expect(second.outboxId > first.outboxId).toBe(true);
  });
});
