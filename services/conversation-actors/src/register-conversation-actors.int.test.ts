import { enqueueEvent, recordInboundMessage, type PrismaClient } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { AiReplyRequested, ContactBotToggled, CONVERSATION_ACTOR_TYPE, conversationActorId, type ConversationSnapshot, type DomainEvent } from '@app/domain';
import { createLocalActorHost, createLocalPubSub, createLogger, type ActorHost, type LocalPubSub } from '@app/runtime';
import { createOpenAiTestServer, type OpenAiTestServer } from '@app/testkit/openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, OffsetClock } from '../test/offset-clock.ts';
import { conversationActorsConfig } from './config.ts';
import { registerConversationActors, type ConversationActorsService } from './register-conversation-actors.ts';

let database: TestDatabase;
let prisma: PrismaClient;
let openai: OpenAiTestServer;
let clock: OffsetClock;
let pubsub: LocalPubSub;
let host: ActorHost;
let service: ConversationActorsService;
let businessId: string;
let instanceId: string;

const logger = createLogger({ service: 'conversation-actors-test', level: 'silent' });

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = database.prisma;
  openai = await createOpenAiTestServer();
  const business = await prisma.business.create({ data: { name: 'Panadería Sol', timezone: 'America/Bogota' } });
  businessId = business.id;
  await prisma.agentConfig.create({
    data: { businessId, systemPrompt: 'You answer for {{business_name}}.', model: 'gpt-4o-mini', bufferSeconds: 2, maxBufferSeconds: 10 },
  });
  instanceId = (await prisma.instance.create({ data: { businessId, provider: 'SANDBOX', name: 'sandbox' } })).id;
});

afterAll(async () => {
  await openai?.close();
  await database?.drop();
});

beforeEach(async () => {
  openai.reset();
  clock = new OffsetClock();
  pubsub = createLocalPubSub({ prisma, logger, pollIntervalMs: 50, retry: { initialDelayMs: 100, maxDelayMs: 500 } });
  // Every reminder is delivered twice (Dapr's at-least-once): a duplicate flush or retry must change nothing.
  host = createLocalActorHost({ prisma, logger, clock, reminderPollIntervalMs: 100, duplicateReminderDeliveries: 1, onEventsCommitted: () => pubsub.wake() });
  service = registerConversationActors({
    host,
    pubsub,
    prisma,
    logger,
    clock,
    config: conversationActorsConfig({ OPENAI_BASE_URL: openai.baseURL, OPENAI_API_KEY: 'sk-test', AI_MAX_RETRIES: 0, AI_TIMEOUT_SECONDS: 10 }),
  });
  await host.start();
  await pubsub.start();
});

afterEach(async () => {
  await service.stop();
  await pubsub.stop();
  await host.stop();
});

let customerSequence = 0;

async function customerWrites(texts: string[]): Promise<{ conversationId: string; messageIds: string[] }> {
  customerSequence += 1;
  const phone = `5730000000${customerSequence}`;
  const messageIds: string[] = [];
  let conversationId = '';
  for (const [index, text] of texts.entries()) {
    const result = await recordInboundMessage(prisma, {
      businessId,
      instanceId,
      sender: { phone, name: 'Ana' },
      providerMessageId: `wamid.${customerSequence}.${index}.${Date.now()}`,
      sentAt: new Date(Date.now() + index),
      content: { kind: 'text', text },
    });
    messageIds.push(result.messageId);
    conversationId = result.conversationId;
  }
  pubsub.wake();
  return { conversationId, messageIds };
}

async function snapshotOf(conversationId: string): Promise<ConversationSnapshot> {
  const { contactId } = await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
  return host.invoke<ConversationSnapshot>(CONVERSATION_ACTOR_TYPE, conversationActorId(instanceId, contactId), 'getSnapshot');
}

async function outboundEvents(conversationId: string): Promise<DomainEvent[]> {
  const rows = await prisma.outboxEvent.findMany({ where: { topic: 'messages.outbound' }, orderBy: { id: 'asc' } });
  return rows.map((row) => row.payload as unknown as DomainEvent).filter((event) => (event.data as { conversationId: string }).conversationId === conversationId);
}

