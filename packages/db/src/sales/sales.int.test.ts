import { OrderTransitionError, productSearchText } from '@app/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../testing/create-test-database.ts';
import type { Database } from '../database.ts';
import { migrateDatabase } from '../migrations/migrate-database.ts';
import { openDatabase } from '../open-database.ts';
import { attachVoucher, confirmVoucher, createOrder, rejectVoucher, transitionOrder, VoucherStateError } from './orders.ts';
import { searchProducts } from './product-search.ts';

const catalogue = [
  { name: 'Camisa azul manga corta', category: 'Ropa', priceMinor: 1999 },
  { name: 'Camisa roja', category: 'Ropa', priceMinor: 1899 },
  { name: 'Camiseta azul marino', category: 'Ropa', priceMinor: 1299 },
  { name: 'Pantalón azul', category: 'Ropa', priceMinor: 2999 },
  { name: 'Pan integral 500 g', category: 'Panadería', priceMinor: 250 },
  { name: 'Pan blanco', category: 'Panadería', priceMinor: 180 },
  { name: 'Pan de centeno integral', category: 'Panadería', priceMinor: 320 },
  { name: 'Galletas integrales', category: 'Panadería', priceMinor: 300 },
  { name: 'Zapatos Nike Air talla 42', category: 'Calzado', priceMinor: 8999 },
  { name: 'Zapatos Nike Air talla 40', category: 'Calzado', priceMinor: 8999 },
  { name: 'Zapatos Adidas talla 42', category: 'Calzado', priceMinor: 7999 },
  { name: 'Zapatillas Nike Revolution 42', category: 'Calzado', priceMinor: 6999 },
  { name: 'Café de Colombia', category: 'Despensa', priceMinor: 899 },
];

async function seedTenant(database: Database, name: string) {
  const business = await database.prisma.business.create({ data: { name } });
  const instance = await database.prisma.instance.create({ data: { businessId: business.id, provider: 'SANDBOX', name: `${name} line` } });
  const contact = await database.prisma.contact.create({ data: { businessId: business.id, phone: '+34600000001', name: 'Ana' } });
  const conversation = await database.prisma.conversation.create({
    data: { businessId: business.id, instanceId: instance.id, contactId: contact.id },
  });
  const products = [];
  for (const [index, product] of catalogue.entries()) {
    products.push(
      await database.prisma.product.create({
        data: {
          businessId: business.id,
          ...product,
          currency: 'EUR',
          sku: `SKU-${index}`,
          stock: index === 0 ? 2 : null,
          searchText: productSearchText({ ...product, sku: `SKU-${index}` }),
        },
      }),
    );
  }
  return { businessId: business.id, instanceId: instance.id, contactId: contact.id, conversationId: conversation.id, products };
}

// The search must behave alike on PostgreSQL and on PGlite, the embedded default of `npm start`.
for (const kind of ['postgres', 'pglite'] as const) {
  describe(`product search (${kind})`, () => {
    let database: Database & { drop?: () => Promise<void> };
    let tenant: Awaited<ReturnType<typeof seedTenant>>;
    let other: Awaited<ReturnType<typeof seedTenant>>;

    beforeAll(async () => {
      if (kind === 'postgres') database = await createTestDatabase();
      else {
        database = await openDatabase();
        await migrateDatabase(database);
      }
      tenant = await seedTenant(database, 'Tienda');
      other = await seedTenant(database, 'Otra');
      await database.prisma.product.update({ where: { id: other.products[4]!.id }, data: { name: 'Pan integral de la otra tienda' } });
    });
    afterAll(async () => {
      if (database?.drop) await database.drop();
      else await database?.close();
    });

    const top = async (query: string, limit = 3) =>
      (await searchProducts(database.prisma, { businessId: tenant.businessId, query, limit, activeOnly: true })).map((hit) => hit.name);

    it('finds the right product despite typos, ranked first', async () => {
      expect((await top('camisa azl'))[0]).toBe('Camisa azul manga corta');
      expect((await top('pan intergral'))[0]).toBe('Pan integral 500 g');
      expect((await top('zapatos nike 42'))[0]).toBe('Zapatos Nike Air talla 42');
      expect(await top('zapatos nike 42', 10)).not.toContain('Café de Colombia');
    });

    it('ignores accents and case, and matches SKUs', async () => {
      expect((await top('CAFE colombia'))[0]).toBe('Café de Colombia');
      expect((await top('pantalon'))[0]).toBe('Pantalón azul');
      expect((await top('sku 12'))[0]).toBe('Café de Colombia');
    });

    it('returns price and stock, skips inactive products, and never another business’s catalogue', async () => {
      const [hit] = await searchProducts(database.prisma, { businessId: tenant.businessId, query: 'camisa azul', limit: 1, activeOnly: true });
      expect(hit).toMatchObject({ name: 'Camisa azul manga corta', priceMinor: 1999, currency: 'EUR', stock: 2, active: true });
      await database.prisma.product.update({ where: { id: tenant.products[1]!.id }, data: { active: false } });
      expect(await top('camisa roja', 10)).not.toContain('Camisa roja');
      expect(await top('pan integral', 10)).not.toContain('Pan integral de la otra tienda');
      expect(await top('')).toEqual([]);
      expect(await top('xyzzy qwerty')).toEqual([]);
    });
  });
}

