import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, recordCspViolations, screenshot, seriousAccessibilityViolations } from './browser.ts';
import { registerVerifiedOwner, seedConversation } from './inbox-seed.ts';
import { accessTokenOf, callApi, signInToConsole, startPlatformOnFreshDatabase, type PlatformOnFreshDatabase } from './platform-session.ts';

const owner = { email: 'rosa@zapateria.example', password: 'correct horse battery staple', business: 'Zapatería Rosa' };

describe('custom contact fields in the console, in Chromium', () => {
  let started: PlatformOnFreshDatabase | undefined;
  let browser: Browser;
  let page: Page;
  let contactId: string;
  let cspViolations: string[];

  beforeAll(async () => {
    started = await startPlatformOnFreshDatabase({ PASSWORD_HASH_MEMORY_KIB: '1024', PASSWORD_HASH_PASSES: '1' });
    const { database, platform } = started;
    const { businessId } = await registerVerifiedOwner(platform.url, database.prisma, owner);
    const instance = await database.prisma.instance.create({ data: { businessId, provider: 'SANDBOX', name: 'Sandbox' } });
    ({ contactId } = await seedConversation(database.prisma, {
      businessId,
      instanceId: instance.id,
      name: 'Lucía',
      phone: '34600111222',
      lastInboundAt: new Date(),
      messages: [
        {
          direction: 'INBOUND',
          author: 'CUSTOMER',
          kind: 'text',
          text: 'Hola, calzo un 38',
          content: { kind: 'text', text: 'Hola, calzo un 38' },
          providerMessageId: 'p-1',
        },
      ],
    }));
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', acceptDownloads: true });
    cspViolations = await recordCspViolations(context);
    page = await context.newPage();
    await signInToConsole(page, platform.url, owner);
  });

  afterAll(async () => {
    await browser?.close();
    await started?.close();
  });

  it('defines fields on the contacts page', async () => {
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.waitForURL('**/contacts');
    const define = async (label: string, key: string, type: string, extra: { options?: string; description?: string } = {}) => {
      await page.getByTestId('field-label').fill(label);
      await page.getByTestId('field-key').fill(key);
      await page.getByTestId('field-type').selectOption(type);
      if (extra.options) await page.getByTestId('field-options').fill(extra.options);
      if (extra.description) await page.getByTestId('field-description').fill(extra.description);
      await page.getByTestId('add-field').click();
      await page.getByTestId('contact-field-list').getByText(key, { exact: true }).waitFor();
    };
    await define('City', 'city', 'TEXT', { description: 'Where the customer lives' });
    await define('Shoe size', 'shoe_size', 'NUMBER');
    await define('Width', 'width', 'ENUM', { options: 'Narrow, Regular, Wide' });
    await expect(page.getByTestId('contact-field-list').locator('li').allInnerTexts()).resolves.toEqual([
      expect.stringContaining('City'),
      expect.stringContaining('Shoe size'),
      expect.stringContaining('Narrow, Regular, Wide'),
    ]);
    // A taken key is refused with the API's reason.
    await page.getByTestId('field-label').fill('Town');
    await page.getByTestId('field-key').fill('city');
    await page.getByTestId('add-field').click();
    await page.getByRole('alert').filter({ hasText: 'already exists' }).waitFor();
    // Edited in place: the label and the description the agent reads.
    await page.getByTestId('edit-field-button-city').click();
    await page.getByTestId('edit-field-city').getByTestId('edit-description').fill('The town the customer lives in');
    await page.getByTestId('edit-field-city').getByTestId('edit-save').click();
    await page.getByTestId('contact-field-list').getByText('The town the customer lives in').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it("edits a contact's values in the inbox contact panel, shows the API's reason for a bad value, and keeps them after a reload", async () => {
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByTestId('conversation').filter({ hasText: 'Lucía' }).click();
    await page.getByTestId('contact-details-toggle').click();
    const panel = page.getByTestId('contact-fields');
    await panel.getByTestId('contact-field-city').fill('Madrid');
    await panel.getByTestId('contact-field-shoe_size').fill('38 y medio');
    await panel.getByTestId('contact-field-width').selectOption('Wide');
    await panel.getByTestId('contact-fields-save').click();
    await panel.getByRole('alert').filter({ hasText: 'must be a number' }).waitFor();

    await panel.getByTestId('contact-field-shoe_size').fill('38,5');
    await panel.getByTestId('contact-fields-save').click();
    await panel.getByTestId('contact-fields-saved').waitFor();
    await expect(panel.getByTestId('contact-field-shoe_size').inputValue()).resolves.toBe('38.5');
    await screenshot(page, 'contact-fields-1280');

    await page.reload();
    await page.getByTestId('conversation').filter({ hasText: 'Lucía' }).click();
    await page.getByTestId('contact-details-toggle').click();
    await expect(panel.getByTestId('contact-field-city').inputValue()).resolves.toBe('Madrid');
    await expect(panel.getByTestId('contact-field-width').inputValue()).resolves.toBe('Wide');
    await expect(panel.getByText('Edited by an operator').count()).resolves.toBe(3);

    const token = await accessTokenOf(started!.platform.url, owner);
    // A value saved elsewhere (another operator, or the agent) shows up in the open panel through live updates.
    await callApi(started!.platform.url, token, 'PUT', `/api/contacts/${contactId}/fields`, { values: { city: 'Barcelona' } });
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>('[data-testid="contact-field-city"]')?.value === 'Barcelona');
    await callApi(started!.platform.url, token, 'PUT', `/api/contacts/${contactId}/fields`, { values: { city: 'Madrid' } });
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>('[data-testid="contact-field-city"]')?.value === 'Madrid');
    const stored = await callApi(started!.platform.url, token, 'GET', `/api/contacts/${contactId}/fields`);
    expect((stored.body['items'] as Array<{ key: string; value: unknown }>).map((item) => [item.key, item.value])).toEqual([
      ['city', 'Madrid'],
      ['shoe_size', 38.5],
      ['width', 'Wide'],
    ]);
  });

  it('filters the contacts list by a field and exports it as CSV', async () => {
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.getByTestId('contacts-filter-field').selectOption('city');
    await page.getByTestId('contacts-filter-value').fill('madr');
    await page.getByTestId('contacts-apply').click();
    await page.getByTestId('contacts-table').locator('tbody tr').filter({ hasText: 'Madrid' }).waitFor();
    await expect(page.getByTestId('contacts-table').locator('tbody tr').allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/Lucía\s+34600111222\s+Madrid\s+38\.5\s+Wide/),
    ]);
    await screenshot(page, 'contacts-1280');
    await page.getByTestId('contacts-filter-value').fill('Sevilla');
    await page.getByTestId('contacts-apply').click();
    await page.getByText('No contact matches.').waitFor();

    await page.getByTestId('contacts-filter-value').fill('');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('contacts-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^contacts-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFFid,name,phone,whatsapp_id,created_at,city,shoe_size,width\r\n')).toBe(true);
    expect(csv).toContain(`${contactId},Lucía,34600111222,,`);
    expect(csv).toContain(',Madrid,38.5,Wide\r\n');

    // An option some contact has cannot be removed; the API's reason is shown.
    await page.getByTestId('edit-field-button-width').click();
    await page.getByTestId('edit-field-width').getByTestId('edit-options').fill('Narrow, Regular');
    await page.getByTestId('edit-field-width').getByTestId('edit-save').click();
    await page.getByRole('alert').filter({ hasText: 'Contacts still have "Wide"' }).waitFor();
    expect(cspViolations).toEqual([]);
  });
});
