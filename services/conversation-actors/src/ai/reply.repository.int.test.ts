import { recordInboundMessage } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplyTraceRecord } from './reply-trace.ts';
import { findReplyIds, loadPromptInputs, storeReply } from './reply.repository.ts';

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
      instanceId: instance.id,
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
      provider: 'SANDBOX',
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
    const foreign = await loadPromptInputs(prisma, { ...job, businessId: other.id, instanceId: otherInstance.id });
    expect(foreign).toMatchObject({ burst: [], history: [], contactName: null });
    await prisma.agentConfig.update({ where: { businessId: business.id }, data: { historyLimit: 0 } });
    expect((await loadPromptInputs(prisma, job))!.history).toEqual([]);
    expect(await loadPromptInputs(prisma, { ...job, businessId: crypto.randomUUID() })).toBeNull();
  });
});

const trace: ReplyTraceRecord = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  prompt: [{ role: 'user', content: 'hola' }],
  modelCalls: [{ round: 0, promptTokens: 10, completionTokens: 5, totalTokens: 15, durationMs: 20, costUsd: 0.000005 }],
  toolCalls: [],
  promptTokens: 10,
  completionTokens: 5,
  totalTokens: 15,
  costUsd: 0.000005,
  bufferWaitMs: 5_000,
  modelMs: 20,
  toolMs: 0,
  totalMs: 5_100,
};

describe('storeReply (a reply of several messages, in one statement)', () => {
  it('stores the parts in send order with their keys and the trace, once however often it is called', async () => {
    const { prisma } = database;
    const business = await prisma.business.create({ data: { name: 'Ferretería' } });
    const instance = await prisma.instance.create({ data: { businessId: business.id, provider: 'SANDBOX', name: 'sandbox' } });
    const { conversationId, contactId } = await recordInboundMessage(prisma, {
      businessId: business.id,
      instanceId: instance.id,
      sender: { phone: '573009998877' },
      providerMessageId: 'p-store-1',
      sentAt: at(1),
      content: { kind: 'text', text: '¿me envía el catálogo?' },
    });
    const job = {
      bufferId: crypto.randomUUID(),
      businessId: business.id,
      instanceId: instance.id,
      conversationId,
      contactId,
      messageIds: [],
      firstMessageAt: at(1).toISOString(),
      lastMessageAt: at(1).toISOString(),
      attempt: 1,
    };
    const parts = [
      { kind: 'text' as const, text: 'Claro, aquí lo tiene:' },
      { kind: 'document' as const, media: { mediaId: 'files/catalogo.pdf', mimeType: 'application/pdf', filename: 'catalogo.pdf' } },
      { kind: 'audio' as const, media: { mediaId: 'files/saludo.ogg', mimeType: 'audio/ogg' } },
    ];
    const ids = await storeReply(prisma, { job, parts, trace, now: at(10) });
    expect(ids).toHaveLength(3);
    expect(await storeReply(prisma, { job, parts: [{ kind: 'text', text: 'otra' }], trace, now: at(11) })).toEqual(ids);
    expect(await findReplyIds(prisma, job.bufferId)).toEqual(ids);

    const stored = await prisma.message.findMany({ where: { conversationId, author: 'AI' }, orderBy: { sentAt: 'asc' } });
    expect(stored.map((message) => [message.id, message.idempotencyKey, message.kind, message.status])).toEqual([
      [ids[0], `ai-reply:${job.bufferId}`, 'text', 'PENDING'],
      [ids[1], `ai-reply:${job.bufferId}:1`, 'document', 'PENDING'],
      [ids[2], `ai-reply:${job.bufferId}:2`, 'audio', 'PENDING'],
    ]);
    expect(stored[1]!.content).toEqual({ kind: 'document', media: parts[1]!.media });
    expect(stored[2]!.content).toEqual({ kind: 'audio', media: parts[2]!.media, voice: false });
    const saved = await prisma.replyTrace.findUniqueOrThrow({ where: { bufferId: job.bufferId } });
    expect(saved).toMatchObject({
      businessId: business.id,
      conversationId,
      messageIds: ids,
      totalTokens: 15,
      costUsd: 0.000005,
      bufferWaitMs: 5_000,
    });
    expect(await findReplyIds(prisma, crypto.randomUUID())).toEqual([]);
  });
});
