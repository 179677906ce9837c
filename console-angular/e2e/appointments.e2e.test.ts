import type { TestDatabase } from '@app/db/testing';
import { addDays, formatZoned, resolveLocal, toLocal } from '@app/domain';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformProcess } from '../../services/standalone/test/platform-process.ts';
import { launchChromium, screenshot, seriousAccessibilityViolations } from './browser.ts';
import { registerVerifiedOwner } from './inbox-seed.ts';
import { accessTokenOf, callApi, signInToConsole, startPlatformOnFreshDatabase, type PlatformOnFreshDatabase } from './platform-session.ts';

const timeZone = 'Europe/Madrid';
const owner = { email: 'lucia@peluqueria.example', password: 'correct horse battery staple', business: 'Peluquería Lucía' };

interface Appointment {
  id: string;
  startsAt: string;
  status: string;
  contact: { name: string | null };
}

describe('the appointment calendar: booking and moving by drag, in Chromium', () => {
  let started: PlatformOnFreshDatabase | undefined;
  let database: TestDatabase;
  let platform: PlatformProcess;
  let browser: Browser;
  let page: Page;
  let accessToken: string;
  let businessId: string;
  /** Tomorrow in Madrid, the day everything is booked on. */
  let day: string;

  const api = (method: string, path: string, body?: unknown) => callApi(platform.url, accessToken, method, path, body);
  const appointments = async (): Promise<Appointment[]> => {
    const from = new Date(resolveLocal(day, 0, timeZone)).toISOString();
    const to = new Date(resolveLocal(addDays(day, 1), 0, timeZone)).toISOString();
    const listed = await api('GET', `/api/appointments?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    return listed.body['items'] as Appointment[];
  };
  const at = (clock: string) => formatZoned(resolveLocal(day, Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3)), timeZone), timeZone);

  beforeAll(async () => {
    started = await startPlatformOnFreshDatabase({ PASSWORD_HASH_MEMORY_KIB: '1024', PASSWORD_HASH_PASSES: '1' });
    ({ database, platform } = started);
    ({ businessId } = await registerVerifiedOwner(platform.url, database.prisma, owner));
    await database.prisma.business.update({ where: { id: businessId }, data: { objective: 'APPOINTMENTS', timezone: timeZone } });
    accessToken = await accessTokenOf(platform.url, owner);
    day = addDays(toLocal(new Date(), timeZone).date, 1);

    // Two customers who have written to the business, a service and every day open 09:00–20:00.
    const instance = await database.prisma.instance.create({ data: { businessId, provider: 'SANDBOX', name: 'Sandbox' } });
    for (const [name, phone] of [
      ['Ana Torres', '+34600000001'],
      ['Bruno Díaz', '+34600000002'],
    ] as const) {
      const contact = await database.prisma.contact.create({ data: { businessId, name, phone } });
      await database.prisma.conversation.create({ data: { businessId, instanceId: instance.id, contactId: contact.id, lastMessageAt: new Date() } });
    }
    expect((await api('POST', '/api/booking/services', { name: 'Corte', durationMinutes: 60 })).status).toBe(201);
    const weekly = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '09:00', end: '20:00' }));
    expect((await api('PUT', '/api/booking/availability', { weekly })).status).toBe(200);

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    await signInToConsole(page, platform.url, owner);
  });
  afterAll(async () => {
    await browser?.close();
    await started?.close();
  });

  it('books an appointment from an empty slot and moves it by dragging it to another time', async () => {
    await page.getByRole('link', { name: 'Appointments' }).click();
    await page.waitForURL('**/appointments');
    // The calendar opens on this week; tomorrow may be next week's Monday.
    if (toLocal(new Date(), timeZone).weekday === 0) await page.getByRole('button', { name: 'Next' }).click();

    await page.getByTestId(`slot-${day}-10:00`).click();
    const dialog = page.getByTestId('appointment-dialog');
    await dialog.getByTestId('appointment-contact').selectOption({ label: 'Ana Torres' });
    await dialog.getByTestId('appointment-save').click();
    await expect
      .poll(async () => (await appointments()).map((item) => [item.contact.name, item.startsAt]))
      .toEqual([['Ana Torres', new Date(at('10:00')).toISOString()]]);
    const block = page.getByTestId('appointment').filter({ hasText: 'Ana Torres' });
    await block.waitFor();
    await screenshot(page, 'appointments-1280');

    await block.dragTo(page.getByTestId(`slot-${day}-12:30`));
    await expect.poll(async () => (await appointments())[0]?.startsAt).toBe(new Date(at('12:30')).toISOString());
    await page.getByRole('status').filter({ hasText: 'Moved to 12:30' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('shows a booking made elsewhere live, refuses a drop onto its time naming free times nearby; status actions follow the table', async () => {
    const [ana] = await appointments();
    const bruno = (await database.prisma.contact.findFirstOrThrow({ where: { businessId, name: 'Bruno Díaz' } })).id;
    const service = ((await api('GET', '/api/booking/services')).body['items'] as { id: string }[])[0]!.id;
    expect((await api('POST', '/api/appointments', { contactId: bruno, serviceId: service, startsAt: at('16:00') })).status).toBe(201);
    // Booked beside the console (as the agent does): the open calendar shows it without a reload.
    await page.getByTestId('appointment').filter({ hasText: 'Bruno Díaz' }).waitFor({ timeout: 10_000 });

    // Dropped onto Bruno's appointment: the time it starts at.
    await page
      .getByTestId('appointment')
      .filter({ hasText: 'Ana Torres' })
      .dragTo(page.getByTestId('appointment').filter({ hasText: 'Bruno Díaz' }));
    const problem = page.getByTestId('calendar-problem');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('That time is already booked. Free nearby:');
    expect(await problem.textContent()).toContain('17:00');
    expect((await appointments()).find((item) => item.id === ana!.id)?.startsAt).toBe(new Date(at('12:30')).toISOString());

    await page.getByTestId('appointment').filter({ hasText: 'Ana Torres' }).click();
    await page.getByTestId('status-CANCELLED').click();
    await expect.poll(async () => (await appointments()).find((item) => item.id === ana!.id)?.status).toBe('CANCELLED');
  });

  it('speaks Spanish and shows one day on a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'ES', exact: true }).click();
    await page.getByRole('heading', { name: 'Citas' }).waitFor();
    expect(await page.getByTestId('calendar').getAttribute('data-view')).toBe('day');
    expect(await page.getByTestId('new-appointment').textContent()).toContain('Nueva cita');
    expect(await page.locator('[data-day]').count()).toBe(1);
    await screenshot(page, 'appointments-390');
  });
});
