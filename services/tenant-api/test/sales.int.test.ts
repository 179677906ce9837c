import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileObjectStore } from '@app/runtime/local';
import { mediaSamples } from '@app/testkit';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessTokenIssuer } from '../src/auth/access-tokens.ts';
import { orderActionResultSchema, orderViewSchema } from '../src/orders/orders.schema.ts';
import { productViewSchema } from '../src/products/products.schema.ts';
import { expectError, signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

describe('tenant API: objective, products and orders', () => {
  let harness: TenantApiHarness;
  let tenant: SignedInTenant;
  let other: SignedInTenant;
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'tenant-api-products-'));
    harness = await startTenantApiHarness({}, { objectStore: createFileObjectStore(directory) });
    tenant = await signUp(harness, { businessName: 'Tienda Sol' });
    other = await signUp(harness, { businessName: 'Otra' });
  });
  afterAll(async () => {
    await harness?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  const api = (who: SignedInTenant) => ({
    get: (path: string) => request(harness.app).get(`/api${path}`).set('authorization', who.bearer),
    post: (path: string, body?: object) => request(harness.app).post(`/api${path}`).set('authorization', who.bearer).send(body),
    patch: (path: string, body: object) => request(harness.app).patch(`/api${path}`).set('authorization', who.bearer).send(body),
    put: (path: string, body: object) => request(harness.app).put(`/api${path}`).set('authorization', who.bearer).send(body),
    delete: (path: string) => request(harness.app).delete(`/api${path}`).set('authorization', who.bearer),
    csv: (text: string) =>
      request(harness.app).post('/api/products/import').set('authorization', who.bearer).set('content-type', 'text/csv').send(text),
  });

  async function customerOf(who: SignedInTenant) {
    const prisma = harness.database.prisma;
    const instance = await prisma.instance.create({ data: { businessId: who.businessId, provider: 'SANDBOX', name: 'Sandbox' } });
    const contact = await prisma.contact.create({
      data: { businessId: who.businessId, phone: `+3460${Math.floor(Math.random() * 1e7)}`, name: 'Ana' },
    });
    const conversation = await prisma.conversation.create({ data: { businessId: who.businessId, instanceId: instance.id, contactId: contact.id } });
    return { instanceId: instance.id, contactId: contact.id, conversationId: conversation.id };
  }

  it('reads and changes the business objective on the agent settings', async () => {
    expect((await api(tenant).get('/agent').expect(200)).body).toMatchObject({ objective: 'SALES', plan: 'free' });
    expect((await api(tenant).put('/agent', { objective: 'APPOINTMENTS' }).expect(200)).body.objective).toBe('APPOINTMENTS');
    expectError((await api(tenant).put('/agent', { objective: 'RETAIL' }).expect(400)).body, 'VALIDATION_FAILED');
    expect((await api(tenant).put('/agent', { objective: 'SALES' }).expect(200)).body.objective).toBe('SALES');
    expect((await api(other).get('/agent').expect(200)).body.objective).toBe('SALES');

    // A team member who is not the owner may read it, not change it.
    const agentBearer = `Bearer ${
      createAccessTokenIssuer({ secret: harness.config.JWT_SECRET!, ttlSeconds: 300, now: () => harness.clock.now() }).issue({
        businessId: tenant.businessId,
        userId: tenant.userId,
        role: 'AGENT',
      }).accessToken
    }`;
    const refused = await request(harness.app).put('/api/agent').set('authorization', agentBearer).send({ objective: 'APPOINTMENTS' }).expect(403);
    expectError(refused.body, 'FORBIDDEN');
    expect((await api(tenant).get('/agent').expect(200)).body.objective).toBe('SALES');
  });

  it('creates, lists, searches, changes and deletes products; SKUs are unique per business', async () => {
    const camisa = productViewSchema.parse(
      (
        await api(tenant)
          .post('/products', { name: 'Camisa azul', priceMinor: 1999, currency: 'eur', sku: 'CAM-1', stock: 5, category: 'Ropa' })
          .expect(201)
      ).body,
    );
    expect(camisa).toMatchObject({ currency: 'EUR', active: true, images: [], description: '' });
    await api(tenant).post('/products', { name: 'Pan integral', priceMinor: 250, currency: 'EUR' }).expect(201);
    expectError((await api(tenant).post('/products', { name: 'Otra', priceMinor: 1, currency: 'EUR', sku: 'CAM-1' }).expect(409)).body, 'CONFLICT');
    await api(other).post('/products', { name: 'Camisa azul de otra', priceMinor: 1, currency: 'EUR', sku: 'CAM-1' }).expect(201);

    for (const bad of [
      { name: '', priceMinor: 1, currency: 'EUR' },
      { name: 'x', priceMinor: -1, currency: 'EUR' },
      { name: 'x', priceMinor: 1.5, currency: 'EUR' },
      { name: 'x', priceMinor: 1, currency: 'EURO' },
      { name: 'x', priceMinor: 1, currency: 'EUR', stock: -3 },
      { name: 'x', priceMinor: 1, currency: 'EUR', images: ['media/other-business/secret.jpg'] },
    ]) {
      expectError((await api(tenant).post('/products', bad).expect(400)).body, 'VALIDATION_FAILED');
    }

    const search = (await api(tenant).get('/products').query({ q: 'camisa azl' }).expect(200)).body;
    expect(search.items.map((item: { name: string }) => item.name)).toEqual(['Camisa azul']);
    const page = (await api(tenant).get('/products').expect(200)).body;
    expect(page).toMatchObject({ total: 2, items: [{ name: 'Camisa azul' }, { name: 'Pan integral' }] });

    const changed = (await api(tenant).patch(`/products/${camisa.id}`, { name: 'Camisa celeste', active: false }).expect(200)).body;
    expect(changed).toMatchObject({ name: 'Camisa celeste', active: false, priceMinor: 1999 });
    expect((await api(tenant).get('/products').query({ q: 'celeste' }).expect(200)).body.items).toHaveLength(1);
    expect((await api(tenant).get('/products').query({ q: 'celeste', active: 'true' }).expect(200)).body.items).toHaveLength(0);

    // Another business's product is invisible: 404 on every route, and its search never shows ours.
    await api(other).get(`/products/${camisa.id}`).expect(404);
    await api(other).patch(`/products/${camisa.id}`, { name: 'mío' }).expect(404);
    await api(other).delete(`/products/${camisa.id}`).expect(404);
    expect((await api(other).get('/products').query({ q: 'celeste' }).expect(200)).body.items).toEqual([]);

    await api(tenant).delete(`/products/${camisa.id}`).expect(204);
    await api(tenant).get(`/products/${camisa.id}`).expect(404);
  });

  it('imports a CSV all or nothing, reporting every bad line, and exports it with formulas defused', async () => {
    const before = (await api(tenant).get('/products').expect(200)).body.total;
    const bad = ['sku,name,price,currency,stock', 'Z-1,Zapatos Nike 42,89.99,EUR,3', 'Z-2,,10,EUR,', 'Z-3,Gorra,-5,EUR,', 'Z-1,Repetido,1,EUR,'].join(
      '\n',
    );
    const refused = expectError((await api(tenant).csv(bad).expect(400)).body, 'VALIDATION_FAILED');
    expect(refused.details).toEqual([
      { line: 3, reason: 'name is empty' },
      { line: 4, reason: 'price "-5" is not a non-negative amount in EUR' },
      { line: 5, reason: 'sku "Z-1" is also on line 2' },
    ]);
    expect((await api(tenant).get('/products').expect(200)).body.total).toBe(before);

    const good = ['sku;name;price;currency;stock;category', 'Z-1;Zapatos Nike 42;89,99;EUR;3;Calzado', 'Z-2;=HYPERLINK("http://evil");1;EUR;;'].join(
      '\n',
    );
    expect((await api(tenant).csv(good).expect(200)).body).toEqual({ created: 2, updated: 0 });
    expect((await api(tenant).csv('sku,name,price,currency\nZ-1,Zapatos Nike Air 42,79.99,EUR\n').expect(200)).body).toEqual({
      created: 0,
      updated: 1,
    });
    const nike = (await api(tenant).get('/products').query({ q: 'zapatos nike 42' }).expect(200)).body.items[0];
    expect(nike).toMatchObject({ name: 'Zapatos Nike Air 42', priceMinor: 7999, stock: 3, category: 'Calzado' });

    const exported = await api(tenant).get('/products/export').expect(200);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    expect(exported.text).toContain(`Z-2,"'=HYPERLINK(""http://evil"")",,1.00,EUR,,,true`);
    expect(exported.text).toContain('Z-1,Zapatos Nike Air 42,,79.99,EUR,3,Calzado,true');
    expect((await api(other).get('/products/export').expect(200)).text).not.toContain('Zapatos');
    expectError((await api(tenant).post('/products/import', { csv: 'x' }).expect(400)).body, 'VALIDATION_FAILED');
  });

  it('places orders priced by the server, refuses bad input without changing anything, and keeps tenants apart', async () => {
    const customer = await customerOf(tenant);
    const theirs = await customerOf(other);
    const pan = productViewSchema.parse(
      (await api(tenant).post('/products', { name: 'Pan de molde', priceMinor: 275, currency: 'EUR', stock: 10 }).expect(201)).body,
    );
    const foreign = productViewSchema.parse(
      (await api(other).post('/products', { name: 'Ajeno', priceMinor: 100, currency: 'EUR' }).expect(201)).body,
    );

    const base = { contactId: customer.contactId, customer: { name: 'Ana', address: 'Calle Mayor 1' } };
    const countBefore = await harness.database.prisma.order.count();
    for (const [body, status] of [
      [{ ...base, items: [{ productId: pan.id, quantity: -2 }] }, 400],
      [{ ...base, items: [{ productId: pan.id, quantity: 0 }] }, 400],
      [{ ...base, items: [] }, 400],
      [{ ...base, items: [{ productId: pan.id, quantity: 1, unitPriceMinor: 1 }] }, 400],
      [{ ...base, items: [{ productId: '00000000-0000-4000-8000-000000000000', quantity: 1 }] }, 400],
      [{ ...base, items: [{ productId: foreign.id, quantity: 1 }] }, 400],
      [{ ...base, contactId: theirs.contactId, items: [{ productId: pan.id, quantity: 1 }] }, 400],
      [{ ...base, items: [{ productId: pan.id, quantity: 11 }] }, 409],
    ] as const) {
      const response = await api(tenant).post('/orders', body).expect(status);
      expectError(response.body, status === 400 ? 'VALIDATION_FAILED' : 'CONFLICT');
    }
    expect(await harness.database.prisma.order.count()).toBe(countBefore);
    expect((await api(tenant).get(`/products/${pan.id}`).expect(200)).body.stock).toBe(10);

    const order = orderViewSchema.parse(
      (
        await api(tenant)
          .post('/orders', { ...base, items: [{ productId: pan.id, quantity: 4 }] })
          .expect(201)
      ).body,
    );
    expect(order).toMatchObject({
      status: 'PENDING',
      totalMinor: 1100,
      currency: 'EUR',
      customer: { name: 'Ana', address: 'Calle Mayor 1', notes: null },
    });
    expect(order.items).toEqual([{ productId: pan.id, name: 'Pan de molde', sku: null, quantity: 4, unitPriceMinor: 275, lineTotalMinor: 1100 }]);
    expect((await api(tenant).get(`/products/${pan.id}`).expect(200)).body.stock).toBe(6);

    await api(other).get(`/orders/${order.id}`).expect(404);
    await api(other).post(`/orders/${order.id}/status`, { status: 'CANCELLED' }).expect(404);
    await api(other).post(`/orders/${order.id}/voucher/confirm`).expect(404);
    await api(other).put(`/orders/${order.id}/delivery-agent`, { deliveryAgent: 'x' }).expect(404);
    expect((await api(other).get('/orders').expect(200)).body).toEqual({ items: [], total: 0 });
  });

  it('moves orders through the table (409 with the current status otherwise), assigns a courier, filters the list', async () => {
    const customer = await customerOf(tenant);
    const pan = productViewSchema.parse(
      (await api(tenant).post('/products', { name: 'Baguette', priceMinor: 120, currency: 'EUR' }).expect(201)).body,
    );
    const order = orderViewSchema.parse(
      (
        await api(tenant)
          .post('/orders', { contactId: customer.contactId, customer: { name: 'Luis' }, items: [{ productId: pan.id, quantity: 1 }] })
          .expect(201)
      ).body,
    );
    const illegal = expectError((await api(tenant).post(`/orders/${order.id}/status`, { status: 'SHIPPED' }).expect(409)).body, 'CONFLICT');
    expect(illegal.details).toEqual({
      reason: 'invalid_transition',
      currentStatus: 'PENDING',
      requested: 'SHIPPED',
      allowed: ['AWAITING_VOUCHER', 'PAID', 'CANCELLED'],
    });
    expectError((await api(tenant).post(`/orders/${order.id}/status`, { status: 'LOST' }).expect(400)).body, 'VALIDATION_FAILED');

    for (const status of ['PAID', 'PROCESSING', 'SHIPPED'] as const) {
      expect((await api(tenant).post(`/orders/${order.id}/status`, { status }).expect(200)).body.status).toBe(status);
    }
    const assigned = (await api(tenant).put(`/orders/${order.id}/delivery-agent`, { deliveryAgent: 'Pedro (moto 3)' }).expect(200)).body;
    expect(assigned.deliveryAgent).toBe('Pedro (moto 3)');
    const delivered = orderViewSchema.parse((await api(tenant).post(`/orders/${order.id}/status`, { status: 'DELIVERED' }).expect(200)).body);
    expect(delivered.timeline.map((entry) => [entry.status, entry.by])).toEqual([
      ['PENDING', 'OPERATOR'],
      ['PAID', 'OPERATOR'],
      ['PROCESSING', 'OPERATOR'],
      ['SHIPPED', 'OPERATOR'],
      ['DELIVERED', 'OPERATOR'],
    ]);

    const shipped = (await api(tenant).get('/orders').query({ status: 'DELIVERED,SHIPPED' }).expect(200)).body;
    expect(shipped.items.map((item: { id: string }) => item.id)).toEqual([order.id]);
    const now = harness.clock.now();
    expect(
      (
        await api(tenant)
          .get('/orders')
          .query({ from: new Date(now.getTime() + 60_000).toISOString() })
          .expect(200)
      ).body.total,
    ).toBe(0);
    expect(
      (
        await api(tenant)
          .get('/orders')
          .query({ to: new Date(now.getTime() + 60_000).toISOString(), status: 'DELIVERED' })
          .expect(200)
      ).body.total,
    ).toBe(1);
    expectError((await api(tenant).get('/orders').query({ status: 'NOPE' }).expect(400)).body, 'VALIDATION_FAILED');
    expectError((await api(tenant).get('/orders').query({ from: 'yesterday' }).expect(400)).body, 'VALIDATION_FAILED');
  });

  it('confirms or rejects a voucher and tells the customer through the normal outbound path', async () => {
    const customer = await customerOf(tenant);
    const prisma = harness.database.prisma;
    const cafe = productViewSchema.parse(
      (await api(tenant).post('/products', { name: 'Café molido', priceMinor: 899, currency: 'EUR' }).expect(201)).body,
    );
    const order = orderViewSchema.parse(
      (
        await api(tenant)
          .post('/orders', {
            contactId: customer.contactId,
            customer: { name: 'Eva' },
            items: [{ productId: cafe.id, quantity: 2 }],
            awaitVoucher: true,
          })
          .expect(201)
      ).body,
    );
    expect(order.status).toBe('AWAITING_VOUCHER');
    expect(expectError((await api(tenant).post(`/orders/${order.id}/voucher/confirm`).expect(409)).body, 'CONFLICT').details).toMatchObject({
      currentStatus: 'AWAITING_VOUCHER',
    });

    const image = async (id: string) =>
      prisma.message.create({
        data: {
          businessId: tenant.businessId,
          conversationId: customer.conversationId,
          instanceId: customer.instanceId,
          direction: 'INBOUND',
          author: 'CUSTOMER',
          kind: 'image',
          providerMessageId: id,
          status: 'RECEIVED',
          sentAt: new Date(),
        },
      });
    const first = await image('voucher-a');
    await prisma.order.update({ where: { id: order.id }, data: { voucherMessageId: first.id, voucherAt: new Date() } });

    const rejected = orderActionResultSchema.parse((await api(tenant).post(`/orders/${order.id}/voucher/reject`).expect(200)).body);
    expect(rejected).toMatchObject({ status: 'AWAITING_VOUCHER', voucher: null, customerNotified: { sent: true, reason: null } });
    expectError((await api(tenant).post(`/orders/${order.id}/voucher/reject`).expect(409)).body, 'CONFLICT');

    const second = await image('voucher-b');
    await prisma.order.update({ where: { id: order.id }, data: { voucherMessageId: second.id, voucherAt: new Date() } });
    const shown = orderViewSchema.parse((await api(tenant).get(`/orders/${order.id}`).expect(200)).body);
    expect(shown.voucher).toMatchObject({ messageId: second.id, mediaPath: `/api/messages/${second.id}/media` });
    await api(other).post(`/orders/${order.id}/voucher/confirm`).expect(404);
    const confirmed = orderActionResultSchema.parse((await api(tenant).post(`/orders/${order.id}/voucher/confirm`).expect(200)).body);
    expect(confirmed).toMatchObject({ status: 'PAID', customerNotified: { sent: true } });
    expectError((await api(tenant).post(`/orders/${order.id}/voucher/confirm`).expect(409)).body, 'CONFLICT');

    const told = await prisma.message.findMany({
      where: { conversationId: customer.conversationId, direction: 'OUTBOUND' },
      orderBy: { createdAt: 'asc' },
    });
    expect(told.map((message) => [message.status, message.text?.slice(0, 20)])).toEqual([
      ['PENDING', 'No pudimos validar e'],
      ['PENDING', '¡Pago confirmado! Tu'],
    ]);
    const sendRequests = await prisma.outboxEvent.findMany({ where: { topic: 'messages.outbound' } });
    expect(sendRequests.map((event) => (event.payload as { data: { messageId: string } }).data.messageId)).toEqual(
      expect.arrayContaining(told.map((message) => message.id)),
    );
  });

  it('keeps product pictures in the object store: only real images, served back to their business only', async () => {
    const product = productViewSchema.parse(
      (await api(tenant).post('/products', { name: 'Tarta', priceMinor: 1500, currency: 'EUR' }).expect(201)).body,
    );
    const upload = (who: SignedInTenant, body: Buffer, type: string) =>
      request(harness.app).post(`/api/products/${product.id}/images`).set('authorization', who.bearer).set('content-type', type).send(body);

    const added = productViewSchema.parse((await upload(tenant, mediaSamples.png, 'image/png').expect(201)).body);
    expect(added.images).toEqual([expect.stringMatching(new RegExp(`^products/${tenant.businessId}/${product.id}/[0-9a-f-]+\\.png$`))]);
    // The bytes decide: HTML sent as an image is refused, and so is a PDF.
    expectError((await upload(tenant, Buffer.from('<html><script>alert(1)</script></html>'), 'image/jpeg').expect(400)).body, 'VALIDATION_FAILED');
    expectError((await upload(tenant, mediaSamples.pdf, 'image/png').expect(400)).body, 'VALIDATION_FAILED');
    await upload(other, mediaSamples.png, 'image/png').expect(404);

    const served = await api(tenant).get(`/products/${product.id}/images/0`).expect(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    await api(other).get(`/products/${product.id}/images/0`).expect(404);
    await api(tenant).get(`/products/${product.id}/images/1`).expect(404);

    expect((await api(tenant).delete(`/products/${product.id}/images/0`).expect(200)).body.images).toEqual([]);
    await api(tenant).get(`/products/${product.id}/images/0`).expect(404);
  });
});