describe('orders', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let tenant: Awaited<ReturnType<typeof seedTenant>>;
  let other: Awaited<ReturnType<typeof seedTenant>>;
  const now = new Date('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    database = await createTestDatabase();
    tenant = await seedTenant(database, 'Tienda');
    other = await seedTenant(database, 'Otra');
  });
  afterAll(() => database?.drop());

  const order = (overrides: Partial<Parameters<typeof createOrder>[1]> = {}) =>
    createOrder(database.prisma, {
      businessId: tenant.businessId,
      contactId: tenant.contactId,
      conversationId: tenant.conversationId,
      items: [{ productId: tenant.products[4]!.id, quantity: 2 }],
      customer: { name: 'Ana', address: 'Calle Mayor 1', notes: null },
      initialStatus: 'AWAITING_VOUCHER',
      by: 'AI',
      idempotencyKey: null,
      now,
      ...overrides,
    });

  it('prices from the catalogue, copies unit prices, and records the timeline', async () => {
    const result = await order();
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.order).toMatchObject({ status: 'AWAITING_VOUCHER', totalMinor: 500, currency: 'EUR' });
    expect(result.order.items).toEqual([
      expect.objectContaining({ name: 'Pan integral 500 g', quantity: 2, unitPriceMinor: 250, lineTotalMinor: 500 }),
    ]);
    expect(result.order.timeline).toEqual([
      { status: 'PENDING', at: now.toISOString(), by: 'AI' },
      { status: 'AWAITING_VOUCHER', at: now.toISOString(), by: 'AI' },
    ]);
    await database.prisma.product.update({ where: { id: tenant.products[4]!.id }, data: { priceMinor: 999 } });
    const reread = await database.prisma.orderItem.findFirstOrThrow({ where: { orderId: result.order.id } });
    expect(reread.unitPriceMinor).toBe(250);
  });

  it('creates one order for a repeated idempotency key', async () => {
    const first = await order({ idempotencyKey: 'buffer-1:0:0' });
    const second = await order({ idempotencyKey: 'buffer-1:0:0' });
    expect(first.ok && second.ok && second.replayed && second.order.id === first.order.id).toBe(true);
    expect(await database.prisma.order.count({ where: { idempotencyKey: 'buffer-1:0:0' } })).toBe(1);
  });

  it('refuses unknown, foreign and malformed products, bad quantities, foreign contacts and missing stock, changing nothing', async () => {
    const before = await database.prisma.order.count();
    expect(await order({ items: [{ productId: other.products[0]!.id, quantity: 1 }] })).toMatchObject({
      ok: false,
      problems: [{ code: 'UNKNOWN_PRODUCT' }],
    });
    expect(await order({ items: [{ productId: 'not-a-uuid', quantity: 1 }] })).toMatchObject({ ok: false, problems: [{ code: 'UNKNOWN_PRODUCT' }] });
    expect(await order({ items: [{ productId: tenant.products[4]!.id, quantity: -2 }] })).toMatchObject({
      ok: false,
      problems: [{ code: 'INVALID_QUANTITY' }],
    });
    expect(await order({ contactId: other.contactId })).toMatchObject({ ok: false, problems: [{ code: 'UNKNOWN_CONTACT' }] });
    expect(
      await order({
        items: [
          { productId: tenant.products[4]!.id, quantity: 1 },
          { productId: tenant.products[0]!.id, quantity: 3 },
        ],
      }),
    ).toMatchObject({ ok: false, problems: [{ code: 'OUT_OF_STOCK', available: 2 }] });
    expect(await database.prisma.order.count()).toBe(before);
    expect((await database.prisma.product.findUniqueOrThrow({ where: { id: tenant.products[0]!.id } })).stock).toBe(2);
  });

  it('takes tracked stock exactly once under concurrent orders, and a cancellation gives it back', async () => {
    const results = await Promise.all([1, 2, 3].map(() => order({ items: [{ productId: tenant.products[0]!.id, quantity: 1 }] })));
    expect(results.filter((result) => result.ok)).toHaveLength(2);
    expect(results.filter((result) => !result.ok)).toEqual([
      { ok: false, problems: [expect.objectContaining({ code: 'OUT_OF_STOCK', available: 0 })] },
    ]);
    const placed = results.find((result) => result.ok)!;
    if (!placed.ok) return;
    await transitionOrder(database.prisma, { businessId: tenant.businessId, orderId: placed.order.id, to: 'CANCELLED', by: 'OPERATOR', now });
    expect((await database.prisma.product.findUniqueOrThrow({ where: { id: tenant.products[0]!.id } })).stock).toBe(1);
  });

  it('enforces the status table with the current status, and never moves another business’s order', async () => {
    const created = await order({ items: [{ productId: tenant.products[5]!.id, quantity: 1 }], initialStatus: 'PENDING' });
    if (!created.ok) throw new Error('order not created');
    const id = created.order.id;
    await expect(
      transitionOrder(database.prisma, { businessId: tenant.businessId, orderId: id, to: 'SHIPPED', by: 'OPERATOR', now }),
    ).rejects.toMatchObject({
      current: 'PENDING',
      requested: 'SHIPPED',
    });
    expect(await transitionOrder(database.prisma, { businessId: other.businessId, orderId: id, to: 'PAID', by: 'OPERATOR', now })).toBeNull();
    for (const to of ['PAID', 'PROCESSING', 'SHIPPED', 'DELIVERED'] as const) {
      await transitionOrder(database.prisma, { businessId: tenant.businessId, orderId: id, to, by: 'OPERATOR', now });
    }
    const delivered = await database.prisma.order.findUniqueOrThrow({ where: { id } });
    expect(delivered.status).toBe('DELIVERED');
    expect((delivered.timeline as Array<{ status: string }>).map((entry) => entry.status)).toEqual([
      'PENDING',
      'PAID',
      'PROCESSING',
      'SHIPPED',
      'DELIVERED',
    ]);
    await expect(
      transitionOrder(database.prisma, { businessId: tenant.businessId, orderId: id, to: 'CANCELLED', by: 'OPERATOR', now }),
    ).rejects.toBeInstanceOf(OrderTransitionError);
  });

  it('attaches a voucher to the most recent waiting order once, tells the customer, and confirms or rejects it', async () => {
    const older = await order({ items: [{ productId: tenant.products[6]!.id, quantity: 1 }] });
    const newer = await order({ items: [{ productId: tenant.products[7]!.id, quantity: 1 }], now: new Date(now.getTime() + 60_000) });
    if (!older.ok || !newer.ok) throw new Error('orders not created');
    const image = async (providerMessageId: string) =>
      database.prisma.message.create({
        data: {
          businessId: tenant.businessId,
          conversationId: tenant.conversationId,
          instanceId: tenant.instanceId,
          direction: 'INBOUND',
          author: 'CUSTOMER',
          kind: 'image',
          providerMessageId,
          status: 'RECEIVED',
          sentAt: now,
        },
      });
    const first = await image('wamid.voucher-1');
    await expect(confirmVoucher(database.prisma, { businessId: tenant.businessId, orderId: newer.order.id, now })).rejects.toBeInstanceOf(
      VoucherStateError,
    );

    const input = { businessId: tenant.businessId, contactId: tenant.contactId, conversationId: tenant.conversationId, messageId: first.id, now };
    expect(await attachVoucher(database.prisma, input)).toMatchObject({ attached: true, order: { id: newer.order.id, voucherMessageId: first.id } });
    expect(await attachVoucher(database.prisma, input)).toMatchObject({ attached: false });
    const acknowledgements = await database.prisma.message.findMany({ where: { idempotencyKey: `voucher-received:${first.id}` } });
    expect(acknowledgements).toHaveLength(1);
    expect(acknowledgements[0]).toMatchObject({ direction: 'OUTBOUND', status: 'PENDING', author: 'AI' });
    expect(acknowledgements[0]!.text).toContain('comprobante');

    const rejected = await rejectVoucher(database.prisma, { businessId: tenant.businessId, orderId: newer.order.id, now });
    expect(rejected).toMatchObject({ order: { status: 'AWAITING_VOUCHER', voucherMessageId: null }, notice: { sent: true } });

    const second = await image('wamid.voucher-2');
    await attachVoucher(database.prisma, { ...input, messageId: second.id });
    expect(await confirmVoucher(database.prisma, { businessId: other.businessId, orderId: newer.order.id, now })).toBeNull();
    const confirmed = await confirmVoucher(database.prisma, { businessId: tenant.businessId, orderId: newer.order.id, now });
    expect(confirmed).toMatchObject({ order: { status: 'PAID', voucherMessageId: second.id }, notice: { sent: true } });
    const paidNotice = await database.prisma.message.findUniqueOrThrow({ where: { idempotencyKey: `order-paid:${newer.order.id}` } });
    expect(paidNotice.text).toContain('Pago confirmado');
    // Received twice, rejected once, confirmed once.
    expect(await database.prisma.outboxEvent.count({ where: { topic: 'messages.outbound' } })).toBe(4);
    // The older order still waits.
    expect((await database.prisma.order.findUniqueOrThrow({ where: { id: older.order.id } })).voucherMessageId).toBeNull();
  });
});
