import { createTestDatabase } from '@app/db/testing';
import { expectEventually } from '@app/testkit';
import { createOpenAiTestServer, type OpenAiTestServer } from '@app/testkit/openai';
import { startSmtpCaptureServer, type SmtpCaptureServer } from '@app/testkit/smtp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startPlatformProcess, type PlatformProcess } from '../../services/standalone/test/platform-process.ts';
import { launchChromium, recordCspViolations, screenshot, scriptVisibleSession, seriousAccessibilityViolations } from './browser.ts';
import { accessTokenOf, callApi } from './platform-session.ts';

const desktop = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };
const owner = { email: 'ana@panaderia.example', password: 'correct horse battery staple', business: 'Panadería Lucía' };

describe('the operator console in Chromium, against the standalone server', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let openai: OpenAiTestServer;
  let smtp: SmtpCaptureServer;
  let platform: PlatformProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let platformEnvironment: Record<string, string>;
  let platformPort: number;
  let cspViolations: string[];

  beforeAll(async () => {
    [database, openai, smtp] = await Promise.all([createTestDatabase(), createOpenAiTestServer(), startSmtpCaptureServer()]);
    openai.setReply(() => 'We open at 8am. See you soon!');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    platformPort = port;
    platformEnvironment = {
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'a-test-jwt-secret-that-is-long-enough-0123456789',
      CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
      PASSWORD_HASH_MEMORY_KIB: '1024',
      PASSWORD_HASH_PASSES: '1',
      // Short-lived access tokens: every step of the journey also exercises the refresh interceptor.
      ACCESS_TOKEN_TTL: '5s',
      SMTP_URL: smtp.url,
      PUBLIC_URL: url,
      EMAIL_VERIFICATION_URL: `${url}/verify-email`,
      OPENAI_BASE_URL: openai.baseURL,
      OPENAI_API_KEY: 'sk-test',
    };
    platform = await startPlatformProcess(platformEnvironment, port);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: desktop, locale: 'en-US', timezoneId: 'Europe/Madrid' });
    cspViolations = await recordCspViolations(context);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await Promise.all([openai?.close(), smtp?.close()]);
    await database?.close();
    await database?.drop();
  });

  async function expectAccessible(name: string): Promise<void> {
    const violations = await seriousAccessibilityViolations(page);
    expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
  }

  /** The API as the test's own client: a separate sign-in, so the console's refresh-token family is left alone. */
  async function apiAs(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    return callApi(platform.url, await accessTokenOf(platform.url, owner), method, path, body);
  }

  it('takes an operator from registration to answering a customer the AI already answered, in English and Spanish', async () => {
    // The console is served at / and routes on the client.
    await page.goto(`${platform.url}/`);
    await page.waitForURL('**/login');
    await page.getByRole('heading', { name: 'Sign in to your console' }).waitFor();
    await screenshot(page, 'login-1280');
    await expectAccessible('login');

    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Business name').fill(owner.business);
    await page.getByLabel('E-mail address').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByTestId('check-email').getByText(owner.email).waitFor();

    // The link in the real e-mail lands on the console's page, which verifies through the API.
    const mail = await smtp.waitForMail((candidate) => candidate.envelopeTo.includes(owner.email), { timeoutMs: 30_000 });
    const link = /https?:\/\/\S*verify-email\?token=[\w.~%-]+/.exec(mail.text ?? mail.html ?? mail.raw)?.[0];
    expect(link).toContain(`${platform.url}/verify-email?token=`);
    await page.goto(link!);
    await page.getByTestId('verified').getByText(`${owner.email} is verified`).waitFor();

    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('E-mail address').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/inbox');
    await page.getByText('No conversations yet').waitFor();
    // The console is served with its strict CSP.
    const served = await page.request.get(`${platform.url}/inbox`, { headers: { accept: 'text/html' } });
    expect(served.headers()['content-security-policy']).toContain("script-src 'self'");

    // No token where a script could read it: the access token is in memory, the refresh token an httpOnly cookie.
    const [refreshCookie] = (await context.cookies()).filter((cookie) => cookie.name === 'refresh_token');
    expect(refreshCookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/auth' });
    const readable = await scriptVisibleSession(page);
    expect(readable).not.toContain(refreshCookie!.value);
    expect(readable).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    // A reload keeps the session: a new access token from the cookie.
    await page.reload();
    await page.getByText('No conversations yet').waitFor();
    expect(page.url()).toMatch(/\/inbox$/);
    // Live updates over SSE (the console polls only when the server has no stream).
    await page.locator('[data-live="live"]').waitFor({ timeout: 30_000 });

    // Agent panel: short buffers so the AI answers quickly, and the live preview resolves variables while typing.
    await page.getByRole('link', { name: 'AI agent' }).click();
    await page.getByTestId('system-prompt').fill('You are the assistant of {{business_name}}. Today is {{weekday}}.');
    await expect.poll(() => page.getByTestId('prompt-preview').textContent()).toContain(`You are the assistant of ${owner.business}. Today is`);
    expect(await page.getByTestId('prompt-preview').textContent()).not.toContain('{{weekday}}');
    await page.getByLabel('Wait for more messages (seconds)').fill('1');
    await page.getByLabel('Maximum wait (seconds)').fill('4');
    await page.getByTestId('agent-form').getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await screenshot(page, 'agent-panel-1280');
    await expectAccessible('agent panel');

    // Onboarding: a sandbox number.
    await page.getByRole('link', { name: 'WhatsApp numbers' }).click();
    await page.getByLabel('Name').fill('Shop sandbox');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByTestId('instances').getByText('Shop sandbox').waitFor();
    await expectAccessible('instances');

    // A WhatsApp Web (Baileys) number: its session card appears and polls. This machine has no route to WhatsApp,
    // so the real session only gets as far as failing to connect and backing off; the card must say so.
    await page.getByRole('radio', { name: /WhatsApp Web/ }).check();
    await page.getByLabel('Name').fill('Shop phone');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByTestId('instances').getByText('Shop phone').waitFor();
    await page.getByTestId('baileys-session').waitFor();
    await expect.poll(() => page.getByTestId('session-state').getAttribute('data-state'), { timeout: 60_000 }).toBe('reconnecting');
    await page.getByTestId('session-last-error').waitFor();
    // Never linked: the pairing-code form is offered, and there is no QR code to show without WhatsApp's servers.
    await page.getByTestId('pairing-form').waitFor();
    expect(await page.getByTestId('session-qr').count()).toBe(0);
    // Its sending limits: a slower pace for this number, the rest left at the platform's defaults.
    await page.getByLabel('Messages per minute').fill('4');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.getByText('Sending limits saved.').waitFor();
    await expectAccessible('instances with a WhatsApp Web session');
    const whatsAppWeb = (
      (await apiAs('GET', '/api/instances')).body['items'] as { provider: string; baileys: Record<string, unknown> | null }[]
    ).find((instance) => instance.provider === 'BAILEYS');
    expect(whatsAppWeb?.baileys).toEqual({ maxPerMinute: 4, minGapPerRecipientMs: null, newContactsPerDay: null, typing: null });

    const instances = await apiAs('GET', '/api/instances');
    const instanceId = (instances.body['items'] as { id: string; provider: string }[]).find((instance) => instance.provider === 'SANDBOX')!.id;

    // A customer writes (through the sandbox provider); the AI reply appears in the open chat without a reload.
    await page.getByRole('link', { name: 'Inbox' }).click();
    const sent = await apiAs('POST', `/api/sandbox/${instanceId}/messages`, { from: '+34600111222', text: 'When do you open?', name: 'Lucía' });
    expect(sent.status).toBe(202);
    await page.getByTestId('conversation').filter({ hasText: 'Lucía' }).click({ timeout: 30_000 });
    await page.locator('[data-author="CUSTOMER"]').getByText('When do you open?').waitFor();
    await page.locator('[data-author="AI"]').getByText('We open at 8am.').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('[data-author="AI"] [data-testid="tick"]').getAttribute('data-status'), { timeout: 30_000 }).toBe('SENT');
    await screenshot(page, 'inbox-chat-1280');
    await expectAccessible('inbox with a chat');

    // The operator answers: the message is theirs, and the bot is shown as paused for this contact.
    await page.getByTestId('composer-input').fill('Hi Lucía, this is Ana. We also have fresh croissants!');
    await page.getByTestId('composer-input').press('Enter');
    await page.locator('[data-author="OPERATOR"]').getByText('this is Ana').waitFor();
    await page.getByTestId('bot-paused').waitFor();
    await expect.poll(async () => page.getByTestId('conversation').filter({ hasText: 'Lucía' }).textContent()).toContain('Bot paused');

    // Staying signed in: a reload long after the 5 s access token expired keeps the operator in the inbox.
    await page.reload();
    await page.getByTestId('conversation').filter({ hasText: 'Lucía' }).click();
    expect(page.url()).toContain('/inbox');

    // "Pause for…": a timed pause shows its end time in the chat header and the list.
    await page.getByTestId('bot-pause-menu').click();
    await page.getByTestId('bot-pause-twoHours').click();
    await expect.poll(async () => page.getByTestId('bot-paused').textContent()).toMatch(/Bot paused until \d{2}:\d{2}/);
    await expect
      .poll(async () => page.getByTestId('conversation').filter({ hasText: 'Lucía' }).textContent())
      .toMatch(/Bot paused until \d{2}:\d{2}/);

    // Bot back on for the contact: the next customer message gets an AI answer again.
    await page.getByTestId('contact-bot').getByRole('switch').click();
    await page.getByTestId('bot-paused').waitFor({ state: 'detached' });
    await apiAs('POST', `/api/sandbox/${instanceId}/messages`, { from: '+34600111222', text: 'Do you have gluten-free bread?' });
    await page.locator('[data-author="CUSTOMER"]').getByText('gluten-free').waitFor({ timeout: 30_000 });
    await expectEventually(() => expect(openai.chatRequests()).toHaveLength(2), { timeoutMs: 60_000 });
    await expect.poll(() => page.locator('[data-author="AI"]').count(), { timeout: 30_000 }).toBe(2);

    // Spanish, switched at run time.
    await page.getByRole('button', { name: 'ES', exact: true }).click();
    await page.getByRole('link', { name: 'Bandeja' }).waitFor();
    await page.getByText('Ventana de 24 h abierta').first().waitFor();
    await screenshot(page, 'inbox-chat-es-1280');

    // The same screens on a phone.
    // Its own sign-in: sharing the desktop's refresh token would count as token reuse and end both sessions.
    const phoneContext = await browser.newContext({ viewport: phone, locale: 'en-US', timezoneId: 'Europe/Madrid', isMobile: true, hasTouch: true });
    const phonePage = await phoneContext.newPage();
    await phonePage.goto(`${platform.url}/login`);
    await phonePage.getByLabel('E-mail address').fill(owner.email);
    await phonePage.getByLabel('Password').fill(owner.password);
    await phonePage.getByRole('button', { name: 'Sign in' }).click();
    await phonePage.waitForURL('**/inbox');
    await phonePage.getByTestId('conversation').first().waitFor();
    await screenshot(phonePage, 'inbox-390');
    await phonePage.getByTestId('conversation').first().click();
    await phonePage.locator('[data-author="AI"]').first().waitFor();
    await screenshot(phonePage, 'chat-390');
    await phonePage.goto(`${platform.url}/agent`);
    await phonePage.getByTestId('prompt-preview').waitFor();
    await screenshot(phonePage, 'agent-panel-390');
    await phoneContext.close();
    const signedOut = await browser.newContext({ viewport: phone, locale: 'en-US' });
    const loginPage = await signedOut.newPage();
    await loginPage.goto(`${platform.url}/login`);
    await loginPage.getByRole('heading').first().waitFor();
    await screenshot(loginPage, 'login-390');
    await signedOut.close();
  });

  /** Restarts the platform the way `how` says, with the console open; a customer writes while it is down. */
  async function restartWithConsoleOpen(how: 'crash' | 'graceful', text: string): Promise<void> {
    await page.goto(`${platform.url}/inbox`);
    await page.getByTestId('conversation').filter({ hasText: 'Lucía' }).click();
    await page.locator('[data-live="live"]').waitFor({ timeout: 30_000 });
    if (how === 'crash') {
      // SIGKILL, the harshest restart: the browser only notices the stream ending.
      await platform.kill();
    } else {
      // SIGTERM, as a rolling update or Ctrl-C: the open stream must not hold the process up.
      expect(await platform.stop()).toBe(0);
      // The open stream was ended by the shutdown, not cut by its 5 s fallback.
      expect(platform.output()).not.toContain('platform.connections_forced');
    }
    await page.locator('[data-live="live"]').waitFor({ state: 'detached', timeout: 30_000 });
    platform = await startPlatformProcess(platformEnvironment, platformPort);
    const instances = await apiAs('GET', '/api/instances');
    const instanceId = (instances.body['items'] as { id: string; provider: string }[]).find((instance) => instance.provider === 'SANDBOX')!.id;
    await apiAs('POST', `/api/sandbox/${instanceId}/messages`, { from: '+34600111222', text });
    await page.locator('[data-live="live"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-author="CUSTOMER"]').getByText(text).waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-author="CUSTOMER"]').getByText(text).count()).toBe(1);
  }

  it('reconnects by itself after the server crashes and restarts, and shows what arrived meanwhile', async () => {
    await restartWithConsoleOpen('crash', 'Are you open on Sunday?');
  });

  it('lets the server stop cleanly while the console is connected, and follows the next one', async () => {
    await restartWithConsoleOpen('graceful', 'And on Monday?');
  });

  it('says clearly when the password is wrong, and when a verification link is not valid', async () => {
    const fresh = await browser.newContext({ viewport: desktop, locale: 'en-US' });
    const visitor = await fresh.newPage();
    await visitor.goto(`${platform.url}/login`);
    await visitor.getByLabel('E-mail address').fill(owner.email);
    await visitor.getByLabel('Password').fill('not the password');
    await visitor.getByRole('button', { name: 'Sign in' }).click();
    expect(await visitor.getByTestId('login-error').textContent()).toContain('The e-mail address or the password is incorrect.');

    await visitor.goto(`${platform.url}/verify-email?token=not-a-real-token`);
    expect(await visitor.getByTestId('verify-failed').textContent()).toContain('This verification link is not valid.');
    await fresh.close();
  });

  it('signs out for good: the cookie is cleared, and a reload lands on the login page', async () => {
    await page.goto(`${platform.url}/inbox`);
    await page.getByRole('button', { name: /Sign out|Cerrar sesión/ }).click();
    await page.waitForURL('**/login');
    expect((await context.cookies()).filter((cookie) => cookie.name === 'refresh_token')).toEqual([]);
    await page.reload();
    await page.locator('form').first().waitFor();
    expect(page.url()).toMatch(/\/login$/);
  });

  it('lets an owner who forgot the password choose a new one from the e-mailed link, and sign in with it', async () => {
    const fresh = await browser.newContext({ viewport: desktop, locale: 'en-US' });
    const visitor = await fresh.newPage();
    await visitor.goto(`${platform.url}/login`);
    await visitor.getByRole('link', { name: 'Forgot your password?' }).click();
    await visitor.getByLabel('E-mail address').fill(owner.email);
    await visitor.getByRole('button', { name: 'Send me a link' }).click();
    await visitor.getByTestId('reset-sent').waitFor();

    const mail = await smtp.waitForMail((candidate) => candidate.envelopeTo.includes(owner.email) && /reset-password/.test(candidate.text ?? ''), {
      timeoutMs: 30_000,
    });
    const link = /https?:\/\/\S*reset-password\?token=[\w.~%-]+/.exec(mail.text ?? '')?.[0];
    expect(link).toContain(`${platform.url}/reset-password?token=`);
    await visitor.goto(link!);
    await visitor.getByLabel('New password').fill('a brand new passphrase');
    await visitor.getByRole('button', { name: 'Save the new password' }).click();
    await visitor.getByTestId('password-reset').waitFor();
    await visitor.getByRole('link', { name: 'Sign in' }).click();
    await visitor.getByLabel('E-mail address').fill(owner.email);
    await visitor.getByLabel('Password').fill('a brand new passphrase');
    await visitor.getByRole('button', { name: 'Sign in' }).click();
    await visitor.waitForURL('**/inbox');
    await fresh.close();
  });

  it('caused no Content Security Policy violation on any page of the journey', () => {
    expect(cspViolations).toEqual([]);
  });
});
