import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../database.ts';
import { migrateDatabase } from '../migrations/migrate-database.ts';
import { openDatabase } from '../open-database.ts';
import { createTestDatabase } from '../../testing/create-test-database.ts';
import { createAppointmentBook, type AppointmentBook } from './appointment-book.ts';

const timeZone = 'Europe/Madrid';
// Monday 2026-06-01 in Madrid (+02:00); the clock stands a week earlier.
const today = new Date('2026-05-25T08:00:00Z');
const at = (local: string) => new Date(`${local}:00+02:00`);

async function seedBusiness(database: Database, name: string) {
  const { prisma } = database;
  const business = await prisma.business.create({ data: { name, timezone: timeZone, objective: 'APPOINTMENTS' } });
  const contact = await prisma.contact.create({ data: { businessId: business.id, phone: `+3460000${Math.floor(Math.random() * 10_000)}` } });
  const service = await prisma.bookableService.create({ data: { businessId: business.id, name: 'Corte', durationMinutes: 60 } });
  await prisma.availabilityRule.createMany({
    data: [1, 2, 3, 4, 5].flatMap((weekday) => [
      { businessId: business.id, weekday, startMinute: 9 * 60, endMinute: 13 * 60 },
      { businessId: business.id, weekday, startMinute: 16 * 60, endMinute: 20 * 60 },
    ]),
  });
  return { businessId: business.id, contactId: contact.id, serviceId: service.id };
}

