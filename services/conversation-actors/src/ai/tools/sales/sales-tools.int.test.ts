import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { MessageReceived, productSearchText, type AgentTool, type ToolCallContext } from '@app/domain';
import { createLogger } from '@app/runtime/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { voucherIntakeSubscription } from '../../../subscriptions/voucher-intake.subscription.ts';
import { createToolProviders } from '../tool-providers.ts';
import { createSalesToolProvider } from './sales-tools.ts';

const now = new Date('2026-03-02T12:00:00Z');
const clock = { now: () => now };
const logger = createLogger({ service: 'sales-tools-test', level: 'silent' });

describe('sales tools and voucher intake', () => {
  let database: TestDatabase;
  let shop: Awaited<ReturnType<typeof seed>>;
  let other: Awaited<ReturnType<typeof seed>>;

  async function seed(name: string, objective: 'SALES' | 'APPOINTMENTS' = 'SALES') {
    const prisma = database.prisma;
    const business = await prisma.business.create({ data: { name, objective } });
    const instance = await prisma.instance.create({ data: { businessId: business.id, provider: 'SANDBOX', name: 'Sandbox' } });
    const contacts: Array<{ contactId: string; conversationId: string }> = [];
    for (const phone of ['+34600000001', '+34600000002']) {
      const contact = await prisma.contact.create({ data: { businessId: business.id, phone } });
      const conversation = await prisma.conversation.create({ data: { businessId: business.id, instanceId: instance.id, contactId: contact.id } });
      contacts.push({ contactId: contact.id, conversationId: conversation.id });
    }
    const product = async (name: string, priceMinor: number, stock: number | null = null) =>
      prisma.product.create({
        data: {
          businessId: business.id,
          name,
          priceMinor,
          currency: 'EUR',
          stock,
          category: null,
          searchText: productSearchText({ name, category: null, sku: null }),
        },
      });
    const products = {
      panIntegral: await product('Pan integral 500 g', 250, 20),
      panBlanco: await product('Pan blanco', 180),
      camisa: await product('Camisa azul', 1999, 1),
    };
    const context = (index = 0, key = 'buffer-1:0:0'): ToolCallContext => ({
      businessId: business.id,
      instanceId: instance.id,
      conversationId: contacts[index]!.conversationId,
      contactId: contacts[index]!.contactId,
      provider: 'SANDBOX',
      idempotencyKey: key,
      signal: new AbortController().signal,
    });
    return { businessId: business.id, instanceId: instance.id, contacts, products, context };
  }

  const toolsOf = async (tenant: Awaited<ReturnType<typeof seed>>, index = 0) => {
    const set = await createSalesToolProvider({ prisma: database.prisma, clock }).load({
      businessId: tenant.businessId,
      contactId: tenant.contacts[index]!.contactId,
      conversationId: tenant.contacts[index]!.conversationId,
    });
    return Object.fromEntries(set.tools.map((tool) => [tool.name, tool])) as Record<string, AgentTool>;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    shop = await seed('Panadería');
    other = await seed('Otra');
  });
  afterAll(() => database?.drop());

  it('registers the sales tools only for SALES businesses, and the payment link only on a plan that has it', async () => {
    expect(Object.keys(await toolsOf(shop))).toEqual(['buscar_producto', 'crear_pedido', 'consultar_pedido']);
    const salon = await seed('Salón', 'APPOINTMENTS');
    expect(await toolsOf(salon)).toEqual({});
    // A shop that has not listed a product yet: nothing to sell, so no sales tools and no "you sell" instructions.
    const empty = await database.prisma.business.create({ data: { name: 'Vacía', objective: 'SALES' } });
    expect(
      await createSalesToolProvider({ prisma: database.prisma, clock }).load({ businessId: empty.id, contactId: empty.id, conversationId: empty.id }),
    ).toEqual({
      tools: [],
    });
    const pro = await seed('Pro');
    await database.prisma.business.update({ where: { id: pro.businessId }, data: { plan: 'pro' } });
    const proTools = await toolsOf(pro);
    expect(Object.keys(proTools)).toContain('generar_link_pago');
    expect(await proTools['generar_link_pago']!.run({ reference: '#X' }, pro.context())).toEqual({
      ok: false,
      error: expect.stringContaining('not available yet'),
    });
    expect(proTools['crear_pedido']!.sideEffects).toBe(true);
    // The registry every reply asks.
    const providers = createToolProviders({ prisma: database.prisma, clock, logger });
    const all = await Promise.all(
      providers.map((provider) =>
        provider.load({ businessId: shop.businessId, contactId: shop.contacts[0]!.contactId, conversationId: shop.contacts[0]!.conversationId }),
      ),
    );
    expect(all.flatMap((set) => set.tools.map((tool) => tool.name))).toEqual(['buscar_producto', 'crear_pedido', 'consultar_pedido']);
  });

  it('buscar_producto finds products despite typos, with price and stock, only in this catalogue', async () => {
    const tools = await toolsOf(shop);
    const outcome = await tools['buscar_producto']!.run({ query: 'pan intergral' }, shop.context());
    expect(outcome.ok).toBe(true);
    const matches = (outcome as { result: { matches: Array<Record<string, unknown>> } }).result.matches;
    expect(matches[0]).toMatchObject({
      productId: shop.products.panIntegral.id,
      name: 'Pan integral 500 g',
      price: expect.stringContaining('2,50'),
      stock: 20,
    });
    const theirs = await (await toolsOf(other))['buscar_producto']!.run({ query: 'pan intergral' }, other.context());
    expect(JSON.stringify(theirs)).not.toContain(shop.products.panIntegral.id);
    expect(await tools['buscar_producto']!.run({ query: '  ' }, shop.context())).toMatchObject({ ok: false });
  });

  it('crear_pedido asks for missing data, prices from the catalogue, and a repeated call creates one order', async () => {
    const tools = await toolsOf(shop);
    const items = [{ productId: shop.products.panIntegral.id, quantity: 3, price: 1 }];
    const missing = await tools['crear_pedido']!.run({ items, customerName: '', address: ' ' }, shop.context());
    expect(missing).toEqual({ ok: false, error: expect.stringContaining('the customer’s name and the delivery address') });
    expect(await database.prisma.order.count({ where: { businessId: shop.businessId } })).toBe(0);

    const args = { items, customerName: 'Ana López', address: 'Calle Mayor 1, Madrid', totalMinor: 1 };
    const first = await tools['crear_pedido']!.run(args, shop.context(0, 'buffer-7:1:0'));
    const again = await tools['crear_pedido']!.run(args, shop.context(0, 'buffer-7:1:0'));
    expect(first).toMatchObject({
      ok: true,
      result: { order: { status: 'AWAITING_VOUCHER', total: expect.stringContaining('7,50'), customerName: 'Ana López' } },
    });
    expect(again).toEqual(first);
    expect(await database.prisma.order.count({ where: { businessId: shop.businessId } })).toBe(1);

    const unknown = await tools['crear_pedido']!.run(
      { ...args, items: [{ productId: other.products.panIntegral.id, quantity: 1 }] },
      shop.context(0, 'buffer-8:0:0'),
    );
    expect(unknown).toEqual({ ok: false, error: expect.stringContaining('does not exist') });
    const negative = await tools['crear_pedido']!.run(
      { ...args, items: [{ productId: shop.products.panBlanco.id, quantity: -1 }] },
      shop.context(0, 'buffer-9:0:0'),
    );
    expect(negative).toMatchObject({ ok: false });
    expect(await database.prisma.order.count({ where: { businessId: shop.businessId } })).toBe(1);
  });

  it('consultar_pedido shows this contact’s orders only', async () => {
    const tools = await toolsOf(shop);
    const mine = await tools['consultar_pedido']!.run({}, shop.context(0));
    expect((mine as { result: { orders: unknown[] } }).result.orders).toHaveLength(1);
    const reference = (mine as { result: { orders: Array<{ reference: string }> } }).result.orders[0]!.reference;
    expect(await tools['consultar_pedido']!.run({ reference }, shop.context(0))).toMatchObject({ ok: true, result: { orders: [{ reference }] } });
    // The other customer of the same shop, and the same reference asked by them, see nothing.
    expect(await tools['consultar_pedido']!.run({}, shop.context(1))).toMatchObject({ ok: true, result: { orders: [] } });
    expect(await tools['consultar_pedido']!.run({ reference }, shop.context(1))).toMatchObject({ ok: true, result: { orders: [] } });
  });

  it('attaches an image to the waiting order once, even when the event is delivered twice, and tells the customer', async () => {
    const subscription = voucherIntakeSubscription({ prisma: database.prisma, clock, logger });
    const prisma = database.prisma;
    const [customer, stranger] = shop.contacts;
    const inbound = async (contact: { contactId: string; conversationId: string }, kind: string, providerMessageId: string) => {
      const message = await prisma.message.create({
        data: {
          businessId: shop.businessId,
          conversationId: contact.conversationId,
          instanceId: shop.instanceId,
          direction: 'INBOUND',
          author: 'CUSTOMER',
          kind,
          providerMessageId,
          status: 'RECEIVED',
          sentAt: now,
        },
      });
      return MessageReceived.create({
        businessId: shop.businessId,
        instanceId: shop.instanceId,
        conversationId: contact.conversationId,
        contactId: contact.contactId,
        messageId: message.id,
        providerMessageId,
        kind,
        sentAt: now.toISOString(),
      });
    };

    // A text, or an image from a contact without a waiting order: nothing happens.
    expect(await subscription.handler(await inbound(customer!, 'text', 'm-text'))).toBe('success');
    expect(await subscription.handler(await inbound(stranger!, 'image', 'm-stranger'))).toBe('success');
    expect(await prisma.message.count({ where: { direction: 'OUTBOUND', businessId: shop.businessId } })).toBe(0);

    const voucher = await inbound(customer!, 'image', 'm-voucher');
    expect(await subscription.handler(voucher)).toBe('success');
    expect(await subscription.handler(voucher)).toBe('success');
    const order = await prisma.order.findFirstOrThrow({ where: { businessId: shop.businessId, contactId: customer!.contactId } });
    expect(order).toMatchObject({ status: 'AWAITING_VOUCHER', voucherMessageId: voucher.data.messageId, voucherAt: now });
    const told = await prisma.message.findMany({ where: { direction: 'OUTBOUND', businessId: shop.businessId } });
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ conversationId: customer!.conversationId, status: 'PENDING', author: 'AI' });
    expect(told[0]!.text).toContain('Recibimos tu comprobante');
    expect(await prisma.outboxEvent.count({ where: { topic: 'messages.outbound' } })).toBe(1);
    expect(await prisma.outboxEvent.count({ where: { topic: 'orders' } })).toBe(2);
  });
});
