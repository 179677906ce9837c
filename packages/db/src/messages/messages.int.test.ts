import { randomUUID } from 'node:crypto';
import { MessageStatusChanged, type MessageContent } from '@app/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/index.ts';
import { applyDeliveryStatus } from './apply-delivery-status.ts';
import { cancelOutboundMessage, claimOutboundMessage, markOutboundFailed, markOutboundSent, releaseOutboundMessage } from './outbound-transitions.ts';
import { createInboundMessageWriter, recordInboundMessage, type InboundMessageInput } from './record-inbound-message.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

async function createInstance() {
  const business = await database.prisma.business.create({ data: { name: `Shop ${randomUUID().slice(0, 6)}` } });
  const instance = await database.prisma.instance.create({
    data: { businessId: business.id, provider: 'META', name: 'main', phoneNumberId: randomUUID() },
  });
  return { businessId: business.id, instanceId: instance.id };
}

function inbound(target: { businessId: string; instanceId: string }, overrides: Partial<InboundMessageInput> = {}): InboundMessageInput {
  return {
    ...target,
    sender: { phone: '16505551234', name: 'Sheena' },
    providerMessageId: `wamid.${randomUUID()}`,
    sentAt: new Date('2026-01-02T10:00:00Z'),
    content: { kind: 'text', text: 'Hello' } satisfies MessageContent,
    ...overrides,
  };
}

async function outboxEvents(type: string) {
  const rows = await database.prisma.outboxEvent.findMany({ orderBy: { id: 'asc' } });
  return rows.map((row) => row.payload as { id: string; type: string; data: Record<string, unknown> }).filter((event) => event.type === type);
}

