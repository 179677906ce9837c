import { createOrder, enqueueEvent, recordInboundMessage } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { productSearchText, type DomainEvent } from '@app/domain';
import { createLocalPubSub, type LocalPubSub } from '@app/runtime/local';
import { createLogger } from '@app/runtime/service';
import { expectEventually } from '@app/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { voucherIntakeSubscription } from './voucher-intake.subscription.ts';

const logger = createLogger({ service: 'voucher-intake-test', level: 'silent' });
const clock = { now: () => new Date() };

// The whole path of a voucher: the message writer every provider uses, the outbox, the local pub/sub, the subscription.
describe('voucher intake through the outbox', () => {
  let database: TestDatabase;
  let pubsub: LocalPubSub;

  beforeAll(async () => {
    database = await createTestDatabase();
    pubsub = createLocalPubSub({ prisma: database.prisma, logger, pollIntervalMs: 50, retry: { initialDelayMs: 100, maxDelayMs: 500 } });
    pubsub.subscribe(voucherIntakeSubscription({ prisma: database.prisma, clock, logger }));
    await pubsub.start();
  });
  afterAll(async () => {
    await pubsub?.stop();
    await database?.drop();
  });

  it('attaches the photo a customer sends to their waiting order once, even when the event comes twice, and tells them', async () => {
    const prisma = database.prisma;
    const business = await prisma.business.create({ data: { name: 'Panadería' } });
    const instance = await prisma.instance.create({ data: { businessId: business.id, provider: 'SANDBOX', name: 'Sandbox' } });
    const pan = await prisma.product.create({
      data: {
        businessId: business.id,
        name: 'Pan',
        priceMinor: 150,
        currency: 'EUR',
        searchText: productSearchText({ name: 'Pan', category: null, sku: null }),
      },
    });
    const inbound = (providerMessageId: string, content: Parameters<typeof recordInboundMessage>[1]['content']) =>
      recordInboundMessage(prisma, {
        businessId: business.id,
        instanceId: instance.id,
        sender: { phone: '34600111222' },
        providerMessageId,
        sentAt: new Date(),
        content,
      });

    const first = await inbound('sandbox.1', { kind: 'text', text: 'Quiero dos panes' });
    const order = await createOrder(prisma, {
      businessId: business.id,
      contactId: first.contactId,
      conversationId: first.conversationId,
      items: [{ productId: pan.id, quantity: 2 }],
      customer: { name: 'Ana', address: 'Calle Mayor 1', notes: null },
      initialStatus: 'AWAITING_VOUCHER',
      by: 'AI',
      idempotencyKey: null,
      now: new Date(),
    });
    if (!order.ok) throw new Error('order not placed');

    const photo = await inbound('sandbox.2', { kind: 'image', media: { mediaId: 'remote-id', mimeType: 'image/jpeg' } });
    pubsub.wake();
    await expectEventually(async () => {
      expect((await prisma.order.findUniqueOrThrow({ where: { id: order.order.id } })).voucherMessageId).toBe(photo.messageId);
    });
    const acknowledgements = () => prisma.message.findMany({ where: { conversationId: first.conversationId, direction: 'OUTBOUND' } });
    await expectEventually(async () => expect(await acknowledgements()).toHaveLength(1));

    // A redelivery of the same event (same id) changes nothing.
    const event = (
      await prisma.outboxEvent.findFirstOrThrow({
        where: { topic: 'messages.inbound', payload: { path: ['data', 'messageId'], equals: photo.messageId } },
      })
    ).payload as unknown as DomainEvent;
    await prisma.$transaction((transaction) => enqueueEvent(transaction, 'messages.inbound', event, { key: first.conversationId }));
    pubsub.wake();
    await expectEventually(async () => expect(await prisma.outboxDelivery.count({ where: { subscriber: 'sales-vouchers' } })).toBe(0));
    expect(await acknowledgements()).toHaveLength(1);
    expect((await acknowledgements())[0]!.text).toContain('Recibimos tu comprobante');
  });
});
