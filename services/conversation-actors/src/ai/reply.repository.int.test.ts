import { recordInboundMessage } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPromptInputs } from './reply.repository.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

const at = (second: number) => new Date(Date.UTC(2026, 10, 26, 9, 0, second, 123));

describe('loadPromptInputs (one statement for settings, burst and history)', () => {
  it('returns the burst oldest first and the newest history before it, without replies that never went out or other tenants', async () => {
    const { prisma } = database;
    const business = await prisma.business.create({ data: { name: 'Panadería Sol', timezone: 'America/Bogota' } });
    await prisma.agentConfig.create({ data: { businessId: business.id, systemPrompt: 'Be kind.', model: 'test-model', historyLimit: 3 } });
    const instance = await prisma.instance.create({ data: { businessId: business.id, provider: 'SANDBOX', name: 'sandbox' } });
    const inbound = async (second: number, text: string, instanceId = instance.id, businessId = business.id) =>
      recordInboundMessage(prisma, {
        businessId,
        instanceId,
        sender: { phone: '573001112233', name: 'Ana' },
        providerMessageId: `p-${instanceId}-${second}`,
        sentAt: at(second),
        content: { kind: 'text', text },
      });
    const first = await inbound(1, 'too old for the limit');
    const { conversationId, contactId } = first;
    await inbound(2, 'history one');
    const outbound = (second: number, text: string, status: 'SENT' | 'CANCELLED' | 'FAILED') =>
      prisma.message.create({
        data: {
          businessId: business.id,
          conversationId,
          instanceId: instance.id,
          direction: 'OUTBOUND',
          author: 'AI',
          kind: 'text',
          text,
          content: { kind: 'text', text },
          status,
          sentAt: at(second),
        },
      });
    await outbound(3, 'history two (a reply)', 'SENT');
    await outbound(4, 'never went out', 'CANCELLED');
    await outbound(5, 'failed', 'FAILED');
    await inbound(6, 'history three');
    const burstLate = await inbound(8, 'burst second');
    const burstEarly = await inbound(7, 'burst first');
    await inbound(9, 'the next burst, not history yet');
    // Another tenant's conversation at the same times.
    const other = await prisma.business.create({ data: { name: 'Other' } });
    const otherInstance = await prisma.instance.create({ data: { businessId: other.id, provider: 'SANDBOX', name: 'sandbox' } });
    await inbound(5, 'other tenant', otherInstance.id, other.id);

    const job = {
      bufferId: crypto.randomUUID(),
      businessId: business.id,
      conversationId,
      contactId,
      messageIds: [burstLate.messageId, burstEarly.messageId],
      firstMessageAt: at(7).toISOString(),
      lastMessageAt: at(8).toISOString(),
      attempt: 1,
    };
    const inputs = await loadPromptInputs(prisma, job);
    expect(inputs).toMatchObject({
      business: { name: 'Panadería Sol', timezone: 'America/Bogota', botEnabled: true },
      agent: { systemPrompt: 'Be kind.', model: 'test-model', historyLimit: 3 },
      contactName: 'Ana',
    });
    expect(inputs!.burst.map((message) => message.text)).toEqual(['burst first', 'burst second']);
    expect(inputs!.history.map((message) => message.text)).toEqual(['history one', 'history two (a reply)', 'history three']);
    expect(inputs!.burst[0]).toEqual({
      id: burstEarly.messageId,
      direction: 'INBOUND',
      author: 'CUSTOMER',
      kind: 'text',
      text: 'burst first',
      content: { kind: 'text', text: 'burst first' },
      sentAt: at(7),
    });
    expect(inputs!.history[1]).toMatchObject({ direction: 'OUTBOUND', author: 'AI', sentAt: at(3) });

    // A burst id of another tenant is not read; another tenant's job finds nothing of this business.
    const foreign = await loadPromptInputs(prisma, { ...job, businessId: other.id });
    expect(foreign).toMatchObject({ burst: [], history: [], contactName: null });
    await prisma.agentConfig.update({ where: { businessId: business.id }, data: { historyLimit: 0 } });
    expect((await loadPromptInputs(prisma, job))!.history).toEqual([]);
    expect(await loadPromptInputs(prisma, { ...job, businessId: crypto.randomUUID() })).toBeNull();
  });
});