describe('createInboundMessageWriter (group commit)', () => {
  it('stores concurrent webhooks together, each answered with its own row, a burst in its order', async () => {
    const target = await createInstance();
    const writer = createInboundMessageWriter(database.prisma, { maxConcurrentBatches: 1 });
    const customers = Array.from({ length: 30 }, (_, index) => String(16505550000 + index));
    const results = await Promise.all([
      ...customers.map((phone) => writer.record(inbound(target, { sender: { phone }, content: { kind: 'text', text: `from ${phone}` } }))),
      writer.recordAll(
        ['first', 'second', 'third'].map((text) => inbound(target, { sender: { phone: '16505559999' }, content: { kind: 'text', text } })),
      ),
    ]);
    const singles = results.slice(0, customers.length) as { messageId: string; duplicate: boolean }[];
    expect(new Set(singles.map((result) => result.messageId)).size).toBe(customers.length);
    for (const [index, result] of singles.entries()) {
      const message = await database.prisma.message.findUniqueOrThrow({ where: { id: result.messageId } });
      expect(message.text).toBe(`from ${customers[index]}`);
    }
    const burst = results.at(-1) as { messageId: string; conversationId: string }[];
    const events = (await outboxEvents('message.received')).filter((event) => event.data.conversationId === burst[0]!.conversationId);
    expect(events.map((event) => event.data.messageId)).toEqual(burst.map((result) => result.messageId));
  });

  it('fails only the webhook whose message cannot be stored, not the ones stored with it', async () => {
    const target = await createInstance();
    const writer = createInboundMessageWriter(database.prisma, { maxConcurrentBatches: 1 });
    const good = Array.from({ length: 5 }, (_, index) => inbound(target, { sender: { phone: String(16505551000 + index) } }));
    // An instance of another business: the database refuses the cross-tenant link.
    const other = await createInstance();
    const bad = inbound({ businessId: target.businessId, instanceId: other.instanceId });
    const outcomes = await Promise.allSettled([...good.slice(0, 2), bad, ...good.slice(2)].map((input) => writer.record(input)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(await database.prisma.message.count({ where: { instanceId: target.instanceId } })).toBe(5);
    expect(await database.prisma.message.count({ where: { instanceId: other.instanceId } })).toBe(0);
  });

  it('stores a message holding NUL or a broken surrogate with U+FFFD, and the messages grouped with it as sent', async () => {
    const target = await createInstance();
    const writer = createInboundMessageWriter(database.prisma, { maxConcurrentBatches: 1 });
    const poisoned = inbound(target, {
      sender: { phone: '16505552000', name: 'Ana\u0000' },
      content: { kind: 'image', media: { mediaId: 'm1', caption: 'foto \uD83D' } },
    });
    const neighbours = Array.from({ length: 3 }, (_, index) =>
      inbound(target, { sender: { phone: String(16505552001 + index) }, content: { kind: 'text', text: 'hola \u0000 👋' } }),
    );
    const results = await Promise.all([poisoned, ...neighbours].map((input) => writer.record(input)));
    const stored = await database.prisma.message.findUniqueOrThrow({
      where: { id: results[0]!.messageId },
      include: { conversation: { include: { contact: true } } },
    });
    expect(stored.content).toMatchObject({ kind: 'image', media: { caption: 'foto \uFFFD' } });
    expect(stored.conversation.contact.name).toBe('Ana\uFFFD');
    for (const result of results.slice(1)) {
      expect((await database.prisma.message.findUniqueOrThrow({ where: { id: result.messageId } })).text).toBe('hola \uFFFD 👋');
    }
  });
});

describe('recordInboundMessage', () => {
  it('stores contact, conversation, message and one message.received event; a replay is a no-op', async () => {
    const target = await createInstance();
    const input = inbound(target, { content: { kind: 'text', text: 'Héllo 👍' } });
    const first = await recordInboundMessage(database.prisma, input);
    expect(first.duplicate).toBe(false);

    const message = await database.prisma.message.findUniqueOrThrow({ where: { id: first.messageId } });
    expect(message).toMatchObject({ direction: 'INBOUND', author: 'CUSTOMER', status: 'RECEIVED', kind: 'text', text: 'Héllo 👍' });
    expect(message.sentAt.toISOString()).toBe('2026-01-02T10:00:00.000Z');
    const conversation = await database.prisma.conversation.findUniqueOrThrow({ where: { id: first.conversationId } });
    expect(conversation).toMatchObject({ unreadCount: 1, lastMessagePreview: 'Héllo 👍', contactId: first.contactId });
    expect(conversation.lastInboundAt?.toISOString()).toBe('2026-01-02T10:00:00.000Z');
    const events = (await outboxEvents('message.received')).filter((event) => event.data.messageId === first.messageId);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ ...target, conversationId: first.conversationId, contactId: first.contactId, kind: 'text' });

    const replay = await recordInboundMessage(database.prisma, { ...input, now: new Date() });
    expect(replay).toEqual({ ...first, duplicate: true });
    expect(await database.prisma.message.count({ where: { conversationId: first.conversationId } })).toBe(1);
    expect((await database.prisma.conversation.findUniqueOrThrow({ where: { id: first.conversationId } })).unreadCount).toBe(1);
    expect((await outboxEvents('message.received')).filter((event) => event.data.messageId === first.messageId)).toHaveLength(1);
  });

  it('stores a burst of concurrent deliveries of the same message once', async () => {
    const target = await createInstance();
    const input = inbound(target);
    const results = await Promise.all(Array.from({ length: 8 }, () => recordInboundMessage(database.prisma, input)));
    expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
    expect(new Set(results.map((result) => result.messageId)).size).toBe(1);
    expect(await database.prisma.message.count({ where: { instanceId: target.instanceId } })).toBe(1);
    expect(await database.prisma.contact.count({ where: { businessId: target.businessId } })).toBe(1);
  });

  it('creates one contact and conversation for concurrent first messages of a new customer', async () => {
    const target = await createInstance();
    const results = await Promise.all(Array.from({ length: 6 }, () => recordInboundMessage(database.prisma, inbound(target))));
    expect(new Set(results.map((result) => result.contactId)).size).toBe(1);
    expect(new Set(results.map((result) => result.conversationId)).size).toBe(1);
    const conversation = await database.prisma.conversation.findUniqueOrThrow({ where: { id: results[0]!.conversationId } });
    expect(conversation.unreadCount).toBe(6);
  });

  it('keys contacts by BSUID too, and adds an identifier learnt later to the same contact', async () => {
    const target = await createInstance();
    const bsuid = 'US.13491208655302741918';
    const first = await recordInboundMessage(database.prisma, inbound(target, { sender: { waUserId: bsuid, name: 'Pablo' } }));
    const contact = await database.prisma.contact.findUniqueOrThrow({ where: { id: first.contactId } });
    expect(contact).toMatchObject({ phone: null, waUserId: bsuid, name: 'Pablo' });

    const second = await recordInboundMessage(database.prisma, inbound(target, { sender: { phone: '+5215512345678', waUserId: bsuid } }));
    expect(second.contactId).toBe(first.contactId);
    expect(second.conversationId).toBe(first.conversationId);
    expect(await database.prisma.contact.findUniqueOrThrow({ where: { id: first.contactId } })).toMatchObject({
      phone: '5215512345678',
      waUserId: bsuid,
      name: 'Pablo',
    });

    const byPhoneOnly = await recordInboundMessage(database.prisma, inbound(target, { sender: { phone: '5215512345678' } }));
    expect(byPhoneOnly.contactId).toBe(first.contactId);
    expect(await database.prisma.contact.count({ where: { businessId: target.businessId } })).toBe(1);
  });

  it('keeps tenants apart: the same phone in two businesses is two contacts', async () => {
    const [one, two] = [await createInstance(), await createInstance()];
    const a = await recordInboundMessage(database.prisma, inbound(one));
    const b = await recordInboundMessage(database.prisma, inbound(two));
    expect(a.contactId).not.toBe(b.contactId);
  });

  it('does not move the preview back for a message that arrives late', async () => {
    const target = await createInstance();
    const late = await recordInboundMessage(
      database.prisma,
      inbound(target, { content: { kind: 'text', text: 'newer' }, sentAt: new Date('2026-01-02T10:05:00Z') }),
    );
    await recordInboundMessage(
      database.prisma,
      inbound(target, { content: { kind: 'text', text: 'older' }, sentAt: new Date('2026-01-02T10:01:00Z') }),
    );
    const conversation = await database.prisma.conversation.findUniqueOrThrow({ where: { id: late.conversationId } });
    expect(conversation).toMatchObject({ lastMessagePreview: 'newer', unreadCount: 2 });
    expect(conversation.lastInboundAt?.toISOString()).toBe('2026-01-02T10:05:00.000Z');
  });
});