describe('conversation actors with the AI pipeline (PostgreSQL, local runtime, OpenAI double)', () => {
  it('answers a three-message burst with exactly one OpenAI call, one PENDING reply, one send request and one usage row', async () => {
    const { conversationId, messageIds } = await customerWrites(['hola', 'quiero pan', '¿tienen integral?']);
    // Let the actor take the three messages, then jump past the 2 s debounce.
    await eventually(async () => expect((await snapshotOf(conversationId)).openBuffer?.messageIds).toEqual(messageIds));
    clock.advance(2_500);
    await eventually(async () => expect((await outboundEvents(conversationId)).length).toBe(1));

    expect(openai.chatRequests()).toHaveLength(1);
    const request = openai.chatRequests()[0]!;
    expect(request.model).toBe('gpt-4o-mini');
    expect(request.messages[0]).toEqual({ role: 'system', content: 'You answer for Panadería Sol.' });
    expect(request.messages.slice(-3)).toEqual([
      { role: 'user', content: 'hola' },
      { role: 'user', content: 'quiero pan' },
      { role: 'user', content: '¿tienen integral?' },
    ]);

    const replies = await prisma.message.findMany({ where: { conversationId, author: 'AI' } });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ direction: 'OUTBOUND', status: 'PENDING', text: 'Thanks for your message: ¿tienen integral?' });
    const [sendRequested] = await outboundEvents(conversationId);
    expect(sendRequested).toMatchObject({ type: 'message.send-requested', data: { messageId: replies[0]!.id, provider: 'SANDBOX', conversationId } });
    const bufferId = (sendRequested!.data as { bufferId: string }).bufferId;
    expect(replies[0]!.idempotencyKey).toBe(`ai-reply:${bufferId}`);
    const buffer = await prisma.messageBuffer.findUniqueOrThrow({ where: { id: bufferId } });
    expect(buffer).toMatchObject({ messageIds, retryCount: 0, failedAt: null, processingUntil: null });
    const usage = await prisma.tokenUsage.findMany({ where: { sourceId: bufferId } });
    expect(usage).toEqual([expect.objectContaining({ businessId, provider: 'openai', feature: 'reply', model: 'gpt-4o-mini' })]);
    expect(usage[0]!.totalTokens).toBeGreaterThan(0);

    // A redelivered ai.requests event finds the stored reply: no second model call, no second send request.
    const redelivered = AiReplyRequested.create(
      {
        bufferId,
        businessId,
        instanceId,
        conversationId,
        contactId: (await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).contactId,
        messageIds,
        firstMessageAt: buffer.firstMessageAt.toISOString(),
        lastMessageAt: buffer.lastMessageAt.toISOString(),
        attempt: 1,
      },
    );
    await pubsub.publish(AiReplyRequested.topic, redelivered, { key: conversationId });
    await eventually(async () => expect(await prisma.outboxDelivery.count({ where: { subscriber: 'ai-workers' } })).toBe(0));
    expect(openai.chatRequests()).toHaveLength(1);
    expect(await outboundEvents(conversationId)).toHaveLength(1);
    expect(await prisma.tokenUsage.count({ where: { sourceId: bufferId } })).toBe(1);
    expect(await prisma.message.count({ where: { conversationId, author: 'AI' } })).toBe(1);

    const stats = await service.queueStats(businessId);
    expect(stats).toMatchObject({ quarantined: 0, worker: { concurrency: 40 } });
  });

  it('quarantines the buffer after three failed attempts (5 s, 10 s apart) and stores no reply', async () => {
    openai.injectFailures('server_error', 3);
    const { conversationId, messageIds } = await customerWrites(['¿abren hoy?']);
    await eventually(async () => expect((await snapshotOf(conversationId)).openBuffer?.messageIds).toEqual(messageIds));
    clock.advance(2_500);
    await eventually(() => expect(openai.chatRequests()).toHaveLength(1));
    await eventually(async () => expect(await prisma.messageBuffer.count({ where: { conversationId, retryCount: 1 } })).toBe(1));
    await eventually(async () => {
      const retry = await prisma.actorReminder.findFirstOrThrow({ where: { name: 'retry' } });
      const inMs = retry.dueAt.getTime() - clock.now().getTime();
      expect(inMs).toBeGreaterThan(3_000);
      expect(inMs).toBeLessThanOrEqual(5_000);
    });
    expect(openai.chatRequests()).toHaveLength(1);
    clock.advance(5_000);
    await eventually(() => expect(openai.chatRequests()).toHaveLength(2));
    await eventually(async () => expect(await prisma.messageBuffer.count({ where: { conversationId, retryCount: 2 } })).toBe(1));
    await eventually(async () => {
      const retry = await prisma.actorReminder.findFirstOrThrow({ where: { name: 'retry' } });
      const inMs = retry.dueAt.getTime() - clock.now().getTime();
      expect(inMs).toBeGreaterThan(8_000);
      expect(inMs).toBeLessThanOrEqual(10_000);
    });
    expect(openai.chatRequests()).toHaveLength(2);
    clock.advance(10_000);
    await eventually(() => expect(openai.chatRequests()).toHaveLength(3));
    await eventually(async () => {
      const buffer = await prisma.messageBuffer.findFirstOrThrow({ where: { conversationId } });
      expect(buffer.failedAt).not.toBeNull();
      expect(buffer).toMatchObject({ retryCount: 3, messageIds });
      expect(buffer.failureReason).toContain('HTTP 500');
    });
    expect(await prisma.message.count({ where: { conversationId, author: 'AI' } })).toBe(0);
    expect(await outboundEvents(conversationId)).toHaveLength(0);
    // The actor gave up: nothing in flight, so no further attempt can be requested.
    const { contactId } = await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    const snapshot = await host.invoke<ConversationSnapshot>(CONVERSATION_ACTOR_TYPE, conversationActorId(instanceId, contactId), 'getSnapshot');
    const buffer = await prisma.messageBuffer.findFirstOrThrow({ where: { conversationId } });
    expect(snapshot).toMatchObject({ inFlight: null, openBuffer: null, quarantinedBufferIds: [buffer.id] });
    expect(openai.chatRequests()).toHaveLength(3);
    expect((await service.queueStats(businessId)).quarantined).toBe(1);
  });

  it('quarantines at once, after one call, when the OpenAI quota is exhausted (429 insufficient_quota)', async () => {
    openai.injectFailures('insufficient_quota', 1);
    const { conversationId, messageIds } = await customerWrites(['¿hay domicilio?']);
    await eventually(async () => expect((await snapshotOf(conversationId)).openBuffer?.messageIds).toEqual(messageIds));
    clock.advance(2_500);
    await eventually(async () => {
      const buffer = await prisma.messageBuffer.findFirstOrThrow({ where: { conversationId } });
      expect(buffer.failedAt).not.toBeNull();
      expect(buffer).toMatchObject({ retryCount: 1 });
      expect(buffer.failureReason).toContain('insufficient_quota');
    });
    await eventually(async () => expect((await snapshotOf(conversationId)).inFlight).toBeNull());
    expect(openai.chatRequests()).toHaveLength(1);
    expect(await prisma.message.count({ where: { conversationId, author: 'AI' } })).toBe(0);
  });

  it('drops the burst of a contact whose bot an operator switched off, without calling the model', async () => {
    const first = await customerWrites(['hola']);
    const { contactId } = await prisma.conversation.findUniqueOrThrow({ where: { id: first.conversationId } });
    const actorId = conversationActorId(instanceId, contactId);
    await eventually(async () => expect((await host.invoke<ConversationSnapshot>(CONVERSATION_ACTOR_TYPE, actorId, 'getSnapshot')).openBuffer).not.toBeNull());
    await prisma.$transaction(async (transaction) => {
      await transaction.contact.update({ where: { id: contactId }, data: { botDisabled: true } });
      await enqueueEvent(transaction, ContactBotToggled.topic, ContactBotToggled.create({ businessId, contactId, botDisabled: true, until: null, reason: 'operator_toggle' }));
    });
    pubsub.wake();
    await eventually(async () => expect((await host.invoke<ConversationSnapshot>(CONVERSATION_ACTOR_TYPE, actorId, 'getSnapshot')).botDisabled).toBe(true));
    clock.advance(2_500);
    await eventually(async () => expect((await host.invoke<ConversationSnapshot>(CONVERSATION_ACTOR_TYPE, actorId, 'getSnapshot')).openBuffer).toBeNull());
    expect(openai.chatRequests()).toHaveLength(0);
    expect(await prisma.message.count({ where: { conversationId: first.conversationId } })).toBe(1);
    const aiEvents = await prisma.outboxEvent.findMany({ where: { topic: 'ai.requests' } });
    expect(aiEvents.filter((row) => (row.payload as { data: { conversationId: string } }).data.conversationId === first.conversationId)).toHaveLength(0);
  });
});
