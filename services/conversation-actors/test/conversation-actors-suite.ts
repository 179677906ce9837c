import { enqueueEvent, recordInboundMessage, type PrismaClient } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import {
  AiReplyRequested,
  ContactBotToggled,
  CONVERSATION_ACTOR_TYPE,
  conversationActorId,
  type ConversationSnapshot,
  type DomainEvent,
  type ToolProvider,
} from '@app/domain';
import type { ActorClient } from '@app/runtime/ports';
import { createOpenAiTestServer, type OpenAiTestServer } from '@app/testkit/openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { QueueStats } from '../src/queue-stats/queue-stats.ts';
import { expectEventually as eventually } from '@app/testkit';
import { OffsetClock } from './offset-clock.ts';

/** One runtime under the conversation actors: the local host + outbox pub/sub, or Dapr behind the sidecar double. */
export interface ConversationActorsHarness {
  /** Calls the ConversationActor (through the sidecar in Dapr mode). */
  actors: Pick<ActorClient, 'invoke'>;
  /** Time jumps for the host's reminders as for the app's clock. */
  advance(ms: number): void;
  /** Delivery of what was just written to the outbox, now rather than at the next poll. */
  wake(): void;
  /** Distinct events (by id) that reached the transport on a topic, in publish order. */
  publishedEvents(topic: string): Promise<DomainEvent[]>;
  /** When a reminder of the actor comes due, in ms from now; undefined when none is registered. */
  reminderDueIn(actorId: string, name: string): Promise<number | undefined>;
  /** True once the AI workers took every ai.requests delivery (none pending or being retried). */
  aiWorkersIdle(): Promise<boolean>;
  queueStats(businessId: string): Promise<QueueStats>;
  /** Cuts the transport (a sidecar restart, or a crash of the local runtime); resolves with the call that brings it back. */
  interrupt(): Promise<() => Promise<void>>;
  /** Reminder ticks delivered twice on purpose (Dapr's at-least-once), when the harness can observe them. */
  duplicateReminderTicks?(name: string): number;
  close(): Promise<void>;
}

export interface HarnessContext {
  database: TestDatabase;
  openai: OpenAiTestServer;
  clock: OffsetClock;
  /** Every reminder tick is delivered this many extra times. */
  duplicateReminderDeliveries: number;
  /** The agent's tools in these scenarios (the platform itself has none yet). */
  toolProviders: ToolProvider[];
}

/** A tool that sends the catalogue: a reply of the model's text and a document, in that order. */
const catalogueTools: ToolProvider = {
  load: async () => ({
    tools: [
      {
        name: 'enviar_catalogo',
        description: 'Envía el catálogo en PDF.',
        parameters: { type: 'object', properties: {} },
        sideEffects: false,
        timeoutMs: 1_000,
        run: async () => ({
          ok: true,
          result: { enviado: true },
          send: [{ kind: 'document', media: { mediaId: 'library/catalogo.pdf', mimeType: 'application/pdf', filename: 'Catálogo.pdf' } }],
        }),
      },
    ],
  }),
};

/**
 * A burst's messages in any order: deliveries of one conversation may overtake each other (Dapr pub/sub promises no
 * order; the prompt orders the burst by sentAt).
 */
const sorted = (ids: readonly string[] | undefined) => (ids ? [...ids].sort() : ids);

/** Long enough that real time never flushes a burst before the test looked at it (a loaded machine), jumped over instead. */
const debounceSeconds = 30;

export type MakeConversationActorsHarness = (context: HarnessContext) => Promise<ConversationActorsHarness>;

/**
 * The ConversationActor + AI pipeline scenarios, run against each runtime (register-conversation-actors.int.test.ts:
 * local; kubernetes/dapr-conversation-actors.int.test.ts: Dapr adapters, outbox relay and the sidecar double).
 */