async function createOutbound(options: { bufferId?: string } = {}) {
  const target = await createInstance();
  const received = await recordInboundMessage(database.prisma, inbound(target));
  if (options.bufferId) {
    await database.prisma.messageBuffer.create({
      data: {
        id: options.bufferId,
        businessId: target.businessId,
        conversationId: received.conversationId,
        messageIds: [received.messageId],
        firstMessageAt: new Date(),
        lastMessageAt: new Date(),
      },
    });
  }
  const message = await database.prisma.message.create({
    data: {
      businessId: target.businessId,
      conversationId: received.conversationId,
      instanceId: target.instanceId,
      direction: 'OUTBOUND',
      author: 'AI',
      kind: 'text',
      text: 'Hi! How can I help?',
      content: { kind: 'text', text: 'Hi! How can I help?' },
      status: 'PENDING',
      sentAt: new Date(),
    },
  });
  return { ...target, messageId: message.id, conversationId: received.conversationId };
}

async function statusEvents(messageId: string) {
  return (await outboxEvents('message.status-changed')).filter((event) => event.data.messageId === messageId).map((event) => event.data.status);
}

describe('outbound transitions', () => {
  it('claims once, marks sent and deletes the answered buffer in the same statement', async () => {
    const bufferId = randomUUID();
    const outbound = await createOutbound({ bufferId });
    const claims = await Promise.all([
      claimOutboundMessage(database.prisma, outbound.messageId),
      claimOutboundMessage(database.prisma, outbound.messageId),
    ]);
    const claimed = claims.filter((claim) => claim !== null);
    expect(claimed).toHaveLength(1);
    expect(claimed[0]).toMatchObject({ sendAttempts: 1, text: 'Hi! How can I help?', contact: { phone: '16505551234', waUserId: null } });

    expect(await markOutboundSent(database.prisma, { messageId: outbound.messageId, providerMessageId: 'wamid.out-1', bufferId })).toBe(true);
    expect(await database.prisma.messageBuffer.findUnique({ where: { id: bufferId } })).toBeNull();
    expect(await database.prisma.message.findUniqueOrThrow({ where: { id: outbound.messageId } })).toMatchObject({
      status: 'SENT',
      providerMessageId: 'wamid.out-1',
    });
    expect(await markOutboundSent(database.prisma, { messageId: outbound.messageId, providerMessageId: 'wamid.out-1', bufferId })).toBe(false);
    expect(await claimOutboundMessage(database.prisma, outbound.messageId)).toBeNull();
    expect(await statusEvents(outbound.messageId)).toEqual(['SENDING', 'SENT']);
  });

  it('releases a throttled send back to PENDING and fails a permanent one', async () => {
    const outbound = await createOutbound();
    await claimOutboundMessage(database.prisma, outbound.messageId);
    expect(await releaseOutboundMessage(database.prisma, { messageId: outbound.messageId, code: 'META_THROUGHPUT', message: 'throttled' })).toBe(
      true,
    );
    expect((await claimOutboundMessage(database.prisma, outbound.messageId))?.sendAttempts).toBe(2);
    expect(await markOutboundFailed(database.prisma, { messageId: outbound.messageId, code: '131047', message: 'window closed' })).toBe(true);
    expect(await database.prisma.message.findUniqueOrThrow({ where: { id: outbound.messageId } })).toMatchObject({
      status: 'FAILED',
      errorCode: '131047',
    });
    expect(await claimOutboundMessage(database.prisma, outbound.messageId)).toBeNull();
    // A release is no delivery state: consoles hear of the two claims and the failure only.
    expect(await statusEvents(outbound.messageId)).toEqual(['SENDING', 'SENDING', 'FAILED']);
  });

  it('writes status events that match their schema, with the changed row’s business and conversation', async () => {
    const outbound = await createOutbound();
    const at = new Date('2026-03-04T05:06:07.000Z');
    await claimOutboundMessage(database.prisma, outbound.messageId, { now: at });
    await markOutboundFailed(database.prisma, { messageId: outbound.messageId, code: '131047', message: 'window closed', now: at });
    const events = (await outboxEvents('message.status-changed')).filter((event) => event.data.messageId === outbound.messageId);
    expect(events.map((event) => MessageStatusChanged.parse(event).data)).toEqual([
      {
        businessId: outbound.businessId,
        conversationId: outbound.conversationId,
        messageId: outbound.messageId,
        status: 'SENDING',
        errorCode: null,
        errorMessage: null,
        at: at.toISOString(),
      },
      {
        businessId: outbound.businessId,
        conversationId: outbound.conversationId,
        messageId: outbound.messageId,
        status: 'FAILED',
        errorCode: '131047',
        errorMessage: 'window closed',
        at: at.toISOString(),
      },
    ]);
    const rows = await database.prisma.outboxEvent.findMany({ where: { topic: MessageStatusChanged.topic, key: outbound.conversationId } });
    expect(rows).toHaveLength(2);
  });

  it('cancels only a pending message', async () => {
    const outbound = await createOutbound();
    expect(await cancelOutboundMessage(database.prisma, { messageId: outbound.messageId, reason: 'bot_disabled' })).toBe(true);
    expect(await claimOutboundMessage(database.prisma, outbound.messageId)).toBeNull();
    expect(await cancelOutboundMessage(database.prisma, { messageId: outbound.messageId })).toBe(false);
    expect(await statusEvents(outbound.messageId)).toEqual(['CANCELLED']);
  });

  it('applies delivery statuses monotonically: out of order, skipped delivered, redelivered, unknown id', async () => {
    const outbound = await createOutbound();
    await claimOutboundMessage(database.prisma, outbound.messageId);
    await markOutboundSent(database.prisma, { messageId: outbound.messageId, providerMessageId: 'wamid.out-2' });
    const apply = (status: 'sent' | 'delivered' | 'read' | 'failed') =>
      applyDeliveryStatus(database.prisma, { instanceId: outbound.instanceId, providerMessageId: 'wamid.out-2', status });

    expect(await apply('read')).toEqual({ applied: true, messageId: outbound.messageId });
    expect(await apply('delivered')).toEqual({ applied: false, reason: 'stale' });
    expect(await apply('sent')).toEqual({ applied: false, reason: 'stale' });
    expect(await apply('read')).toEqual({ applied: false, reason: 'stale' });
    expect(await apply('failed')).toEqual({ applied: false, reason: 'stale' });
    expect(await applyDeliveryStatus(database.prisma, { instanceId: outbound.instanceId, providerMessageId: 'wamid.nope', status: 'read' })).toEqual({
      applied: false,
      reason: 'unknown',
    });
    expect((await database.prisma.message.findUniqueOrThrow({ where: { id: outbound.messageId } })).status).toBe('READ');
    expect(await statusEvents(outbound.messageId)).toEqual(['SENDING', 'SENT', 'READ']);
  });

  it('records a failed status with its error code', async () => {
    const outbound = await createOutbound();
    await claimOutboundMessage(database.prisma, outbound.messageId);
    await markOutboundSent(database.prisma, { messageId: outbound.messageId, providerMessageId: 'wamid.out-3' });
    const outcome = await applyDeliveryStatus(database.prisma, {
      instanceId: outbound.instanceId,
      providerMessageId: 'wamid.out-3',
      status: 'failed',
      errors: [{ code: 131049, title: 'Not delivered', details: 'healthy ecosystem' }],
    });
    expect(outcome.applied).toBe(true);
    expect(await database.prisma.message.findUniqueOrThrow({ where: { id: outbound.messageId } })).toMatchObject({
      status: 'FAILED',
      errorCode: '131049',
      errorMessage: 'healthy ecosystem',
    });
  });
});

