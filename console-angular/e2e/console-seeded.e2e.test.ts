import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestDatabase } from '@app/db/testing';
import { createFileObjectStore } from '@app/runtime/local';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformProcess } from '../../services/standalone/test/platform-process.ts';
import { launchChromium, recordCspViolations, screenshot, seriousAccessibilityViolations } from './browser.ts';
import { accessTokenOf, callApi, signInToConsole, startPlatformOnFreshDatabase, type PlatformOnFreshDatabase } from './platform-session.ts';
import { registerVerifiedOwner, seedConversation, seedInbox, seededMessageText, seededName, seededPhone, type SeededInbox } from './inbox-seed.ts';

const desktop = { width: 1280, height: 800 };
const owner = { email: 'marta@ferreteria.example', password: 'correct horse battery staple', business: 'Ferretería Marta' };
const conversationCount = 2_000;
const chatLength = 600;
/** A 160×120 two-tone PNG: real bytes the browser decodes, so the thumbnail has a natural size to check. */
const hingePhotoPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAKAAAAB4CAIAAAD6wG44AAAA00lEQVR42u3RMREAMAgAMeRUCTNzVSIRH5C7V/CJ/k+LCwsAC7AAC7AAC7AAAxZgARZgARZgAQYswAIswAIswAIswIAFWIAFWIAFWIABC7AAC7AAC7AAAxZgARZgARZgARZgwAIswAIswAIswIAFWIAFWIAFWIDPA2eWFgcYsAALsAALsAALMGABFmABFmABFmDAAizAAizAAizAAgxYgAVYgAVYgAUYsAALsAALsAALMGABFmABFmABFmABBizAAizAAizAAgxYgAVYgAVYgAX4fAPDURGEjgoL4wAAAABJRU5ErkJggg==',
  'base64',
);

/** The bubbles whose box is inside the chat viewport, top to bottom, with their position on screen. */
async function visibleMessages(page: Page): Promise<{ text: string; top: number }[]> {
  return page.getByTestId('timeline').evaluate((viewport) => {
    const box = viewport.getBoundingClientRect();
    return Array.from(viewport.querySelectorAll<HTMLElement>('[data-testid="message"]'))
      .map((bubble) => ({ text: bubble.querySelector('.text')?.textContent?.trim() ?? '', rect: bubble.getBoundingClientRect() }))
      .filter(({ rect }) => rect.top >= box.top && rect.bottom <= box.bottom)
      .map(({ text, rect }) => ({ text, top: Math.round(rect.top) }));
  });
}

async function topOf(page: Page, text: string): Promise<number | null> {
  return page.getByTestId('timeline').evaluate((viewport, wanted) => {
    const bubble = Array.from(viewport.querySelectorAll<HTMLElement>('[data-testid="message"]')).find(
      (candidate) => candidate.querySelector('.text')?.textContent?.trim() === wanted,
    );
    return bubble ? Math.round(bubble.getBoundingClientRect().top) : null;
  }, text);
}