describe.each([
  [
    'pglite',
    async () => {
      const database = await openDatabase();
      await migrateDatabase(database);
      return { database, contended: database, dispose: () => database.close() };
    },
  ],
  [
    'postgres',
    async () => {
      const database = await createTestDatabase();
      // Its own pool wide enough that the attempts really race on separate connections.
      const contended = await openDatabase({ url: database.url, poolSize: 25 });
      return { database: database as Database, contended, dispose: async () => (await contended.close(), await database.drop()) };
    },
  ],
] as const)('appointment book (%s)', (_kind, open) => {
  let opened: Awaited<ReturnType<typeof open>>;
  let book: AppointmentBook;
  let clock = today;
  beforeAll(async () => {
    opened = await open();
    book = createAppointmentBook(opened.database.prisma, () => clock);
  });
  afterAll(() => opened?.dispose());

  it('lets exactly one of 50 concurrent bookings of one slot through; the others hear of a conflict with alternatives', async () => {
    const shop = await seedBusiness(opened.database, 'Peluquería');
    const contacts = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        opened.database.prisma.contact.create({ data: { businessId: shop.businessId, phone: `+34611${String(index).padStart(6, '0')}` } }),
      ),
    );
    const racing = createAppointmentBook(opened.contended.prisma, () => clock);
    const results = await Promise.all(
      contacts.map((contact) =>
        racing.book({ businessId: shop.businessId, contactId: contact.id, serviceId: shop.serviceId, startsAt: at('2026-06-01T10:00') }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    const refused = results.filter((result) => !result.ok);
    expect(refused).toHaveLength(49);
    for (const result of refused) {
      expect(result.failure.code).toBe('CONFLICT');
      if (result.failure.code !== 'CONFLICT') continue;
      expect(result.failure.alternatives.length).toBeGreaterThan(0);
      expect(result.failure.alternatives.map((slot) => slot.start.toISOString())).not.toContain(at('2026-06-01T10:00').toISOString());
    }
    const stored = await opened.database.prisma.appointment.count({ where: { businessId: shop.businessId } });
    expect(stored).toBe(1);
  });

  it('refuses the past, outside opening hours and blocked time, writing nothing', async () => {
    const shop = await seedBusiness(opened.database, 'Clínica');
    await opened.database.prisma.blockedRange.create({
      data: { businessId: shop.businessId, startsAt: at('2026-06-02T00:00'), endsAt: at('2026-06-03T00:00') },
    });
    const attempt = (startsAt: Date) => book.book({ ...shop, startsAt });
    expect(await attempt(at('2026-05-20T10:00'))).toMatchObject({ ok: false, failure: { code: 'IN_THE_PAST' } });
    expect(await attempt(at('2026-06-01T12:30'))).toMatchObject({ ok: false, failure: { code: 'OUTSIDE_AVAILABILITY' } });
    expect(await attempt(at('2026-06-06T10:00'))).toMatchObject({ ok: false, failure: { code: 'OUTSIDE_AVAILABILITY' } });
    expect(await attempt(at('2026-06-02T10:00'))).toMatchObject({ ok: false, failure: { code: 'BLOCKED' } });
    expect(await opened.database.prisma.appointment.count({ where: { businessId: shop.businessId } })).toBe(0);
  });

  it('schedules reminders 24 h and 1 h before, moves them with the appointment and drops them on cancellation', async () => {
    const shop = await seedBusiness(opened.database, 'Estética');
    const booked = await book.book({ ...shop, startsAt: at('2026-06-03T10:00') });
    if (!booked.ok) throw new Error(booked.failure.message);
    const reminders = () =>
      opened.database.prisma.appointmentReminder
        .findMany({ where: { appointmentId: booked.value.id }, orderBy: { dueAt: 'asc' } })
        .then((rows) => rows.map((row) => [row.minutesBefore, row.dueAt.toISOString()]));
    expect(await reminders()).toEqual([
      [1440, at('2026-06-02T10:00').toISOString()],
      [60, at('2026-06-03T09:00').toISOString()],
    ]);

    const moved = await book.reschedule({ businessId: shop.businessId, appointmentId: booked.value.id, startsAt: at('2026-06-04T17:00') });
    expect(moved).toMatchObject({ ok: true });
    expect(await reminders()).toEqual([
      [1440, at('2026-06-03T17:00').toISOString()],
      [60, at('2026-06-04T16:00').toISOString()],
    ]);

    // A business that wants a reminder 2 hours before only.
    await opened.database.prisma.bookingSettings.create({ data: { businessId: shop.businessId, reminderMinutesBefore: [120] } });
    await book.reschedule({ businessId: shop.businessId, appointmentId: booked.value.id, startsAt: at('2026-06-04T18:00') });
    expect(await reminders()).toEqual([[120, at('2026-06-04T16:00').toISOString()]]);

    expect(await book.changeStatus({ businessId: shop.businessId, appointmentId: booked.value.id, status: 'CANCELLED' })).toMatchObject({ ok: true });
    expect(await reminders()).toEqual([]);
    // The cancelled time is free again.
    expect(await book.book({ ...shop, startsAt: at('2026-06-04T18:00') })).toMatchObject({ ok: true });
    // And a cancelled appointment stays cancelled.
    expect(await book.changeStatus({ businessId: shop.businessId, appointmentId: booked.value.id, status: 'CONFIRMED' })).toMatchObject({
      ok: false,
      failure: { code: 'ILLEGAL_TRANSITION', status: 'CANCELLED' },
    });
  });

  it('answers a repeated call with the same idempotency key with the first appointment', async () => {
    const shop = await seedBusiness(opened.database, 'Dentista');
    const first = await book.book({ ...shop, startsAt: at('2026-06-05T09:00'), idempotencyKey: `${shop.businessId}:0:0` });
    const again = await book.book({ ...shop, startsAt: at('2026-06-05T09:00'), idempotencyKey: `${shop.businessId}:0:0` });
    expect(first.ok && again.ok && again.replayed && again.value.id === first.value.id).toBe(true);
    expect(await opened.database.prisma.appointment.count({ where: { businessId: shop.businessId } })).toBe(1);
  });

  it("never books another business's service or contact, nor moves another business's appointment", async () => {
    const mine = await seedBusiness(opened.database, 'Mía');
    const theirs = await seedBusiness(opened.database, 'Suya');
    expect(await book.book({ ...mine, serviceId: theirs.serviceId, startsAt: at('2026-06-01T09:00') })).toMatchObject({
      failure: { code: 'NOT_FOUND' },
    });
    expect(await book.book({ ...mine, contactId: theirs.contactId, startsAt: at('2026-06-01T09:00') })).toMatchObject({
      failure: { code: 'NOT_FOUND' },
    });
    const booked = await book.book({ ...theirs, startsAt: at('2026-06-01T09:00') });
    if (!booked.ok) throw new Error(booked.failure.message);
    expect(await book.reschedule({ businessId: mine.businessId, appointmentId: booked.value.id, startsAt: at('2026-06-01T10:00') })).toMatchObject({
      failure: { code: 'NOT_FOUND' },
    });
    expect(await book.changeStatus({ businessId: mine.businessId, appointmentId: booked.value.id, status: 'CANCELLED' })).toMatchObject({
      failure: { code: 'NOT_FOUND' },
    });
    // The same time in another business is no conflict: the constraint is per business.
    expect(await book.book({ ...mine, startsAt: at('2026-06-01T09:00') })).toMatchObject({ ok: true });
  });

  it('lists free slots of the day without the booked hour', async () => {
    const shop = await seedBusiness(opened.database, 'Fisio');
    await book.book({ ...shop, startsAt: at('2026-06-01T10:00') });
    clock = at('2026-06-01T09:15');
    const found = await book.freeSlots({ businessId: shop.businessId, serviceId: shop.serviceId, from: '2026-06-01', to: '2026-06-01' });
    clock = today;
    expect(found?.slots.map((slot) => slot.start.toISOString())).toEqual(
      ['11:00', '11:30', '12:00', '16:00', '16:30', '17:00', '17:30', '18:00', '18:30', '19:00'].map((time) =>
        at(`2026-06-01T${time}`).toISOString(),
      ),
    );
  });
});