describe('on embedded PGlite (standalone mode)', () => {
  it('records, de-duplicates and transitions messages with the same statements', async () => {
    const { openDatabase } = await import('../open-database.ts');
    const { migrateDatabase } = await import('../migrations/migrate-database.ts');
    const embedded = await openDatabase({});
    try {
      await migrateDatabase(embedded);
      const business = await embedded.prisma.business.create({ data: { name: 'Embedded' } });
      const instance = await embedded.prisma.instance.create({ data: { businessId: business.id, provider: 'SANDBOX', name: 'sandbox' } });
      const input = inbound({ businessId: business.id, instanceId: instance.id }, { sender: { waUserId: 'US.1' } });
      const first = await recordInboundMessage(embedded.prisma, input);
      expect(await recordInboundMessage(embedded.prisma, input)).toEqual({ ...first, duplicate: true });
      const reply = await embedded.prisma.message.create({
        data: {
          businessId: business.id,
          conversationId: first.conversationId,
          instanceId: instance.id,
          direction: 'OUTBOUND',
          author: 'AI',
          kind: 'text',
          text: 'ok',
          status: 'PENDING',
          sentAt: new Date(),
        },
      });
      expect((await claimOutboundMessage(embedded.prisma, reply.id))?.contact.waUserId).toBe('US.1');
      expect(await markOutboundSent(embedded.prisma, { messageId: reply.id, providerMessageId: 'sandbox-1' })).toBe(true);
      expect(await applyDeliveryStatus(embedded.prisma, { instanceId: instance.id, providerMessageId: 'sandbox-1', status: 'read' })).toMatchObject({
        applied: true,
      });
      expect(await embedded.prisma.outboxEvent.count()).toBe(4);
    } finally {
      await embedded.close();
    }
  });
});
