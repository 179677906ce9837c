import { recordInboundMessage } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { CONVERSATION_ACTOR_TYPE, conversationActorId, type ConversationSnapshot } from '@app/domain';
import { createLocalActorHost, createLocalPubSub } from '@app/runtime/local';
import { createLogger } from '@app/runtime/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEventually as eventually } from '@app/testkit';
import { OffsetClock } from '../test/offset-clock.ts';
import { AI_DISABLED_REASON } from './ai/ai-status.ts';
import { conversationActorsConfig } from './config.ts';
import { registerConversationActors } from './register-conversation-actors.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

describe('conversation actors with no model configured', () => {
  it('says so, stores and buffers messages, and queues no AI job', async () => {
    const { prisma } = database;
    const logger = createLogger({ service: 'conversation-actors-test', level: 'silent' });
    const clock = new OffsetClock();
    const pubsub = createLocalPubSub({ prisma, logger, pollIntervalMs: 50 });
    const host = createLocalActorHost({ prisma, logger, clock, reminderPollIntervalMs: 100, onEventsCommitted: () => pubsub.wake() });
    const service = registerConversationActors({ host, pubsub, prisma, logger, clock, config: conversationActorsConfig() });
    await host.start();
    await pubsub.start();
    try {
      expect(service.aiStatus()).toEqual({ enabled: false, reason: 'No AI model configured: set OPENAI_API_KEY or OPENAI_BASE_URL' });
      expect(AI_DISABLED_REASON).toBe('No AI model configured: set OPENAI_API_KEY or OPENAI_BASE_URL');
      const business = await prisma.business.create({ data: { name: 'Sin IA' } });
      const instance = await prisma.instance.create({ data: { businessId: business.id, provider: 'SANDBOX', name: 'sandbox' } });
      const stored = await recordInboundMessage(prisma, {
        businessId: business.id,
        instanceId: instance.id,
        sender: { phone: '573001112233' },
        providerMessageId: 'wamid.off.1',
        sentAt: new Date(),
        content: { kind: 'text', text: 'hola' },
      });
      pubsub.wake();
      const actorId = conversationActorId(instance.id, stored.contactId);
      const snapshot = () => host.invoke<ConversationSnapshot>(CONVERSATION_ACTOR_TYPE, actorId, 'getSnapshot');
      await eventually(async () => expect((await snapshot()).openBuffer?.messageIds).toEqual([stored.messageId]));
      clock.advance(6_000);
      await eventually(async () => expect((await snapshot()).openBuffer).toBeNull());
      expect(await snapshot()).toMatchObject({ inFlight: null });
      expect(await prisma.outboxEvent.count({ where: { topic: 'ai.requests' } })).toBe(0);
      expect(await prisma.message.count({ where: { businessId: business.id } })).toBe(1);
      expect(await service.queueStats(business.id)).toEqual({
        inFlight: 0,
        waiting: 0,
        failed: 0,
        quarantined: 0,
        worker: { concurrency: 40, active: 0, queued: 0 },
      });
    } finally {
      await service.stop();
      await pubsub.stop();
      await host.stop();
    }
  });
});
