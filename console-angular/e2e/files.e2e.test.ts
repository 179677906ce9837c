import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestDatabase } from '@app/db/testing';
import { createOpenAiTestServer, type OpenAiTestServer } from '@app/testkit/openai';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformProcess } from '../../services/standalone/test/platform-process.ts';
import { launchChromium, recordCspViolations, screenshot, seriousAccessibilityViolations } from './browser.ts';
import { registerVerifiedOwner } from './inbox-seed.ts';
import { accessTokenOf, callApi, signInToConsole, startPlatformOnFreshDatabase, type PlatformOnFreshDatabase } from './platform-session.ts';

const desktop = { width: 1280, height: 800 };
const owner = { email: 'rosa@cafeteria.example', password: 'correct horse battery staple', business: 'Cafetería Rosa' };
/** A 160×120 two-tone PNG: real bytes the browser decodes. */
const menuPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAKAAAAB4CAIAAAD6wG44AAAA00lEQVR42u3RMREAMAgAMeRUCTNzVSIRH5C7V/CJ/k+LCwsAC7AAC7AAC7AAAxZgARZgARZgAQYswAIswAIswAIswIAFWIAFWIAFWIABC7AAC7AAC7AAAxZgARZgARZgARZgwAIswAIswAIswIAFWIAFWIAFWIDPA2eWFgcYsAALsAALsAALMGABFmABFmABFmDAAizAAizAAizAAgxYgAVYgAVYgAUYsAALsAALsAALMGABFmABFmABFmABBizAAizAAizAAgxYgAVYgAVYgAX4fAPDURGEjgoL4wAAAABJRU5ErkJggg==',
  'base64',
);

describe('the files library in Chromium: upload, edit, and the agent sending a file in the test chat', () => {
  let started: PlatformOnFreshDatabase | undefined;
  let database: TestDatabase;
  let platform: PlatformProcess;
  let openai: OpenAiTestServer;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let cspViolations: string[];
  let accessToken: string;

  const api = (method: string, path: string, body?: unknown) => callApi(platform.url, accessToken, method, path, body);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'files-e2e-data-'));
    openai = await createOpenAiTestServer();
    openai.setReply(() => 'Claro, aquí tienes nuestro menú:');
    started = await startPlatformOnFreshDatabase({
      PASSWORD_HASH_MEMORY_KIB: '1024',
      PASSWORD_HASH_PASSES: '1',
      DATA_DIR: dataDir,
      OPENAI_BASE_URL: openai.baseURL,
      OPENAI_API_KEY: 'sk-test',
    });
    ({ database, platform } = started);
    await registerVerifiedOwner(platform.url, database.prisma, owner);
    accessToken = await accessTokenOf(platform.url, owner);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: desktop, locale: 'en-US', timezoneId: 'Europe/Madrid' });
    cspViolations = await recordCspViolations(context);
    page = await context.newPage();
    await signInToConsole(page, platform.url, owner);
  });

  afterAll(async () => {
    await browser?.close();
    await started?.close();
    await openai?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('uploads a file from the Files page, edits its metadata, and refuses a type WhatsApp cannot send', async () => {
    await page.getByRole('link', { name: 'Files' }).click();
    await page.waitForURL('**/files');
    await page.getByTestId('files-empty').waitFor();

    await page.getByTestId('file-input').setInputFiles({ name: 'menu.png', mimeType: 'image/png', buffer: menuPng });
    await page.getByTestId('file-row-title').filter({ hasText: 'menu' }).waitFor();

    await page.getByTestId('file-edit').click();
    await page.getByTestId('file-title').fill('Menú del día');
    await page.getByTestId('file-keywords').fill('menú, carta, comida');
    await page.getByTestId('file-context').fill('Cuando pregunten qué hay para comer');
    await page.getByTestId('file-save').click();
    await page.getByTestId('file-row-title').filter({ hasText: 'Menú del día' }).waitFor();

    const listed = (await api('GET', '/api/files')).body['files'] as Array<Record<string, unknown>>;
    expect(listed).toEqual([
      expect.objectContaining({
        title: 'Menú del día',
        kind: 'image',
        mimeType: 'image/png',
        triggerKeywords: ['menú', 'carta', 'comida'],
        triggerContext: 'Cuando pregunten qué hay para comer',
        active: true,
      }),
    ]);

    // An HTML page named like a PDF is refused with the server's explanation, and nothing is added.
    await page
      .getByTestId('file-input')
      .setInputFiles({ name: 'carta.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><body>hi</body></html>') });
    await page.getByRole('alert').filter({ hasText: 'cannot be sent on WhatsApp' }).waitFor();
    expect(await page.getByTestId('file-row').count()).toBe(1);

    await screenshot(page, 'files-1280');
    const violations = await seriousAccessibilityViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  });

  it('shows a library file the agent sent in the test chat: the image in place, after the text', async () => {
    const sandbox = await api('POST', '/api/instances', { provider: 'SANDBOX', name: 'Pruebas' });
    expect(sandbox.status).toBe(201);
    const file = await database.prisma.agentFile.findFirstOrThrow({ where: { title: 'Menú del día' } });
    await page.getByRole('link', { name: 'Test your agent' }).click();
    await page.getByPlaceholder('Write as the customer').fill('¿Qué hay de comer hoy?');
    await page.getByPlaceholder('Write as the customer').press('Enter');
    await page.locator('[data-author="CUSTOMER"]').getByText('¿Qué hay de comer hoy?').waitFor();
    await page.locator('[data-author="AI"]').first().waitFor({ timeout: 60_000 });

    // The file as the reply loop stores it once composed: a message of its own after the text, its object key stored.
    const reply = await database.prisma.message.findFirstOrThrow({ where: { author: 'AI' } });
    const conversation = { businessId: reply.businessId, conversationId: reply.conversationId, instanceId: reply.instanceId };
    const at = (offset: number) => new Date(reply.sentAt.getTime() + offset);
    await database.prisma.message.create({
      data: {
        ...conversation,
        direction: 'OUTBOUND',
        author: 'AI',
        kind: 'image',
        content: {
          kind: 'image',
          media: {
            mediaId: file.objectKey,
            mimeType: file.mimeType,
            filename: file.filename,
            size: file.sizeBytes,
            download: { state: 'stored', attempts: 0 },
          },
        },
        status: 'SENT',
        sentAt: at(1),
      },
    });
    await page.reload();
    const image = page.locator('[data-author="AI"] [data-testid="media-thumbnail"] img');
    await image.waitFor({ timeout: 30_000 });
    await expect.poll(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBe(160);
    await screenshot(page, 'test-chat-file-1280');
  });

  // The whole loop — the model's [[file:…]] turned into the file by the reply composer — runs once the AI worker
  // composes its replies through createReplyComposer.
  it('sends the file when the model writes its shortcode', async () => {
    // The model names the library file by its shortcode; the reply composer turns it into the file.
    openai.setReply(() => 'Claro, aquí tienes nuestro menú: [[file:Menú del día]] ¡Buen provecho!');
    await page.getByPlaceholder('Write as the customer').fill('¿Tenéis menú?');
    await page.getByPlaceholder('Write as the customer').press('Enter');
    const image = page.locator('[data-author="AI"] [data-testid="media-thumbnail"] img');
    await expect.poll(() => image.count(), { timeout: 60_000 }).toBeGreaterThan(1);
    await page.locator('[data-author="AI"]').getByText('¡Buen provecho!').last().waitFor();
    expect(await page.locator('[data-author="AI"]').getByText('[[file:').count()).toBe(0);
  });

  it('caused no Content Security Policy violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
