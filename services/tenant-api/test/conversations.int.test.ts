import { recordInboundMessage } from '@app/db';
import { ContactBotToggled, MessageSendRequested, Topics, type DomainEvent } from '@app/domain';
import { createLogger } from '@app/runtime/service';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationPageSchema, messagePageSchema, operatorReplyResponseSchema } from '../src/conversations/conversations.schema.ts';
import { createSandboxEgressHandler } from '../src/index.ts';
import { expectError, signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

const hour = 60 * 60 * 1000;

describe('tenant API: conversations, operator replies, contacts and the sandbox provider', () => {
  let harness: TenantApiHarness;
  let owner: SignedInTenant;
  let other: SignedInTenant;
  let sandboxInstanceId: string;
  let metaInstanceId: string;

  const api = () => request(harness.app);
  const outbox = async (topic: string) =>
    (await harness.database.prisma.outboxEvent.findMany({ where: { topic }, orderBy: { id: 'asc' } })).map((row) => ({
      key: row.key,
      event: row.payload as unknown as DomainEvent<string, Record<string, unknown>>,
    }));
  const sandboxMessage = (from: string, text: string, idempotencyKey?: string) => {
    const call = api().post(`/api/sandbox/${sandboxInstanceId}/messages`).set('authorization', owner.bearer);
    if (idempotencyKey) call.set('idempotency-key', idempotencyKey);
    return call.send({ from, text, name: `Customer ${from.slice(-2)}` });
  };

  beforeAll(async () => {
    harness = await startTenantApiHarness();
    [owner, other] = await Promise.all([signUp(harness), signUp(harness)]);
    sandboxInstanceId = (
      await api().post('/api/instances').set('authorization', owner.bearer).send({ provider: 'SANDBOX', name: 'Sandbox' }).expect(201)
    ).body.id;
    metaInstanceId = (
      await api()
        .post('/api/instances')
        .set('authorization', owner.bearer)
        .send({ provider: 'META', name: 'Cloud', phoneNumberId: '1234567890', accessToken: 'EAAG-token-for-tests-0000000' })
        .expect(201)
    ).body.id;
    await api().put('/api/agent').set('authorization', owner.bearer).send({ handoffMinutes: 30 }).expect(200);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('stores a sandbox customer message once and shows it through the conversations API', async () => {
    const first = await sandboxMessage('+5215550000001', 'Hola, ¿tienen pan dulce? 🥐', 'retry-1').expect(202);
    const retried = await sandboxMessage('+5215550000001', 'Hola, ¿tienen pan dulce? 🥐', 'retry-1').expect(202);
    expect(first.body).toMatchObject({ duplicate: false, providerMessageId: 'sandbox.retry-1' });
    expect(retried.body).toEqual({ ...first.body, duplicate: true });
    await expect(harness.database.prisma.message.count({ where: { conversationId: first.body.conversationId } })).resolves.toBe(1);
    const received = (await outbox(Topics.messagesInbound)).filter((row) => row.event.data['messageId'] === first.body.messageId);
    expect(received).toHaveLength(1);

    const page = conversationPageSchema.parse((await api().get('/api/conversations').set('authorization', owner.bearer).expect(200)).body);
    const conversation = page.items.find((item) => item.id === first.body.conversationId)!;
    const sentAt = harness.clock.now();
    expect(conversation).toMatchObject({
      instance: { id: sandboxInstanceId, provider: 'SANDBOX' },
      contact: { id: first.body.contactId, phone: '5215550000001', name: 'Customer 01' },
      lastMessagePreview: 'Hola, ¿tienen pan dulce? 🥐',
      unreadCount: 1,
      window: { open: true, expiresAt: new Date(sentAt.getTime() + 24 * hour).toISOString() },
      botDisabled: false,
    });

    const messages = messagePageSchema.parse(
      (await api().get(`/api/conversations/${first.body.conversationId}/messages`).set('authorization', owner.bearer).expect(200)).body,
    );
    expect(messages).toEqual({
      items: [
        expect.objectContaining({
          id: first.body.messageId,
          direction: 'INBOUND',
          author: 'CUSTOMER',
          status: 'RECEIVED',
          text: 'Hola, ¿tienen pan dulce? 🥐',
        }),
      ],
      nextCursor: null,
    });
  });

  it('pages conversations and messages newest first with opaque cursors', async () => {
    const conversationIds: string[] = [];
    for (const suffix of ['11', '12', '13']) {
      harness.clock.advance(1000);
      conversationIds.push((await sandboxMessage(`+52155500000${suffix}`, `message from ${suffix}`).expect(202)).body.conversationId);
    }
    const firstPage = conversationPageSchema.parse(
      (await api().get('/api/conversations?limit=2').set('authorization', owner.bearer).expect(200)).body,
    );
    expect(firstPage.items.map((item) => item.id)).toEqual([conversationIds[2], conversationIds[1]]);
    const secondPage = conversationPageSchema.parse(
      (await api().get('/api/conversations').query({ limit: 2, cursor: firstPage.nextCursor }).set('authorization', owner.bearer).expect(200)).body,
    );
    expect(secondPage.items[0]!.id).toBe(conversationIds[0]);
    const seen = [...firstPage.items, ...secondPage.items].map((item) => item.id);
    expect(new Set(seen).size).toBe(seen.length);

    for (const text of ['second', 'third']) {
      harness.clock.advance(1000);
      await sandboxMessage('+5215550000013', text).expect(202);
    }
    const path = `/api/conversations/${conversationIds[2]}/messages`;
    const newest = messagePageSchema.parse((await api().get(path).query({ limit: 2 }).set('authorization', owner.bearer).expect(200)).body);
    expect(newest.items.map((item) => item.text)).toEqual(['third', 'second']);
    const oldest = messagePageSchema.parse(
      (await api().get(path).query({ limit: 2, cursor: newest.nextCursor }).set('authorization', owner.bearer).expect(200)).body,
    );
    expect(oldest).toEqual({ items: [expect.objectContaining({ text: 'message from 13' })], nextCursor: null });

    const badCursor = await api().get('/api/conversations').query({ cursor: 'bogus' }).set('authorization', owner.bearer).expect(400);
    expectError(badCursor.body, 'VALIDATION_FAILED');
    const badLimit = await api().get('/api/conversations').query({ limit: 1000 }).set('authorization', owner.bearer).expect(400);
    expect(expectError(badLimit.body, 'VALIDATION_FAILED').details).toEqual([{ path: 'query.limit', message: expect.any(String) }]);
  });

  it('searches every conversation of the business, not only a loaded page: names and texts ignoring accents, phones by digits', async () => {
    const customer = (from: string, name: string, text: string) =>
      api().post(`/api/sandbox/${sandboxInstanceId}/messages`).set('authorization', owner.bearer).send({ from, text, name }).expect(202);
    harness.clock.advance(1000);
    const jose = (await customer('+34612340071', 'José Núñez', '¿Abren el DOMINGO por la mañana?')).body.conversationId as string;
    for (let index = 0; index < 25; index += 1) {
      harness.clock.advance(1000);
      await customer(`+3461234${String(100 + index)}`, `Filler ${index}`, `Pedido número ${index}`);
    }
    harness.clock.advance(1000);
    await customer('+34612340071', 'José Núñez', 'gracias, hasta luego');
    harness.clock.advance(1000);
    const discount = (await customer('+34699990072', 'Marta', 'Tienen descuento del 100%?')).body.conversationId as string;
    const search = async (query: Record<string, string | number>, bearer = owner.bearer) =>
      conversationPageSchema.parse((await api().get('/api/conversations').query(query).set('authorization', bearer).expect(200)).body);

    const byName = await search({ q: 'jose nunez' });
    expect(byName.items.map((item) => item.id)).toEqual([jose]);
    expect(byName.items[0]!.searchMatch).toBeNull();

    // An older message of the conversation, not its preview: the result names the message that matched.
    const byText = await search({ q: 'domingo POR LA MANANA' });
    expect(byText.items).toEqual([expect.objectContaining({ id: jose, lastMessagePreview: 'gracias, hasta luego' })]);
    expect(byText.items[0]!.searchMatch).toMatchObject({ text: '¿Abren el DOMINGO por la mañana?', messageId: expect.any(String) });
    const matched = await harness.database.prisma.message.findUniqueOrThrow({ where: { id: byText.items[0]!.searchMatch!.messageId } });
    expect(byText.items[0]!.searchMatch!.sentAt).toBe(matched.sentAt.toISOString());

    expect((await search({ q: '+34 612-340 071' })).items.map((item) => item.id)).toEqual([jose]);
    // Wildcards and regex characters in the term are plain characters.
    expect((await search({ q: '100%?' })).items.map((item) => item.id)).toEqual([discount]);
    expect((await search({ q: '.*' })).items).toEqual([]);
    expect((await search({ q: '_' })).items).toEqual([]);

    // Pages of results with the same cursors as the plain list, in the same order.
    const first = await search({ q: 'pedido', limit: 10 });
    const rest = await search({ q: 'pedido', limit: 20, cursor: first.nextCursor! });
    expect(first.items).toHaveLength(10);
    expect(rest).toMatchObject({ nextCursor: null });
    expect(rest.items).toHaveLength(15);
    const names = [...first.items, ...rest.items].map((item) => item.contact.name);
    expect(names).toEqual(Array.from({ length: 25 }, (_, index) => `Filler ${24 - index}`));

    expect((await search({ q: 'jose', instanceId: metaInstanceId })).items).toEqual([]);
    expect((await search({ q: 'jose' }, other.bearer)).items).toEqual([]);
    const tooLong = await api()
      .get('/api/conversations')
      .query({ q: 'x'.repeat(101) })
      .set('authorization', owner.bearer)
      .expect(400);
    expect(expectError(tooLong.body, 'VALIDATION_FAILED').details).toEqual([{ path: 'query.q', message: expect.any(String) }]);
  });

  it('queues an operator reply with its events in one transaction, pauses the bot and honours the idempotency key', async () => {
    const inbound = (await sandboxMessage('+5215550000021', 'I want to talk to a person').expect(202)).body;
    const sendsBefore = (await outbox(Topics.messagesOutbound)).length;
    const togglesBefore = (await outbox(Topics.contactsBotControl)).length;
    const now = harness.clock.now();

    const reply = await api()
      .post(`/api/conversations/${inbound.conversationId}/messages`)
      .set('authorization', owner.bearer)
      .set('idempotency-key', 'reply-1')
      .send({ text: 'Hi, this is Ana. How can I help?' })
      .expect(201);
    const { message } = operatorReplyResponseSchema.parse(reply.body);
    expect(message).toMatchObject({
      direction: 'OUTBOUND',
      author: 'OPERATOR',
      status: 'PENDING',
      kind: 'text',
      text: 'Hi, this is Ana. How can I help?',
    });

    const sends = (await outbox(Topics.messagesOutbound)).slice(sendsBefore);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.key).toBe(inbound.conversationId);
    expect(MessageSendRequested.parse(sends[0]!.event).data).toEqual({
      businessId: owner.businessId,
      instanceId: sandboxInstanceId,
      conversationId: inbound.conversationId,
      contactId: inbound.contactId,
      messageId: message.id,
      provider: 'SANDBOX',
      bufferId: null,
    });
    const until = new Date(now.getTime() + 30 * 60_000).toISOString();
    const toggles = (await outbox(Topics.contactsBotControl)).slice(togglesBefore);
    expect(toggles.map((row) => ContactBotToggled.parse(row.event).data)).toEqual([
      { businessId: owner.businessId, contactId: inbound.contactId, botDisabled: true, until, reason: 'operator_reply' },
    ]);
    const contact = await harness.database.prisma.contact.findUniqueOrThrow({ where: { id: inbound.contactId } });
    expect(contact).toMatchObject({ botDisabled: true, botDisabledUntil: new Date(until) });

    // The client retries (a timeout, say): the same message comes back and nothing is queued twice.
    const retried = await api()
      .post(`/api/conversations/${inbound.conversationId}/messages`)
      .set('authorization', owner.bearer)
      .set('idempotency-key', 'reply-1')
      .send({ text: 'Hi, this is Ana. How can I help?' })
      .expect(200);
    expect(retried.body).toEqual({ message, replayed: true });
    expect((await outbox(Topics.messagesOutbound)).length).toBe(sendsBefore + 1);
    await expect(harness.database.prisma.message.count({ where: { conversationId: inbound.conversationId, author: 'OPERATOR' } })).resolves.toBe(1);

    const page = conversationPageSchema.parse((await api().get('/api/conversations').set('authorization', owner.bearer).expect(200)).body);
    expect(page.items.find((item) => item.id === inbound.conversationId)).toMatchObject({
      botDisabled: true,
      botDisabledUntil: until,
      unreadCount: 0,
      lastMessagePreview: 'Hi, this is Ana. How can I help?',
    });

    // The pause ends by itself at `until`, even before anything switches the flag back.
    harness.clock.advance(31 * 60_000);
    try {
      // The access token expired meanwhile (15 min); sign in again at the new time.
      const { body: tokens } = await api().post('/api/auth/login').send({ email: owner.email, password: owner.password }).expect(200);
      const later = conversationPageSchema.parse(
        (await api().get('/api/conversations').set('authorization', `Bearer ${tokens.accessToken}`).expect(200)).body,
      );
      expect(later.items.find((item) => item.id === inbound.conversationId)).toMatchObject({ botDisabled: false, botDisabledUntil: null });
    } finally {
      harness.clock.advance(-31 * 60_000);
    }
  });

  it('sends once when the same Idempotency-Key arrives twice at the same moment', async () => {
    const inbound = (await sandboxMessage('+5215550000022', 'double tap').expect(202)).body;
    const send = () =>
      api()
        .post(`/api/conversations/${inbound.conversationId}/messages`)
        .set('authorization', owner.bearer)
        .set('idempotency-key', 'same-moment')
        .send({ text: 'Only once, please' });
    const responses = await Promise.all([send(), send(), send()]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(responses.map((response) => response.body.message.id)).size).toBe(1);
    await expect(harness.database.prisma.message.count({ where: { conversationId: inbound.conversationId, author: 'OPERATOR' } })).resolves.toBe(1);
    const sends = (await outbox(Topics.messagesOutbound)).filter((row) => row.event.data['conversationId'] === inbound.conversationId);
    expect(sends).toHaveLength(1);
  });

  it('refuses free text to a Cloud API conversation outside the 24-hour window with 422, storing nothing', async () => {
    const now = harness.clock.now();
    const stale = await recordInboundMessage(harness.database.prisma, {
      businessId: owner.businessId,
      instanceId: metaInstanceId,
      sender: { phone: '5215550000031', name: 'Late customer' },
      providerMessageId: 'wamid.stale',
      sentAt: new Date(now.getTime() - 25 * hour),
      content: { kind: 'text', text: 'yesterday' },
      now: new Date(now.getTime() - 25 * hour),
    });
    const messagesBefore = await harness.database.prisma.message.count();
    const outboxBefore = await harness.database.prisma.outboxEvent.count();

    const refused = await api()
      .post(`/api/conversations/${stale.conversationId}/messages`)
      .set('authorization', owner.bearer)
      .send({ text: 'Sorry for the delay!' })
      .expect(422);
    const error = expectError(refused.body, 'WINDOW_CLOSED');
    expect(error.message).toMatch(/24-hour/);
    expect(error.message).toMatch(/template/);
    await expect(harness.database.prisma.message.count()).resolves.toBe(messagesBefore);
    await expect(harness.database.prisma.outboxEvent.count()).resolves.toBe(outboxBefore);
    await expect(harness.database.prisma.contact.findUniqueOrThrow({ where: { id: stale.contactId } })).resolves.toMatchObject({
      botDisabled: false,
    });

    const fresh = await recordInboundMessage(harness.database.prisma, {
      businessId: owner.businessId,
      instanceId: metaInstanceId,
      sender: { phone: '5215550000032' },
      providerMessageId: 'wamid.fresh',
      sentAt: new Date(now.getTime() - hour),
      content: { kind: 'text', text: 'an hour ago' },
    });
    const accepted = await api()
      .post(`/api/conversations/${fresh.conversationId}/messages`)
      .set('authorization', owner.bearer)
      .send({ text: 'Here I am' })
      .expect(201);
    const sends = await outbox(Topics.messagesOutbound);
    expect(sends.find((row) => row.event.data['messageId'] === accepted.body.message.id)?.event.data['provider']).toBe('META');
  });

  it('marks a conversation read', async () => {
    const inbound = (await sandboxMessage('+5215550000041', 'unread').expect(202)).body;
    await api().post(`/api/conversations/${inbound.conversationId}/read`).set('authorization', owner.bearer).expect(204);
    await expect(harness.database.prisma.conversation.findUniqueOrThrow({ where: { id: inbound.conversationId } })).resolves.toMatchObject({
      unreadCount: 0,
    });
  });

  it('switches the bot for a contact and publishes the change with it', async () => {
    const inbound = (await sandboxMessage('+5215550000051', 'hello').expect(202)).body;
    const path = `/api/contacts/${inbound.contactId}`;
    const until = new Date(harness.clock.now().getTime() + 2 * hour).toISOString();
    const togglesBefore = (await outbox(Topics.contactsBotControl)).length;

    const paused = await api().patch(path).set('authorization', owner.bearer).send({ botDisabled: true, until }).expect(200);
    expect(paused.body).toMatchObject({ id: inbound.contactId, botDisabled: true, botDisabledUntil: until });
    const resumed = await api().patch(path).set('authorization', owner.bearer).send({ botDisabled: false }).expect(200);
    expect(resumed.body).toMatchObject({ botDisabled: false, botDisabledUntil: null });
    const toggles = (await outbox(Topics.contactsBotControl)).slice(togglesBefore);
    expect(toggles.map((row) => [row.key, ContactBotToggled.parse(row.event).data])).toEqual([
      [inbound.contactId, { businessId: owner.businessId, contactId: inbound.contactId, botDisabled: true, until, reason: 'operator_toggle' }],
      [inbound.contactId, { businessId: owner.businessId, contactId: inbound.contactId, botDisabled: false, until: null, reason: 'operator_toggle' }],
    ]);

    const past = new Date(harness.clock.now().getTime() - 1000).toISOString();
    expectError(
      (await api().patch(path).set('authorization', owner.bearer).send({ botDisabled: true, until: past }).expect(400)).body,
      'VALIDATION_FAILED',
    );
    expectError(
      (await api().patch(path).set('authorization', owner.bearer).send({ botDisabled: false, until }).expect(400)).body,
      'VALIDATION_FAILED',
    );
    expectError((await api().patch(path).set('authorization', owner.bearer).send({}).expect(400)).body, 'VALIDATION_FAILED');
    expect((await outbox(Topics.contactsBotControl)).length).toBe(togglesBefore + 2);
  });

  it('keeps another business out: its ids are 404 everywhere and nothing changes', async () => {
    const inbound = (await sandboxMessage('+5215550000061', 'private').expect(202)).body;
    const messagesBefore = await harness.database.prisma.message.count();
    const outboxBefore = await harness.database.prisma.outboxEvent.count();
    const intruder = other.bearer;

    const theirs = conversationPageSchema.parse((await api().get('/api/conversations').set('authorization', intruder).expect(200)).body);
    expect(theirs.items).toEqual([]);
    expectError(
      (await api().get(`/api/conversations/${inbound.conversationId}/messages`).set('authorization', intruder).expect(404)).body,
      'NOT_FOUND',
    );
    expectError(
      (await api().post(`/api/conversations/${inbound.conversationId}/messages`).set('authorization', intruder).send({ text: 'hi' }).expect(404))
        .body,
      'NOT_FOUND',
    );
    expectError((await api().post(`/api/conversations/${inbound.conversationId}/read`).set('authorization', intruder).expect(404)).body, 'NOT_FOUND');
    expectError(
      (await api().patch(`/api/contacts/${inbound.contactId}`).set('authorization', intruder).send({ botDisabled: true }).expect(404)).body,
      'NOT_FOUND',
    );
    expectError(
      (
        await api()
          .post(`/api/sandbox/${sandboxInstanceId}/messages`)
          .set('authorization', intruder)
          .send({ from: '+5215550000062', text: 'spoof' })
          .expect(404)
      ).body,
      'NOT_FOUND',
    );
    expect(
      (await api().get('/api/conversations').query({ instanceId: sandboxInstanceId }).set('authorization', intruder).expect(200)).body.items,
    ).toEqual([]);

    await expect(harness.database.prisma.message.count()).resolves.toBe(messagesBefore);
    await expect(harness.database.prisma.outboxEvent.count()).resolves.toBe(outboxBefore);
    await expect(harness.database.prisma.contact.findUniqueOrThrow({ where: { id: inbound.contactId } })).resolves.toMatchObject({
      botDisabled: false,
    });
    await expect(harness.database.prisma.conversation.findUniqueOrThrow({ where: { id: inbound.conversationId } })).resolves.toMatchObject({
      unreadCount: 1,
    });
  });

  it('accepts simulated customer messages only for SANDBOX instances, with a valid sender', async () => {
    const meta = await api()
      .post(`/api/sandbox/${metaInstanceId}/messages`)
      .set('authorization', owner.bearer)
      .send({ from: '+5215550000071', text: 'x' })
      .expect(409);
    expectError(meta.body, 'CONFLICT');
    const invalid = await api()
      .post(`/api/sandbox/${sandboxInstanceId}/messages`)
      .set('authorization', owner.bearer)
      .send({ from: 'call me', text: '' })
      .expect(400);
    const details = expectError(invalid.body, 'VALIDATION_FAILED').details as Array<{ path: string }>;
    expect(details.map((detail) => detail.path).sort()).toEqual(['body.from', 'body.text']);
  });

  it('delivers SANDBOX replies through the shared outbound transitions and leaves other providers alone', async () => {
    const handler = createSandboxEgressHandler({
      prisma: harness.database.prisma,
      logger: createLogger({ service: 'tenant-api-test', level: 'silent' }),
      clock: harness.clock,
    });
    const inbound = (await sandboxMessage('+5215550000081', 'egress please').expect(202)).body;
    harness.clock.advance(1000);
    const reply = (
      await api()
        .post(`/api/conversations/${inbound.conversationId}/messages`)
        .set('authorization', owner.bearer)
        .send({ text: 'On its way' })
        .expect(201)
    ).body;
    const request = (await outbox(Topics.messagesOutbound)).find((row) => row.event.data['messageId'] === reply.message.id)!.event;

    await expect(handler(request)).resolves.toBe('success');
    // A redelivery changes nothing.
    await expect(handler(request)).resolves.toBe('success');
    const stored = await harness.database.prisma.message.findUniqueOrThrow({ where: { id: reply.message.id } });
    expect(stored).toMatchObject({ status: 'SENT', providerMessageId: `sandbox.out.${reply.message.id}` });
    const statuses = (await outbox(Topics.messagesStatus))
      .filter((row) => row.event.data['messageId'] === reply.message.id)
      .map((row) => row.event.data['status']);
    expect(statuses).toEqual(['SENDING', 'SENT']);
    const messages = messagePageSchema.parse(
      (await api().get(`/api/conversations/${inbound.conversationId}/messages`).set('authorization', owner.bearer).expect(200)).body,
    );
    expect(messages.items[0]).toMatchObject({ id: reply.message.id, status: 'SENT' });

    const metaConversation = await recordInboundMessage(harness.database.prisma, {
      businessId: owner.businessId,
      instanceId: metaInstanceId,
      sender: { phone: '5215550000082' },
      providerMessageId: 'wamid.egress',
      sentAt: harness.clock.now(),
      content: { kind: 'text', text: 'cloud' },
    });
    const metaReply = (
      await api()
        .post(`/api/conversations/${metaConversation.conversationId}/messages`)
        .set('authorization', owner.bearer)
        .send({ text: 'via Graph' })
        .expect(201)
    ).body;
    const metaRequest = (await outbox(Topics.messagesOutbound)).find((row) => row.event.data['messageId'] === metaReply.message.id)!.event;
    await expect(handler(metaRequest)).resolves.toBe('success');
    await expect(harness.database.prisma.message.findUniqueOrThrow({ where: { id: metaReply.message.id } })).resolves.toMatchObject({
      status: 'PENDING',
    });

    await expect(handler({ ...request, data: { messageId: 42 } })).resolves.toBe('drop');
  });
});