export function describeConversationActorsSuite(name: string, makeHarness: MakeConversationActorsHarness): void {
  describe(`conversation actors with the AI pipeline (PostgreSQL, OpenAI double, ${name})`, () => {
    let database: TestDatabase;
    let prisma: PrismaClient;
    let openai: OpenAiTestServer;
    let clock: OffsetClock;
    let harness: ConversationActorsHarness;
    let businessId: string;
    let instanceId: string;
    let customerSequence = 0;

    beforeAll(async () => {
      database = await createTestDatabase();
      prisma = database.prisma;
      openai = await createOpenAiTestServer();
      const business = await prisma.business.create({ data: { name: 'Panadería Sol', timezone: 'America/Bogota' } });
      businessId = business.id;
      await prisma.agentConfig.create({
        data: {
          businessId,
          systemPrompt: 'You answer for {{business_name}}.',
          model: 'gpt-4o-mini',
          bufferSeconds: debounceSeconds,
          maxBufferSeconds: 120,
        },
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
      // Every reminder is delivered twice (Dapr's at-least-once): a duplicate flush or retry must change nothing.
      harness = await makeHarness({ database, openai, clock, duplicateReminderDeliveries: 1, toolProviders: [catalogueTools] });
    });

    afterEach(async () => {
      await harness.close();
    });

    /** A new customer; `writes` stores their messages as a provider ingress does (persisted once, outbox). */
    function newCustomer() {
      customerSequence += 1;
      const phone = `5730000000${customerSequence}`;
      let index = 0;
      const state = { conversationId: '', contactId: '', messageIds: [] as string[] };
      return Object.assign(state, {
        async writes(texts: string[]) {
          for (const text of texts) {
            const result = await recordInboundMessage(prisma, {
              businessId,
              instanceId,
              sender: { phone, name: 'Ana' },
              providerMessageId: `wamid.${phone}.${index}.${Date.now()}`,
              sentAt: new Date(Date.now() + index),
              content: { kind: 'text', text },
            });
            index += 1;
            state.messageIds.push(result.messageId);
            state.conversationId = result.conversationId;
            state.contactId = result.contactId;
          }
          harness.wake();
        },
        actorId: () => conversationActorId(instanceId, state.contactId),
        snapshot: () =>
          harness.actors.invoke<ConversationSnapshot>(CONVERSATION_ACTOR_TYPE, conversationActorId(instanceId, state.contactId), 'getSnapshot'),
      });
    }

    async function outboundEvents(conversationId: string): Promise<DomainEvent[]> {
      return (await harness.publishedEvents('messages.outbound')).filter(
        (event) => (event.data as { conversationId: string }).conversationId === conversationId,
      );
    }

    async function publishThroughOutbox(topic: string, event: DomainEvent, key: string) {
      await prisma.$transaction((transaction) => enqueueEvent(transaction, topic, event, { key }));
      harness.wake();
    }

    it('answers a three-message burst with exactly one OpenAI call, one PENDING reply, one send request and one usage row', async () => {
      const customer = newCustomer();
      await customer.writes(['hola', 'quiero pan', '¿tienen integral?']);
      const { conversationId, messageIds } = customer;
      // Let the actor take the three messages, then jump past the debounce.
      await eventually(async () => expect(sorted((await customer.snapshot()).openBuffer?.messageIds)).toEqual(sorted(messageIds)));
      harness.advance(debounceSeconds * 1000 + 500);
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
      expect(sendRequested).toMatchObject({
        type: 'message.send-requested',
        data: { messageId: replies[0]!.id, provider: 'SANDBOX', conversationId },
      });
      const bufferId = (sendRequested!.data as { bufferId: string }).bufferId;
      expect(replies[0]!.idempotencyKey).toBe(`ai-reply:${bufferId}`);
      const buffer = await prisma.messageBuffer.findUniqueOrThrow({ where: { id: bufferId } });
      expect(buffer).toMatchObject({ retryCount: 0, failedAt: null, processingUntil: null });
      expect(sorted(buffer.messageIds)).toEqual(sorted(messageIds));
      const usage = await prisma.tokenUsage.findMany({ where: { sourceId: `${bufferId}:0` } });
      expect(usage).toEqual([expect.objectContaining({ businessId, provider: 'openai', feature: 'reply', model: 'gpt-4o-mini' })]);
      expect(usage[0]!.totalTokens).toBeGreaterThan(0);
      if (harness.duplicateReminderTicks) expect(harness.duplicateReminderTicks('flush')).toBeGreaterThan(0);

      // A redelivered ai.requests event finds the stored reply: no second model call, no second send request.
      const redelivered = AiReplyRequested.create({
        bufferId,
        businessId,
        instanceId,
        conversationId,
        contactId: customer.contactId,
        messageIds,
        firstMessageAt: buffer.firstMessageAt.toISOString(),
        lastMessageAt: buffer.lastMessageAt.toISOString(),
        attempt: 1,
      });
      await publishThroughOutbox(AiReplyRequested.topic, redelivered, conversationId);
      await eventually(async () =>
        expect((await harness.publishedEvents(AiReplyRequested.topic)).map((event) => event.id)).toContain(redelivered.id),
      );
      await eventually(async () => expect(await harness.aiWorkersIdle()).toBe(true));
      expect(openai.chatRequests()).toHaveLength(1);
      expect(await outboundEvents(conversationId)).toHaveLength(1);
      expect(await prisma.tokenUsage.count({ where: { sourceId: { startsWith: bufferId } } })).toBe(1);
      expect(await prisma.message.count({ where: { conversationId, author: 'AI' } })).toBe(1);

      const stats = await harness.queueStats(businessId);
      expect(stats).toMatchObject({ quarantined: 0, worker: { concurrency: 40 } });
    });

    it('publishes a reply of text and a file a tool sent as ONE send request naming both in order, and stores them once', async () => {
      openai.script({ toolCalls: [{ name: 'enviar_catalogo', arguments: '{}' }] }, 'Aquí tiene nuestro catálogo.');
      const customer = newCustomer();
      await customer.writes(['¿me manda el catálogo?']);
      await eventually(async () => expect((await customer.snapshot()).openBuffer?.messageIds).toHaveLength(1));
      harness.advance(debounceSeconds * 1000 + 500);
      await eventually(async () => expect(await outboundEvents(customer.conversationId)).toHaveLength(1));
      const replies = await prisma.message.findMany({ where: { conversationId: customer.conversationId, author: 'AI' }, orderBy: { sentAt: 'asc' } });
      expect(replies.map((reply) => [reply.kind, reply.text])).toEqual([
        ['text', 'Aquí tiene nuestro catálogo.'],
        ['document', null],
      ]);
      const [sendRequested] = await outboundEvents(customer.conversationId);
      expect(sendRequested).toMatchObject({
        type: 'message.send-requested',
        data: { messageId: replies[0]!.id, messageIds: replies.map((reply) => reply.id) },
      });
      expect(openai.chatRequests()).toHaveLength(2);
      const bufferId = (sendRequested!.data as { bufferId: string }).bufferId;
      expect(await prisma.tokenUsage.count({ where: { sourceId: { startsWith: bufferId } } })).toBe(2);
      expect(await prisma.replyTrace.count({ where: { bufferId } })).toBe(1);
    });

    it('keeps taking new messages while ten slow model calls run, and answers every conversation once', async () => {
      // Ten AI jobs at once fill a Dapr sidecar's ten Redis Streams workers if their deliveries stay open for the
      // model call: messages.inbound would then wait for the model, and redeliveries would call it twice.
      openai.setLatency(4_000);
      try {
        const busy = Array.from({ length: 10 }, () => newCustomer());
        for (const [index, customer] of busy.entries()) await customer.writes([`pedido ${index}`]);
        for (const customer of busy) {
          await eventually(async () => expect((await customer.snapshot()).openBuffer?.messageIds).toHaveLength(1));
        }
        harness.advance(debounceSeconds * 1000 + 500);
        await eventually(() => expect(openai.chatRequests()).toHaveLength(10));
        const late = newCustomer();
        await late.writes(['¿siguen abiertos?']);
        const started = Date.now();
        await eventually(async () => expect((await late.snapshot()).openBuffer?.messageIds).toHaveLength(1), { timeoutMs: 10_000 });
        expect(Date.now() - started).toBeLessThan(3_000); // taken while the ten model calls still run
        for (const customer of busy) {
          await eventually(async () => expect(await outboundEvents(customer.conversationId)).toHaveLength(1), { timeoutMs: 15_000 });
        }
        expect(openai.chatRequests()).toHaveLength(10);
      } finally {
        openai.setLatency(0);
      }
    });

    it('loses nothing when the transport restarts mid-burst: all messages in one OpenAI call, the reply stored once', async () => {
      const customer = newCustomer();
      await customer.writes(['hola']);
      await eventually(async () => expect(sorted((await customer.snapshot()).openBuffer?.messageIds)).toEqual(sorted(customer.messageIds)));
      const resume = await harness.interrupt();
      // Stored while the transport is down: they wait in the outbox / the broker, not in memory.
      await customer.writes(['quiero pan', '¿tienen integral?']);
      await resume();
      await eventually(async () => expect(sorted((await customer.snapshot()).openBuffer?.messageIds)).toEqual(sorted(customer.messageIds)));
      harness.advance(debounceSeconds * 1000 + 500);
      await eventually(async () => expect(await outboundEvents(customer.conversationId)).toHaveLength(1));
      expect(openai.chatRequests()).toHaveLength(1);
      expect(
        openai
          .chatRequests()[0]!
          .messages.slice(-3)
          .map((message) => message.content),
      ).toEqual(['hola', 'quiero pan', '¿tienen integral?']);
      expect(await prisma.message.count({ where: { conversationId: customer.conversationId, author: 'AI' } })).toBe(1);
      expect(await prisma.message.count({ where: { conversationId: customer.conversationId, direction: 'INBOUND' } })).toBe(3);
      // A late duplicate flush tick changes nothing.
      harness.advance(10_000);
      await eventually(async () => expect((await customer.snapshot()).inFlight).toBeNull());
      expect(openai.chatRequests()).toHaveLength(1);
      expect(await outboundEvents(customer.conversationId)).toHaveLength(1);
    });

    it('quarantines the buffer after three failed attempts (5 s, 10 s apart) and stores no reply', async () => {
      openai.injectFailures('server_error', 3);
      const customer = newCustomer();
      await customer.writes(['¿abren hoy?']);
      const { conversationId, messageIds } = customer;
      await eventually(async () => expect(sorted((await customer.snapshot()).openBuffer?.messageIds)).toEqual(sorted(messageIds)));
      harness.advance(debounceSeconds * 1000 + 500);
      await eventually(() => expect(openai.chatRequests()).toHaveLength(1));
      await eventually(async () => expect(await prisma.messageBuffer.count({ where: { conversationId, retryCount: 1 } })).toBe(1));
      await eventually(async () => {
        const inMs = await harness.reminderDueIn(customer.actorId(), 'retry');
        expect(inMs).toBeGreaterThan(3_000);
        expect(inMs).toBeLessThanOrEqual(5_000);
      });
      expect(openai.chatRequests()).toHaveLength(1);
      harness.advance(5_000);
      await eventually(() => expect(openai.chatRequests()).toHaveLength(2));
      await eventually(async () => expect(await prisma.messageBuffer.count({ where: { conversationId, retryCount: 2 } })).toBe(1));
      await eventually(async () => {
        const inMs = await harness.reminderDueIn(customer.actorId(), 'retry');
        expect(inMs).toBeGreaterThan(8_000);
        expect(inMs).toBeLessThanOrEqual(10_000);
      });
      expect(openai.chatRequests()).toHaveLength(2);
      harness.advance(10_000);
      await eventually(() => expect(openai.chatRequests()).toHaveLength(3));
      await eventually(async () => {
        const buffer = await prisma.messageBuffer.findFirstOrThrow({ where: { conversationId } });
        expect(buffer.failedAt).not.toBeNull();
        expect(buffer).toMatchObject({ retryCount: 3 });
        expect(sorted(buffer.messageIds)).toEqual(sorted(messageIds));
        expect(buffer.failureReason).toContain('HTTP 500');
      });
      expect(await prisma.message.count({ where: { conversationId, author: 'AI' } })).toBe(0);
      expect(await outboundEvents(conversationId)).toHaveLength(0);
      // The actor gave up: nothing in flight, so no further attempt can be requested.
      const buffer = await prisma.messageBuffer.findFirstOrThrow({ where: { conversationId } });
      await eventually(async () =>
        expect(await customer.snapshot()).toMatchObject({ inFlight: null, openBuffer: null, quarantinedBufferIds: [buffer.id] }),
      );
      expect(openai.chatRequests()).toHaveLength(3);
      expect((await harness.queueStats(businessId)).quarantined).toBe(1);
    });

    it('quarantines at once, after one call, when the OpenAI quota is exhausted (429 insufficient_quota)', async () => {
      openai.injectFailures('insufficient_quota', 1);
      const customer = newCustomer();
      await customer.writes(['¿hay domicilio?']);
      await eventually(async () => expect(sorted((await customer.snapshot()).openBuffer?.messageIds)).toEqual(sorted(customer.messageIds)));
      harness.advance(debounceSeconds * 1000 + 500);
      await eventually(async () => {
        const buffer = await prisma.messageBuffer.findFirstOrThrow({ where: { conversationId: customer.conversationId } });
        expect(buffer.failedAt).not.toBeNull();
        expect(buffer).toMatchObject({ retryCount: 1 });
        expect(buffer.failureReason).toContain('insufficient_quota');
      });
      await eventually(async () => expect((await customer.snapshot()).inFlight).toBeNull());
      expect(openai.chatRequests()).toHaveLength(1);
      expect(await prisma.message.count({ where: { conversationId: customer.conversationId, author: 'AI' } })).toBe(0);
    });

    it('drops the burst of a contact whose bot an operator switched off, without calling the model', async () => {
      const customer = newCustomer();
      await customer.writes(['hola']);
      await eventually(async () => expect((await customer.snapshot()).openBuffer).not.toBeNull());
      await prisma.$transaction(async (transaction) => {
        await transaction.contact.update({ where: { id: customer.contactId }, data: { botDisabled: true } });
        await enqueueEvent(
          transaction,
          ContactBotToggled.topic,
          ContactBotToggled.create({ businessId, contactId: customer.contactId, botDisabled: true, until: null, reason: 'operator_toggle' }),
        );
      });
      harness.wake();
      await eventually(async () => expect((await customer.snapshot()).botDisabled).toBe(true));
      harness.advance(debounceSeconds * 1000 + 500);
      await eventually(async () => expect((await customer.snapshot()).openBuffer).toBeNull());
      expect(openai.chatRequests()).toHaveLength(0);
      expect(await prisma.message.count({ where: { conversationId: customer.conversationId } })).toBe(1);
      const aiEvents = await harness.publishedEvents('ai.requests');
      expect(aiEvents.filter((event) => (event.data as { conversationId: string }).conversationId === customer.conversationId)).toHaveLength(0);
    });
  });
}
