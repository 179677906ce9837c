import { randomUUID } from 'node:crypto';
import type { TestDatabase } from '@app/db/testing';
import { createOpenAiTestServer, type OpenAiTestServer } from '@app/testkit/openai';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformProcess } from '../../services/standalone/test/platform-process.ts';
import { launchChromium, screenshot, seriousAccessibilityViolations } from './browser.ts';
import { registerVerifiedOwner } from './inbox-seed.ts';
import { accessTokenOf, callApi, signInToConsole, startPlatformOnFreshDatabase, type PlatformOnFreshDatabase } from './platform-session.ts';

const owner = { email: 'rosa@cantina.example', password: 'correct horse battery staple', business: 'Cantina Rosa' };

describe('"why this reply?" on an AI bubble and the agent test suite, in Chromium against the standalone server', () => {
  let started: PlatformOnFreshDatabase | undefined;
  let openai: OpenAiTestServer;
  let database: TestDatabase;
  let platform: PlatformProcess;
  let browser: Browser;
  let page: Page;
  let businessId: string;

  beforeAll(async () => {
    openai = await createOpenAiTestServer();
    openai.setReply(() => ({ content: 'Abrimos a las 8, ¡te esperamos!', usage: { prompt_tokens: 1_200, completion_tokens: 30 } }));
    started = await startPlatformOnFreshDatabase({
      PASSWORD_HASH_MEMORY_KIB: '1024',
      PASSWORD_HASH_PASSES: '1',
      OPENAI_BASE_URL: openai.baseURL,
      OPENAI_API_KEY: 'sk-test',
    });
    ({ database, platform } = started);
    ({ businessId } = await registerVerifiedOwner(platform.url, database.prisma, owner));
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'Europe/Madrid' });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await started?.close();
    await openai?.close();
  });

  it('opens the trace of a real reply, and of a reply whose tools answered and failed', async () => {
    const token = await accessTokenOf(platform.url, owner);
    const api = (method: string, path: string, body?: unknown) => callApi(platform.url, token, method, path, body);
    expect((await api('PUT', '/api/agent', { model: 'gpt-4o-mini', bufferSeconds: 1, maxBufferSeconds: 2 })).status).toBe(200);
    const instanceId = (await api('POST', '/api/instances', { provider: 'SANDBOX', name: 'Sandbox' })).body['id'] as string;
    const sent = await api('POST', `/api/sandbox/${instanceId}/messages`, { from: '+34600123456', text: '¿A qué hora abren?', name: 'Lucía' });
    expect(sent.status).toBe(202);
    const conversationId = sent.body['conversationId'] as string;

    await signInToConsole(page, platform.url, owner);
    await page.getByTestId('conversation').filter({ hasText: 'Lucía' }).click({ timeout: 30_000 });
    const aiBubble = page.locator('[data-author="AI"]').filter({ hasText: 'Abrimos a las 8' });
    await aiBubble.waitFor({ timeout: 60_000 });
    // Customer messages have no trace to open.
    expect(await page.locator('[data-author="CUSTOMER"] [data-testid="reply-trace-open"]').count()).toBe(0);

    await aiBubble.getByTestId('reply-trace-open').click();
    const dialog = page.getByTestId('reply-trace');
    await dialog.getByTestId('reply-trace-model').getByText('gpt-4o-mini (openai)').waitFor();
    expect(await dialog.getByTestId('reply-trace-tokens').textContent()).toContain('1230 (1200 prompt + 30 completion) in 1 model calls');
    // 1,200 × 0.15 + 30 × 0.60 per million tokens.
    expect(await dialog.getByTestId('reply-trace-cost').textContent()).toContain('US$ 0.000198');
    expect(await dialog.getByTestId('reply-trace-latency').textContent()).toMatch(
      /waiting for the customer \d+\.\d+ s · model \d+\.\d+ s · tools 0\.00 s/,
    );
    await dialog.getByText('No tools were called.').waitFor();
    await dialog.getByTestId('reply-trace-close').click();
    await dialog.waitFor({ state: 'hidden' });

    // A reply that used tools, as the worker stores it (its own suite drives the real tool loop): one answered,
    // one failed with a timeout.
    const replyId = randomUUID();
    await database.prisma.message.create({
      data: {
        id: replyId,
        businessId,
        conversationId,
        instanceId,
        direction: 'OUTBOUND',
        author: 'AI',
        kind: 'text',
        text: 'Tu pedido A-17 está en camino.',
        content: { kind: 'text', text: 'Tu pedido A-17 está en camino.' },
        status: 'SENT',
        sentAt: new Date(),
      },
    });
    await database.prisma.replyTrace.create({
      data: {
        bufferId: randomUUID(),
        businessId,
        conversationId,
        messageIds: [replyId],
        provider: 'openai',
        model: 'gpt-4o',
        prompt: [
          { role: 'system', content: 'Sos el asistente de Cantina Rosa.' },
          { role: 'user', content: '¿Dónde está mi pedido A-17?' },
        ],
        modelCalls: [
          { round: 0, promptTokens: 300, completionTokens: 20, totalTokens: 320, durationMs: 900, costUsd: 0.00095 },
          { round: 1, promptTokens: 380, completionTokens: 25, totalTokens: 405, durationMs: 800, costUsd: 0.0012 },
        ],
        toolCalls: [
          { round: 0, name: 'consultar_pedido', arguments: { numero: 'A-17' }, result: '{"estado":"en camino"}', error: null, durationMs: 140 },
          { round: 0, name: 'consultar_inventario', arguments: {}, result: null, error: 'timed out after 10000 ms', durationMs: 10_000 },
        ],
        promptTokens: 680,
        completionTokens: 45,
        totalTokens: 725,
        costUsd: 0.00215,
        bufferWaitMs: 5_000,
        modelMs: 1_700,
        toolMs: 10_140,
        totalMs: 17_000,
      },
    });
    await page.reload();
    await page.getByTestId('conversation').filter({ hasText: 'Lucía' }).click({ timeout: 30_000 });
    const toolBubble = page.locator('[data-author="AI"]').filter({ hasText: 'Tu pedido A-17' });
    await toolBubble.getByTestId('reply-trace-open').click();
    await dialog.getByTestId('reply-trace-model').getByText('gpt-4o (openai)').waitFor();
    const tools = dialog.getByTestId('reply-trace-tool');
    await expect.poll(() => tools.count()).toBe(2);
    expect(await tools.nth(0).textContent()).toContain('consultar_pedido');
    expect(await tools.nth(0).getByTestId('reply-trace-tool-result').textContent()).toContain('en camino');
    expect(await tools.nth(1).getByTestId('reply-trace-tool-error').textContent()).toBe('timed out after 10000 ms');
    expect(await dialog.getByTestId('reply-trace-latency').textContent()).toContain('tools 10.1 s');
    await screenshot(page, 'reply-trace-1280');
    const violations = await seriousAccessibilityViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  });

  it('writes a test suite on the agent page, runs it against the saved and the unsaved settings, and warns when saving a failing draft', async () => {
    await page.goto(`${platform.url}/agent`);
    const suite = page.getByTestId('agent-tests');
    await suite.getByText('No test cases yet.').waitFor({ timeout: 30_000 });

    const writeCase = async (name: string, customer: string, mention: string) => {
      await suite.getByRole('button', { name: 'New test case' }).click();
      const editor = suite.getByTestId('agent-test-editor');
      await editor.getByLabel('Name').fill(name);
      await editor.getByLabel('The customer says').fill(customer);
      await editor.getByPlaceholder('Text').fill(mention);
      await editor.getByRole('button', { name: 'Save' }).click();
      await editor.waitFor({ state: 'hidden' });
    };
    await writeCase('Horario', '¿A qué hora abren?', 'abrimos a las 8');
    await writeCase('Domingos', '¿Abren el domingo?', 'domingo');

    await suite.getByRole('button', { name: 'Run with the saved settings' }).click();
    const results = suite.getByTestId('agent-test-results');
    await results.getByText('Saved settings: 1 passed, 1 failed.').waitFor({ timeout: 60_000 });
    await results.getByText('the answer does not mention "domingo"').waitFor();

    // An unsaved change: the draft runs, fails the same case, and saving it says so.
    await page.getByTestId('system-prompt').fill('Sos el asistente de Cantina Rosa. Respondé corto.');
    await suite.getByRole('button', { name: 'Run with the unsaved changes' }).click();
    await results.getByText('Unsaved changes: 1 passed, 1 failed.').waitFor({ timeout: 60_000 });
    await page.getByTestId('agent-form').getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved — but 1 test case(s) failed with these settings.').waitFor();
    const draftRun = openai.chatRequests().at(-1)!;
    expect(draftRun.messages[0]).toEqual({ role: 'system', content: 'Sos el asistente de Cantina Rosa. Respondé corto.' });
    await screenshot(page, 'agent-tests-1280');
    const violations = await seriousAccessibilityViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  });
});
