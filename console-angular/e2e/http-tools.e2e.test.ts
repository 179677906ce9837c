import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, recordCspViolations, screenshot, seriousAccessibilityViolations } from './browser.ts';
import { registerVerifiedOwner } from './inbox-seed.ts';
import { accessTokenOf, callApi, signInToConsole, startPlatformOnFreshDatabase, type PlatformOnFreshDatabase } from './platform-session.ts';

const owner = { email: 'lucia@panaderia.example', password: 'correct horse battery staple', business: 'Panadería Lucía' };
const secret = 'n8n-key-that-must-never-show';

describe('the console’s HTTP tools page, in Chromium', () => {
  let started: PlatformOnFreshDatabase;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let n8n: Server;
  let n8nUrl: string;
  let cspViolations: string[];
  const received: Array<{ url: string; headers: IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    // A local stand-in for an n8n webhook, reached over plain http on loopback: the operator allows both by env.
    n8n = createServer((incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ url: incoming.url ?? '', headers: incoming.headers, body });
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ estado: 'enviado', pedido: (JSON.parse(body) as { order?: string }).order ?? null }));
      });
    });
    await new Promise<void>((resolve) => n8n.listen(0, '127.0.0.1', resolve));
    n8nUrl = `http://127.0.0.1:${(n8n.address() as AddressInfo).port}`;
    dataDir = await mkdtemp(join(tmpdir(), 'console-e2e-tools-'));
    started = await startPlatformOnFreshDatabase({
      PASSWORD_HASH_MEMORY_KIB: '1024',
      PASSWORD_HASH_PASSES: '1',
      DATA_DIR: dataDir,
      HTTP_TOOLS_ALLOW_HTTP: 'true',
      HTTP_TOOLS_ALLOW_LIST: '127.0.0.1',
    });
    await registerVerifiedOwner(started.platform.url, started.database.prisma, owner);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    cspViolations = await recordCspViolations(context);
    page = await context.newPage();
    await signInToConsole(page, started.platform.url, owner);
  });

  afterAll(async () => {
    await browser?.close();
    await started?.close();
    await new Promise((resolve) => n8n?.close(resolve));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('defines a tool, tests it (missing variable, then a real call) and never shows the header value', async () => {
    await page.getByRole('link', { name: 'Tools' }).click();
    await page.waitForURL('**/tools');
    await expect(page.getByRole('heading', { name: 'HTTP tools' }).isVisible()).resolves.toBe(true);

    await page.getByTestId('tool-name').fill('consultar_pedido');
    await page.getByTestId('tool-description').fill('Looks up an order by its number and says where it is.');
    await page.getByTestId('tool-url').fill(`${n8nUrl}/webhook/orders`);
    await page.getByTestId('tool-parameters').fill('{"type":"object","properties":{"order":{"type":"string"}},"required":["order"]}');
    await page.getByTestId('tool-template').fill('{"order": "{{order}}", "phone": "{{contact.phone}}", "shop": "{{business.name}}"}');
    await page.getByTestId('add-header').click();
    await page.getByTestId('header-name').fill('X-N8n-Key');
    await page.getByTestId('header-value').fill(secret);
    await page.getByTestId('save-tool').click();
    await page.getByTestId('tools').getByText('consultar_pedido').waitFor();
    await page.getByRole('heading', { name: 'Edit consultar_pedido' }).waitFor();

    // The stored header comes back as a name only; its value field is empty, with a placeholder saying it is kept.
    await expect(page.getByTestId('header-value').inputValue()).resolves.toBe('');
    await expect(page.getByTestId('header-value').getAttribute('placeholder')).resolves.toBe('stored — type to replace');

    // A test without the argument the template needs: nothing is sent, the missing variable is listed.
    await page.getByTestId('test-arguments').fill('{}');
    await page.getByTestId('run-test').click();
    await page.getByTestId('test-missing').waitFor();
    await expect(page.getByTestId('test-missing').innerText()).resolves.toContain('{{order}}');
    expect(received).toHaveLength(0);

    await page.getByTestId('test-arguments').fill('{"order": "A-17"}');
    await page.getByTestId('run-test').click();
    await page.getByTestId('test-result').waitFor();
    await expect(page.getByTestId('test-status').innerText()).resolves.toMatch(/^HTTP 200 in \d+ ms$/);
    const shownRequest = await page.getByTestId('test-request').innerText();
    expect(shownRequest).toContain(`POST ${n8nUrl}/webhook/orders`);
    expect(shownRequest).toContain('X-N8n-Key: [redacted]');
    expect(shownRequest).toContain('"shop": "Panadería Lucía"');
    await expect(page.getByTestId('test-response').innerText()).resolves.toContain('"estado": "enviado"');

    expect(received).toHaveLength(1);
    expect(received[0]!.headers['x-n8n-key']).toBe(secret);
    expect(JSON.parse(received[0]!.body)).toEqual({ order: 'A-17', phone: '+34600111222', shop: 'Panadería Lucía' });
    expect(await page.content()).not.toContain(secret);

    await page.getByTestId('test-result').scrollIntoViewIfNeeded();
    await screenshot(page, 'tools-1280');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('saves an edit without retyping the header value, and deletes the tool', async () => {
    await page.getByTestId('tool-description').fill('Looks up an order (edited).');
    await page.getByTestId('save-tool').click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    const accessToken = await accessTokenOf(started.platform.url, owner);
    const list = await callApi(started.platform.url, accessToken, 'GET', '/api/agent/http-tools');
    expect(list.body['items']).toMatchObject([{ description: 'Looks up an order (edited).', headers: [{ name: 'X-N8n-Key', set: true }] }]);
    // The value was kept: a second test call still carries it.
    await page.getByTestId('run-test').click();
    await page.getByTestId('test-result').waitFor();
    await expect.poll(() => received.length).toBe(2);
    expect(received[1]!.headers['x-n8n-key']).toBe(secret);

    await page.getByTestId('delete-tool').click();
    await page.getByText('Tool consultar_pedido deleted.').waitFor();
    await expect(page.getByTestId('tools').locator('li').count()).resolves.toBe(0);
  });
});
