import { randomBytes, randomUUID } from 'node:crypto';
import { SecretBox } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { MessageSendCancelled, MessageSendRequested, type DomainEvent } from '@app/domain';
import { createLocalPubSub } from '@app/runtime/local';
import type { EventHandler } from '@app/runtime/ports';
import { createLogger } from '@app/runtime/service';
import { startGraphApiServer, type GraphApiServer } from '@app/testkit/meta-graph';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphApiClient } from './graph-api-client.ts';
import { accessTokenFromSecretBox, createMetaEgressHandler } from './meta-egress.subscription.ts';

const logger = createLogger({ service: 'meta-egress-test', level: 'silent' });
const secretBox = new SecretBox({ currentKeyId: 'k1', keys: { k1: randomBytes(32) } });
let database: TestDatabase;
let graph: GraphApiServer;
let handler: EventHandler;

beforeAll(async () => {
  database = await createTestDatabase();
  graph = await startGraphApiServer();
  handler = createMetaEgressHandler({
    prisma: database.prisma,
    graph: createGraphApiClient({ graphUrl: graph.url }),
    readAccessToken: accessTokenFromSecretBox(secretBox),
    logger,
    maxAttempts: 3,
  }).handler;
});
afterAll(async () => {
  await graph?.close();
  await database?.drop();
});
beforeEach(() => graph.reset());

interface Scenario {
  businessId: string;
  instanceId: string;
  conversationId: string;
  contactId: string;
  phoneNumberId: string;
}

async function createScenario(contact: { phone?: string; waUserId?: string } = { phone: '16505551234' }): Promise<Scenario> {
  const phoneNumberId = String(100000000000000 + Math.floor(Math.random() * 1e12));
  const accessToken = `EAAG${randomUUID().replace(/-/g, '')}`;
  graph.addPhoneNumber(phoneNumberId, accessToken);
  const business = await database.prisma.business.create({ data: { name: 'Lucky Shrub' } });
  const instance = await database.prisma.instance.create({ data: { businessId: business.id, provider: 'META', name: 'Cloud API', phoneNumberId } });
  await database.prisma.instance.update({
    where: { id: instance.id },
    data: { encryptedCredentials: secretBox.encrypt(JSON.stringify({ accessToken }), instance.id) },
  });
  const customer = await database.prisma.contact.create({ data: { businessId: business.id, ...contact } });
  const conversation = await database.prisma.conversation.create({
    data: { businessId: business.id, instanceId: instance.id, contactId: customer.id },
  });
  return { businessId: business.id, instanceId: instance.id, conversationId: conversation.id, contactId: customer.id, phoneNumberId };
}

async function requestSend(
  scenario: Scenario,
  options: { text?: string; content?: object; kind?: string; bufferId?: string | null; provider?: 'META' | 'SANDBOX' } = {},
) {
  const text = options.text ?? 'Hi! Yes, it comes in green.';
  const message = await database.prisma.message.create({
    data: {
      businessId: scenario.businessId,
      conversationId: scenario.conversationId,
      instanceId: scenario.instanceId,
      direction: 'OUTBOUND',
      author: 'AI',
      kind: options.kind ?? 'text',
      text,
      content: options.content ?? { kind: 'text', text },
      status: 'PENDING',
      sentAt: new Date(),
    },
  });
  const event = MessageSendRequested.create({
    businessId: scenario.businessId,
    instanceId: scenario.instanceId,
    conversationId: scenario.conversationId,
    contactId: scenario.contactId,
    messageId: message.id,
    provider: options.provider ?? 'META',
    bufferId: options.bufferId ?? null,
  });
  return { messageId: message.id, event: event as DomainEvent };
}

const stored = (messageId: string) => database.prisma.message.findUniqueOrThrow({ where: { id: messageId } });
const sendsTo = (phoneNumberId: string) => graph.requests.filter((request) => request.path.endsWith(`/${phoneNumberId}/messages`));