describe('the console on a seeded inbox (large lists, media, Baileys onboarding, closed window), in Chromium', () => {
  let started: PlatformOnFreshDatabase | undefined;
  let database: TestDatabase;
  let platform: PlatformProcess;
  let browser: Browser;
  let page: Page;
  let seeded: SeededInbox;
  let accessToken: string;
  let businessId: string;
  let metaInstanceId: string;
  /** The platform's DATA_DIR; its object store (DATA_DIR/objects) is where WhatsApp Web media are kept. */
  let dataDir: string;
  let cspViolations: string[];

  const api = (method: string, path: string, body?: unknown) => callApi(platform.url, accessToken, method, path, body);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'console-e2e-data-'));
    started = await startPlatformOnFreshDatabase({ PASSWORD_HASH_MEMORY_KIB: '1024', PASSWORD_HASH_PASSES: '1', DATA_DIR: dataDir });
    ({ database, platform } = started);
    ({ businessId } = await registerVerifiedOwner(platform.url, database.prisma, owner));
    // Older than everything seeded below, so the list shows them first.
    seeded = await seedInbox(database.prisma, {
      businessId,
      conversations: conversationCount,
      chatMessages: chatLength,
      now: new Date(Date.now() - 3_600_000),
    });
    metaInstanceId = (
      await database.prisma.instance.create({ data: { businessId, provider: 'META', name: 'Cloud number', phoneNumberId: '1098765432101' } })
    ).id;
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
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('scrolls thousands of conversations a page at a time, rendering only the rows in view', async () => {
    const list = page.getByTestId('conversation-list');
    await page
      .getByTestId('conversation')
      .filter({ hasText: seededName(0) })
      .waitFor();
    expect(await page.getByTestId('conversation').count()).toBeLessThan(40);
    // Scrolling to the end of what is loaded fetches the next page, again and again.
    const scrollToEnd = () => list.evaluate((viewport) => viewport.scrollTo({ top: viewport.scrollHeight }));
    await expect
      .poll(async () => (await scrollToEnd(), list.evaluate((viewport) => viewport.scrollHeight)), { timeout: 30_000 })
      .toBeGreaterThan(300 * 76);
    await list.evaluate((viewport) => viewport.scrollTo({ top: 250 * 76 }));
    await page
      .getByTestId('conversation')
      .filter({ hasText: seededName(252) })
      .waitFor();
    expect(await page.getByTestId('conversation').count()).toBeLessThan(40);
    await list.evaluate((viewport) => viewport.scrollTo({ top: 0 }));
  });

  it('searches every conversation on the server: a contact the list never loaded, and an old message of a long chat', async () => {
    const search = page.getByTestId('inbox-search');
    const rows = page.getByTestId('conversation');
    await search.fill(seededName(1_900).toLowerCase());
    await rows.filter({ hasText: seededName(1_900) }).waitFor();
    await expect.poll(() => rows.count()).toBe(1);

    // By phone, written the way people write numbers.
    await search.fill(`+34 60 ${seededPhone(1_850).slice(4, 8)} ${seededPhone(1_850).slice(8)}`);
    await rows.filter({ hasText: seededName(1_850) }).waitFor();

    // An old message of the long chat: the row says which message matched, not the newest one.
    await search.fill(seededMessageText(3));
    const match = page.getByTestId('conversation-search-match');
    await match.waitFor();
    expect(await match.textContent()).toContain(seededMessageText(3));
    await expect.poll(() => rows.count()).toBe(1);

    await search.fill('nothing like this anywhere');
    await page.getByText('No conversation matches your search.').waitFor();
    await search.fill('');
    await rows.filter({ hasText: seededName(0) }).waitFor();
  });

  it('opens a long chat at the newest message, follows new messages only at the bottom, and keeps the view still when older pages load', async () => {
    await page
      .getByTestId('conversation')
      .filter({ hasText: seededName(0) })
      .click();
    const newest = seededMessageText(chatLength - 1);
    await expect.poll(async () => (await visibleMessages(page)).map((message) => message.text), { timeout: 30_000 }).toContain(newest);
    // Virtual: a few dozen bubbles in the DOM, not the hundreds loaded.
    expect(await page.locator('[data-testid="timeline"] [data-testid="message"]').count()).toBeLessThan(80);
    await screenshot(page, 'inbox-long-chat-1280');

    // At the bottom, a new customer message scrolls into view by itself.
    const sent = await api('POST', `/api/sandbox/${seeded.instanceId}/messages`, { from: `+${seededPhone(0)}`, text: 'Live while at the bottom' });
    expect(sent.status).toBe(202);
    await expect
      .poll(async () => (await visibleMessages(page)).map((message) => message.text), { timeout: 30_000 })
      .toContain('Live while at the bottom');

    // Scrolled up, a new message does not move what the operator is reading; a button offers the latest.
    await page.getByTestId('timeline').evaluate((viewport) => viewport.scrollBy({ top: -1500 }));
    await page.getByTestId('jump-to-latest').waitFor();
    const reading = (await visibleMessages(page))[1]!;
    await api('POST', `/api/sandbox/${seeded.instanceId}/messages`, { from: `+${seededPhone(0)}`, text: 'Live while reading older ones' });
    await expect
      .poll(() => page.evaluate(() => document.querySelector('[aria-live="polite"].visually-hidden')?.textContent ?? ''), { timeout: 30_000 })
      .toContain('Live while reading older ones');
    expect(await topOf(page, reading.text)).toBe(reading.top);
    expect((await visibleMessages(page)).map((message) => message.text)).not.toContain('Live while reading older ones');
    await page.getByTestId('jump-to-latest').click();
    await expect
      .poll(async () => (await visibleMessages(page)).map((message) => message.text), { timeout: 10_000 })
      .toContain('Live while reading older ones');

    // At the top, the older page loads by itself and the message that was first on screen stays where it was.
    for (let round = 0; round < 2; round++) {
      // Hold the older page until the test has noted what is on screen (it loads by itself at the top).
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/messages?limit=100&cursor=*', async (route) => (await held, route.continue()));
      await page.getByTestId('timeline').evaluate((viewport) => viewport.scrollTo({ top: 0 }));
      await page.getByTestId('load-older').waitFor();
      const first = (await visibleMessages(page))[0]!;
      release();
      await expect.poll(() => page.getByTestId('timeline').evaluate((viewport) => viewport.scrollTop), { timeout: 30_000 }).toBeGreaterThan(500);
      await expect.poll(() => topOf(page, first.text), { timeout: 10_000 }).toBe(first.top);
      await page.unrouteAll({ behavior: 'wait' });
    }
    expect(await page.locator('[data-testid="timeline"] [data-testid="message"]').count()).toBeLessThan(80);
    const violations = await seriousAccessibilityViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  });

  it('shows media, locations, shared contacts and the text a reply quotes', async () => {
    const media = (kind: string, content: object, providerMessageId: string, text: string | null = null) => ({
      direction: 'INBOUND' as const,
      author: 'CUSTOMER' as const,
      kind,
      text,
      content: { kind, ...content },
      providerMessageId,
    });
    // A photo and a voice note as WhatsApp Web (Baileys) leaves them: bytes in the platform's object store.
    const objects = createFileObjectStore(join(dataDir, 'objects'));
    const photoKey = `media/${businessId}/${seeded.instanceId}/e2e-photo.png`;
    const voiceKey = `media/${businessId}/${seeded.instanceId}/e2e-voice.ogg`;
    await objects.put(photoKey, hingePhotoPng, 'image/png');
    await objects.put(voiceKey, Buffer.from('OggS'), 'audio/ogg; codecs=opus');
    // An "image" stored before types were sniffed: SVG with script, under the type its sender claimed.
    const svgKey = `media/${businessId}/${seeded.instanceId}/e2e-attack`;
    const attack =
      '<svg xmlns="http://www.w3.org/2000/svg" onload="window.opener && (window.opener.pwned = 1); top.pwned = 1"><script>top.pwned = 1</script></svg>';
    await objects.put(svgKey, Buffer.from(attack), 'image/svg+xml');
    await seedConversation(database.prisma, {
      businessId,
      instanceId: seeded.instanceId,
      name: 'Media María',
      phone: '34611000001',
      lastInboundAt: new Date(),
      messages: [
        {
          direction: 'OUTBOUND',
          author: 'AI',
          kind: 'text',
          text: 'Can you send a photo of the broken part?',
          content: { kind: 'text', text: 'Can you send a photo of the broken part?' },
          providerMessageId: 'wamid.ai-question',
        },
        media(
          'image',
          {
            media: { mediaId: '1234567890', mimeType: 'image/jpeg', caption: 'The broken hinge' },
            context: { providerMessageId: 'wamid.ai-question' },
          },
          'wamid.image',
          '[image] The broken hinge',
        ),
        media(
          'image',
          {
            media: {
              mediaId: photoKey,
              mimeType: 'image/png',
              size: hingePhotoPng.length,
              caption: 'The new hinge',
              download: { state: 'stored', attempts: 1 },
            },
          },
          'wamid.stored-image',
          '[image] The new hinge',
        ),
        media(
          'image',
          { media: { mediaId: svgKey, mimeType: 'image/svg+xml', caption: 'Totally a photo', download: { state: 'stored', attempts: 1 } } },
          'wamid.svg-attack',
          '[image] Totally a photo',
        ),
        media(
          'audio',
          { voice: true, media: { mediaId: voiceKey, mimeType: 'audio/ogg; codecs=opus', size: 18_432, download: { state: 'stored', attempts: 1 } } },
          'wamid.voice',
          '[voice note]',
        ),
        media('video', { media: { mimeType: 'video/mp4', download: { state: 'pending', attempts: 2 } } }, 'wamid.video', '[video]'),
        media('document', { media: { mimeType: 'application/pdf', filename: 'invoice-2291.pdf', size: 240_000 } }, 'wamid.document', '[document]'),
        media('sticker', { animated: false, media: { mimeType: 'image/webp' } }, 'wamid.sticker', '[sticker]'),
        media(
          'location',
          { latitude: 40.4168, longitude: -3.7038, name: 'Ferretería Marta', address: 'Calle Mayor 1, Madrid' },
          'wamid.location',
          '[location] Ferretería Marta',
        ),
        media(
          'contacts',
          { contacts: [{ name: 'Pablo Fontanero', phones: [{ phone: '+34 600 222 333', type: 'CELL' }], emails: [] }] },
          'wamid.contacts',
          '[contacts] Pablo Fontanero',
        ),
      ],
    });
    await page.reload();
    await page.getByTestId('conversation').filter({ hasText: 'Media María' }).click();
    const timeline = page.getByTestId('timeline');
    await timeline.getByTestId('media-contacts').waitFor();
    // The Cloud API photo is described (its bytes stay at WhatsApp); the stored one is fetched with the token and shown.
    const cloudImage = timeline.getByTestId('media-image').filter({ hasText: 'image/jpeg' });
    await cloudImage.scrollIntoViewIfNeeded();
    expect(await cloudImage.textContent()).toContain('Kept by WhatsApp');
    const thumbnail = timeline.getByTestId('media-thumbnail').locator('img');
    await thumbnail.scrollIntoViewIfNeeded();
    await expect.poll(() => thumbnail.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth), { timeout: 15_000 }).toBe(160);
    expect(await thumbnail.getAttribute('src')).toMatch(/^blob:/);
    expect(await thumbnail.getAttribute('alt')).toBe('The new hinge');
    // Full size opens inside the console, never as a page of its own.
    const pagesBefore = page.context().pages().length;
    await timeline.getByTestId('media-thumbnail').click();
    const viewer = timeline.getByTestId('media-viewer');
    await viewer.locator('img').waitFor();
    expect(page.context().pages()).toHaveLength(pagesBefore);
    await viewer.getByRole('button', { name: 'Close' }).click();
    await viewer.waitFor({ state: 'hidden' });
    // The SVG is served as application/octet-stream: offered as a download, never shown, and its script never runs.
    const attackBubble = timeline.getByTestId('message').filter({ hasText: 'Totally a photo' });
    await attackBubble.getByTestId('media-download').waitFor();
    expect(await attackBubble.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await timeline.getByTestId('media-audio').locator('audio[controls]').getAttribute('src')).toMatch(/^blob:/);
    expect(await timeline.getByTestId('reply-context').textContent()).toContain('Can you send a photo of the broken part?');
    expect(await timeline.getByTestId('media-audio').textContent()).toContain('Voice note');
    expect(await timeline.getByTestId('media-video').textContent()).toContain('Being downloaded from WhatsApp');
    expect(await timeline.getByTestId('media-document').textContent()).toContain('invoice-2291.pdf');
    expect(await timeline.getByTestId('media-document').textContent()).toContain('234 kB');
    expect(await timeline.getByTestId('media-sticker').textContent()).toContain('Sticker');
    expect(await timeline.getByTestId('media-location').getByRole('link').getAttribute('href')).toContain(
      'openstreetmap.org/?mlat=40.4168&mlon=-3.7038',
    );
    expect(await timeline.getByTestId('media-contacts').getByRole('link').getAttribute('href')).toBe('tel:+34 600 222 333');
    await screenshot(page, 'inbox-media-1280');
    const violations = await seriousAccessibilityViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  });

  it('explains the closed 24 h window of a Cloud API conversation, and the 422 when it closes while the operator types', async () => {
    const text = (body: string, providerMessageId: string) => ({
      direction: 'INBOUND' as const,
      author: 'CUSTOMER' as const,
      kind: 'text',
      text: body,
      content: { kind: 'text', text: body },
      providerMessageId,
    });
    await seedConversation(database.prisma, {
      businessId,
      instanceId: metaInstanceId,
      name: 'Closed Carlos',
      phone: '34611000002',
      lastInboundAt: new Date(Date.now() - 30 * 3_600_000),
      // Still near the top of the list (the business wrote later with a template).
      lastMessageAt: new Date(),
      messages: [text('Do you cut keys?', 'wamid.closed-1')],
    });
    // Its window closes 25 s from now: open when the page loads, closed by the time the operator sends.
    const closesAt = Date.now() + 25_000;
    const closing = await seedConversation(database.prisma, {
      businessId,
      instanceId: metaInstanceId,
      name: 'Closing Clara',
      phone: '34611000003',
      lastInboundAt: new Date(closesAt - 24 * 3_600_000),
      lastMessageAt: new Date(),
      messages: [text('Are you open tomorrow?', 'wamid.closing-1')],
    });
    await page.reload();
    await page.getByTestId('conversation').filter({ hasText: 'Closed Carlos' }).click();
    expect(await page.getByTestId('window-closed').textContent()).toContain('approved template');
    expect(await page.getByTestId('composer-input').count()).toBe(0);
    await screenshot(page, 'inbox-window-closed-1280');

    await page.getByTestId('conversation').filter({ hasText: 'Closing Clara' }).click();
    await page.getByTestId('composer-input').fill('Yes, from 9 to 2!');
    await expect.poll(() => Date.now() > closesAt + 1_000, { timeout: 60_000, interval: 500 }).toBe(true);
    await page.getByTestId('composer-input').press('Enter');
    expect(await page.getByTestId('send-error').textContent()).toContain('The 24-hour window is closed');
    expect(await database.prisma.message.count({ where: { conversationId: closing.conversationId, direction: 'OUTBOUND' } })).toBe(0);
  });

  it('caused no Content Security Policy violation on any page', () => {
    expect(cspViolations).toEqual([]);
  });
});
