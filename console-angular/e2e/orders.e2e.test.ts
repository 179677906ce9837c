import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestDatabase } from '@app/db/testing';
import { createFileObjectStore } from '@app/runtime/local';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformProcess } from '../../services/standalone/test/platform-process.ts';
import { launchChromium, recordCspViolations, screenshot } from './browser.ts';
import { registerVerifiedOwner } from './inbox-seed.ts';
import { accessTokenOf, callApi, signInToConsole, startPlatformOnFreshDatabase, type PlatformOnFreshDatabase } from './platform-session.ts';

const owner = { email: 'sol@panaderia.example', password: 'correct horse battery staple', business: 'Panadería Sol' };
/** A 160×120 two-tone PNG: the "bank transfer receipt" the customer sends. */
const voucherPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAKAAAAB4CAIAAAD6wG44AAAA00lEQVR42u3RMREAMAgAMeRUCTNzVSIRH5C7V/CJ/k+LCwsAC7AAC7AAC7AAAxZgARZgARZgAQYswAIswAIswAIswIAFWIAFWIAFWIABC7AAC7AAC7AAAxZgARZgARZgARZgwAIswAIswAIswIAFWIAFWIAFWIDPA2eWFgcYsAALsAALsAALMGABFmABFmABFmDAAizAAizAAizAAgxYgAVYgAVYgAUYsAALsAALsAALMGABFmABFmABFmABBizAAizAAizAAgxYgAVYgAVYgAX4fAPDURGEjgoL4wAAAABJRU5ErkJggg==',
  'base64',
);