describe('createMetaEgressHandler', () => {
  it('sends a text reply, marks it SENT with the wamid, deletes the answered buffer, and never sends it again', async () => {
    const scenario = await createScenario();
    const buffer = await database.prisma.messageBuffer.create({
      data: {
        id: randomUUID(),
        businessId: scenario.businessId,
        conversationId: scenario.conversationId,
        messageIds: [],
        firstMessageAt: new Date(),
        lastMessageAt: new Date(),
      },
    });
    const { messageId, event } = await requestSend(scenario, { bufferId: buffer.id });

    expect(await handler(event)).toBe('success');
    expect(graph.accepted).toHaveLength(1);
    expect(graph.accepted[0]).toMatchObject({
      phoneNumberId: scenario.phoneNumberId,
      to: '16505551234',
      type: 'text',
      body: { text: { body: 'Hi! Yes, it comes in green.' } },
    });
    expect(await stored(messageId)).toMatchObject({ status: 'SENT', providerMessageId: graph.accepted[0]!.wamid, sendAttempts: 1 });
    expect(await database.prisma.messageBuffer.findUnique({ where: { id: buffer.id } })).toBeNull();

    expect(await handler(event)).toBe('success');
    expect(graph.accepted).toHaveLength(1);
  });

  it('retries after 130429 and delivers exactly one message', async () => {
    const scenario = await createScenario();
    const { messageId, event } = await requestSend(scenario);
    graph.injectError({ code: 130429 });

    expect(await handler(event)).toBe('retry');
    expect(await stored(messageId)).toMatchObject({ status: 'PENDING', errorCode: '130429' });
    expect(graph.accepted).toHaveLength(0);

    expect(await handler(event)).toBe('success');
    expect(await handler(event)).toBe('success');
    expect(sendsTo(scenario.phoneNumberId).map((request) => request.status)).toEqual([400, 200]);
    expect(graph.accepted).toHaveLength(1);
    expect(await stored(messageId)).toMatchObject({ status: 'SENT', errorCode: null, sendAttempts: 2 });
  });

  it('fails with 131047 (window closed) and does not resend', async () => {
    const scenario = await createScenario();
    const { messageId, event } = await requestSend(scenario);
    graph.injectError({ code: 131047 });

    expect(await handler(event)).toBe('success');
    expect(await stored(messageId)).toMatchObject({ status: 'FAILED', errorCode: '131047' });
    expect(await handler(event)).toBe('success');
    expect(sendsTo(scenario.phoneNumberId)).toHaveLength(1);
    expect(graph.accepted).toHaveLength(0);
  });

  it('gives up after maxAttempts of throttling', async () => {
    const scenario = await createScenario();
    const { messageId, event } = await requestSend(scenario);
    graph.injectError({ code: 131056, times: 10 });
    expect([await handler(event), await handler(event), await handler(event)]).toEqual(['retry', 'retry', 'success']);
    expect(await stored(messageId)).toMatchObject({ status: 'FAILED', errorCode: '131056', sendAttempts: 3 });
  });

  it('flags the instance when Meta rejects the token', async () => {
    const scenario = await createScenario();
    const { messageId, event } = await requestSend(scenario);
    graph.injectError({ code: 190 });
    expect(await handler(event)).toBe('success');
    expect(await stored(messageId)).toMatchObject({ status: 'FAILED', errorCode: '190' });
    expect(await database.prisma.instance.findUniqueOrThrow({ where: { id: scenario.instanceId } })).toMatchObject({ status: 'auth_failed' });
    expect(
      await database.prisma.systemEvent.count({
        where: { businessId: scenario.businessId, severity: 'ERROR', event: 'meta_egress.instance_flagged' },
      }),
    ).toBe(1);
  });

  it('fails (without sending) when the stored token cannot be decrypted', async () => {
    const scenario = await createScenario();
    await database.prisma.instance.update({ where: { id: scenario.instanceId }, data: { encryptedCredentials: 'v1.k1.tampered.x.y' } });
    const { messageId, event } = await requestSend(scenario);
    expect(await handler(event)).toBe('success');
    expect(await stored(messageId)).toMatchObject({ status: 'FAILED', errorCode: 'META_CREDENTIALS_UNREADABLE' });
    expect(graph.requests).toHaveLength(0);
  });

  it('addresses a BSUID-only contact through `recipient`', async () => {
    const scenario = await createScenario({ waUserId: 'US.13491208655302741918' });
    const { event } = await requestSend(scenario);
    expect(await handler(event)).toBe('success');
    expect(graph.accepted[0]).toMatchObject({ recipient: 'US.13491208655302741918', to: undefined });
  });

  it('sends media by id with caption and quotes the message it replies to', async () => {
    const scenario = await createScenario();
    const content = { kind: 'image', media: { mediaId: '1003383421387256', caption: 'Green one' }, context: { providerMessageId: 'wamid.customer' } };
    const { messageId, event } = await requestSend(scenario, { kind: 'image', content });
    expect(await handler(event)).toBe('success');
    expect(graph.accepted[0]?.body).toMatchObject({
      type: 'image',
      image: { id: '1003383421387256', caption: 'Green one' },
      context: { message_id: 'wamid.customer' },
    });
    expect((await stored(messageId)).status).toBe('SENT');
  });

  it('skips other providers and cancels on message.send-cancelled', async () => {
    const scenario = await createScenario();
    const sandbox = await requestSend(scenario, { provider: 'SANDBOX' });
    expect(await handler(sandbox.event)).toBe('success');
    expect((await stored(sandbox.messageId)).status).toBe('PENDING');

    const cancelled = await requestSend(scenario);
    const cancel = MessageSendCancelled.create({
      businessId: scenario.businessId,
      instanceId: scenario.instanceId,
      conversationId: scenario.conversationId,
      contactId: scenario.contactId,
      messageId: cancelled.messageId,
      bufferId: null,
      reason: 'bot_disabled',
    });
    expect(await handler(cancel as DomainEvent)).toBe('success');
    expect(await handler(cancelled.event)).toBe('success');
    expect((await stored(cancelled.messageId)).status).toBe('CANCELLED');
    expect(graph.requests).toHaveLength(0);
    expect(await handler({ ...cancelled.event, data: { nonsense: true } })).toBe('drop');
  });
});

describe('meta egress on the local pub/sub', () => {
  it('redelivers a throttled send and the customer gets exactly one message', async () => {
    const scenario = await createScenario();
    const pubsub = createLocalPubSub({
      prisma: database.prisma,
      logger,
      pollIntervalMs: 20,
      retry: { initialDelayMs: 50, maxDelayMs: 200, maxAttempts: 10 },
    });
    pubsub.subscribe(
      createMetaEgressHandler({
        prisma: database.prisma,
        graph: createGraphApiClient({ graphUrl: graph.url }),
        readAccessToken: accessTokenFromSecretBox(secretBox),
        logger,
      }),
    );
    await pubsub.start();
    try {
      graph.injectError({ code: 130429, times: 2 });
      const { messageId, event } = await requestSend(scenario);
      await pubsub.publish(MessageSendRequested.topic, event, { key: scenario.conversationId });
      pubsub.wake();
      await expect.poll(async () => (await stored(messageId)).status, { timeout: 20_000, interval: 50 }).toBe('SENT');
      expect(graph.accepted).toHaveLength(1);
      expect(sendsTo(scenario.phoneNumberId)).toHaveLength(3);
    } finally {
      await pubsub.stop();
    }
  });
});