describe('the Orders and Products pages in Chromium: voucher confirmation, quick actions, CSV import', () => {
  let started: PlatformOnFreshDatabase | undefined;
  let database: TestDatabase;
  let platform: PlatformProcess;
  let browser: Browser;
  let page: Page;
  let accessToken: string;
  let businessId: string;
  let dataDir: string;
  let cspViolations: string[];
  let customer: { contactId: string; conversationId: string; instanceId: string };
  let panId: string;

  const api = (method: string, path: string, body?: unknown) => callApi(platform.url, accessToken, method, path, body);
  const row = (reference: string) => page.locator(`[data-order="${reference}"]`);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'orders-e2e-data-'));
    started = await startPlatformOnFreshDatabase({ PASSWORD_HASH_MEMORY_KIB: '1024', PASSWORD_HASH_PASSES: '1', DATA_DIR: dataDir });
    ({ database, platform } = started);
    ({ businessId } = await registerVerifiedOwner(platform.url, database.prisma, owner));
    accessToken = await accessTokenOf(platform.url, owner);

    const instance = await api('POST', '/api/instances', { provider: 'SANDBOX', name: 'Sandbox' });
    const sent = await api('POST', `/api/sandbox/${instance.body['id'] as string}/messages`, {
      from: '+34600111222',
      text: 'Quiero pan integral',
      name: 'Lucía',
    });
    customer = {
      contactId: sent.body['contactId'] as string,
      conversationId: sent.body['conversationId'] as string,
      instanceId: instance.body['id'] as string,
    };
    panId = (await api('POST', '/api/products', { name: 'Pan integral 500 g', priceMinor: 250, currency: 'EUR', stock: 40 })).body['id'] as string;

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'Europe/Madrid' });
    cspViolations = await recordCspViolations(context);
    page = await context.newPage();
    await signInToConsole(page, platform.url, owner);
  });

  afterAll(async () => {
    await browser?.close();
    await started?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('shows an order as it is created, its voucher image, and confirms it in one click; the customer is told', async () => {
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.waitForURL('**/orders');
    await page.getByText('No orders match these filters.').waitFor();

    // The agent's order arrives live (the API's order.changed event, as crear_pedido writes it).
    const order = await api('POST', '/api/orders', {
      contactId: customer.contactId,
      customer: { name: 'Lucía Pérez', address: 'Calle Mayor 1' },
      items: [{ productId: panId, quantity: 3 }],
      awaitVoucher: true,
    });
    expect(order.status).toBe(201);
    const reference = order.body['reference'] as string;
    await row(reference).getByTestId('order-status').filter({ hasText: 'Awaiting voucher' }).waitFor();
    await expect.poll(() => row(reference).textContent()).toContain('€7.50');

    // The customer's photo of the transfer, as a provider stores it, becomes the order's voucher.
    const key = `media/${businessId}/${customer.instanceId}/voucher.png`;
    await createFileObjectStore(join(dataDir, 'objects')).put(key, voucherPng, 'image/png');
    const image = await database.prisma.message.create({
      data: {
        businessId,
        conversationId: customer.conversationId,
        instanceId: customer.instanceId,
        direction: 'INBOUND',
        author: 'CUSTOMER',
        kind: 'image',
        content: {
          kind: 'image',
          media: { mediaId: key, mimeType: 'image/png', size: voucherPng.length, download: { state: 'stored', attempts: 1 } },
        },
        providerMessageId: 'sandbox.voucher',
        status: 'RECEIVED',
        sentAt: new Date(),
      },
    });
    await database.prisma.order.update({ where: { id: order.body['id'] as string }, data: { voucherMessageId: image.id, voucherAt: new Date() } });

    await page.reload();
    await row(reference).locator('summary').click();
    const thumbnail = row(reference).getByTestId('voucher-image').getByTestId('media-thumbnail').locator('img');
    await thumbnail.waitFor();
    expect(await thumbnail.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBe(160);
    await screenshot(page, 'orders-1280');

    await row(reference).getByTestId('confirm-voucher').click();
    await row(reference).getByTestId('order-status').filter({ hasText: 'Paid' }).waitFor();
    await expect.poll(() => row(reference).getByTestId('confirm-voucher').count()).toBe(0);
    const told = await database.prisma.message.findFirst({
      where: { conversationId: customer.conversationId, idempotencyKey: `order-paid:${order.body['id'] as string}` },
    });
    expect(told?.text).toContain('Pago confirmado');

    // Beside the customer's chat: their orders.
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByTestId('conversation').filter({ hasText: 'Lucía' }).click();
    const panel = page.getByTestId('contact-orders');
    await panel.waitFor();
    expect(await panel.textContent()).toContain(`${reference} Paid`);
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.waitForURL('**/orders');
  });

  it('walks Paid → Processing → Shipped → Delivered with the quick action, assigns a courier, and filters by status', async () => {
    const reference = (await page.getByTestId('order-row').first().getAttribute('data-order'))!;
    const card = row(reference);
    await card.locator('summary').click();
    for (const [action, status] of [
      ['Mark as Processing', 'Processing'],
      ['Mark as Shipped', 'Shipped'],
    ] as const) {
      await card.getByRole('button', { name: action }).click();
      await card.getByTestId('order-status').filter({ hasText: status }).waitFor();
    }
    await card.getByTestId('delivery-agent').fill('Pedro (moto 3)');
    await card.getByTestId('assign-delivery-agent').click();
    await expect
      .poll(async () => (await api('GET', '/api/orders')).body['items'])
      .toEqual([expect.objectContaining({ deliveryAgent: 'Pedro (moto 3)' })]);
    await card.getByRole('button', { name: 'Mark as Delivered' }).click();
    await card.getByTestId('order-status').filter({ hasText: 'Delivered' }).waitFor();
    expect(await card.getByTestId('quick-action').count()).toBe(0);
    expect(await card.getByTestId('cancel-order').count()).toBe(0);
    expect(await card.locator('.timeline li').count()).toBe(6);

    await page.getByTestId('status-filter').selectOption('PAID');
    await page.getByText('No orders match these filters.').waitFor();
    await page.getByTestId('status-filter').selectOption('DELIVERED');
    await row(reference).waitFor();

    // In Spanish, the same page.
    await page.getByRole('button', { name: 'ES', exact: true }).click();
    await page.getByRole('heading', { name: 'Pedidos' }).waitFor();
    await row(reference).getByTestId('order-status').filter({ hasText: 'Entregado' }).waitFor();
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    expect(cspViolations).toEqual([]);
  });

  it('imports a product CSV all or nothing, listing every bad line, and finds products despite typos', async () => {
    await page.getByRole('link', { name: 'Products' }).click();
    await page.waitForURL('**/products');
    const csv = (text: string) => ({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
    await page
      .getByTestId('import-csv')
      .setInputFiles(csv(['sku,name,price,currency,stock', 'C-1,Camisa azul,19.99,EUR,4', 'C-2,,10,EUR,', 'C-3,Gorra,-5,EUR,'].join('\n')));
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    expect(await errors.locator('li').allTextContents()).toEqual(['Line 3: name is empty', 'Line 4: price "-5" is not a non-negative amount in EUR']);
    expect(await page.getByTestId('product-row').count()).toBe(1);

    await page
      .getByTestId('import-csv')
      .setInputFiles(csv(['sku,name,price,currency,stock', 'C-1,Camisa azul,19.99,EUR,4', 'C-2,Gorra roja,10,EUR,'].join('\n')));
    await page.getByText('2 created, 0 updated.').waitFor();
    await expect.poll(() => page.getByTestId('product-row').count()).toBe(3);
    await page.getByTestId('product-search').fill('camisa azl');
    await expect.poll(() => page.getByTestId('product-row').allTextContents()).toEqual([expect.stringContaining('Camisa azul')]);
    await screenshot(page, 'products-1280');
  });

  it('switches the objective on the agent page: the menu drops Products and Orders, and gets them back', async () => {
    const menu = page.getByRole('navigation', { name: 'Menu' });
    await menu.getByRole('link', { name: 'AI agent' }).click();
    await page.getByLabel('Books appointments (services and calendar)').check();
    await page.getByTestId('agent-form').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => menu.getByRole('link', { name: 'Orders' }).count()).toBe(0);
    expect(await menu.getByRole('link', { name: 'Products' }).count()).toBe(0);
    expect((await api('GET', '/api/agent')).body['objective']).toBe('APPOINTMENTS');
    await page.getByLabel('Sells products (products and orders)').check();
    await page.getByTestId('agent-form').getByRole('button', { name: 'Save' }).click();
    await menu.getByRole('link', { name: 'Orders' }).waitFor();
    expect(cspViolations).toEqual([]);
  });
});
