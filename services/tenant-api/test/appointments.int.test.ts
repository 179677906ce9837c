import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointmentViewSchema, availabilityViewSchema, serviceViewSchema, slotListSchema } from '../src/appointments/appointments.schema.ts';
import { expectError, signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

// Madrid, summer (+02:00). The clock stands on Monday 2026-06-01 at 08:00 local.
const at = (local: string) => `${local}:00+02:00`;
const week = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, start: '09:00', end: '13:00' },
  { weekday, start: '16:00', end: '20:00' },
]);

describe('tenant API: appointments', () => {
  let harness: TenantApiHarness;
  let salon: SignedInTenant;
  let other: SignedInTenant;
  let serviceId: string;
  let contactId: string;
  let otherContactId: string;
  let otherServiceId: string;

  const api = (tenant: SignedInTenant) => ({
    get: (path: string) => request(harness.app).get(`/api${path}`).set('authorization', tenant.bearer),
    post: (path: string, body: object) => request(harness.app).post(`/api${path}`).set('authorization', tenant.bearer).send(body),
    put: (path: string, body: object) => request(harness.app).put(`/api${path}`).set('authorization', tenant.bearer).send(body),
    patch: (path: string, body: object) => request(harness.app).patch(`/api${path}`).set('authorization', tenant.bearer).send(body),
    delete: (path: string) => request(harness.app).delete(`/api${path}`).set('authorization', tenant.bearer),
  });
  const appointmentCount = (businessId: string) => harness.database.prisma.appointment.count({ where: { businessId } });

  beforeAll(async () => {
    harness = await startTenantApiHarness();
    harness.clock.set(new Date(at('2026-06-01T08:00')));
    salon = await signUp(harness, { businessName: 'Peluquería Luna' });
    other = await signUp(harness, { businessName: 'Clínica Sol' });
    for (const tenant of [salon, other]) {
      await api(tenant).put('/agent', { timezone: 'Europe/Madrid' }).expect(200);
      await api(tenant).put('/booking/availability', { weekly: week }).expect(200);
    }
    serviceId = serviceViewSchema.parse((await api(salon).post('/booking/services', { name: 'Corte', durationMinutes: 60 }).expect(201)).body).id;
    otherServiceId = (await api(other).post('/booking/services', { name: 'Limpieza', durationMinutes: 30 }).expect(201)).body.id;
    contactId = (await harness.database.prisma.contact.create({ data: { businessId: salon.businessId, phone: '+34600111222', name: 'Ana' } })).id;
    otherContactId = (await harness.database.prisma.contact.create({ data: { businessId: other.businessId, phone: '+34600999888' } })).id;
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('keeps services, with price in minor units, unique names and an explicit way to retire one', async () => {
    const created = serviceViewSchema.parse(
      (
        await api(salon)
          .post('/booking/services', { name: 'Tinte', durationMinutes: 90, price: { amountMinor: 4500, currency: 'EUR' } })
          .expect(201)
      ).body,
    );
    expect(created).toMatchObject({ price: { amountMinor: 4500, currency: 'EUR' }, active: true });
    expectError((await api(salon).post('/booking/services', { name: 'Tinte', durationMinutes: 30 }).expect(409)).body, 'CONFLICT');
    expectError((await api(salon).post('/booking/services', { name: 'X', durationMinutes: -5 }).expect(400)).body, 'VALIDATION_FAILED');
    await api(salon).put(`/booking/services/${created.id}`, { name: 'Tinte', durationMinutes: 120, active: false }).expect(200);
    const list = (await api(salon).get('/booking/services').expect(200)).body.items;
    expect(list.map((service: { name: string; active: boolean }) => [service.name, service.active])).toEqual([
      ['Corte', true],
      ['Tinte', false],
    ]);
    await api(salon).delete(`/booking/services/${created.id}`).expect(204);
  });

  it('edits the week’s opening ranges and refuses overlapping ones without changing anything', async () => {
    const view = availabilityViewSchema.parse((await api(salon).get('/booking/availability').expect(200)).body);
    expect(view).toMatchObject({ timezone: 'Europe/Madrid', slotStepMinutes: 30, reminderMinutesBefore: [1440, 60] });
    expect(view.weekly).toHaveLength(10);
    const bad = await api(salon)
      .put('/booking/availability', { weekly: [...week, { weekday: 1, start: '12:00', end: '14:00' }] })
      .expect(400);
    expect(expectError(bad.body, 'VALIDATION_FAILED').details).toEqual([{ path: 'body.weekly', message: 'on weekday 1 two ranges overlap' }]);
    expectError(
      (
        await api(salon)
          .put('/booking/availability', { weekly: [{ weekday: 1, start: '9am', end: '13:00' }] })
          .expect(400)
      ).body,
      'VALIDATION_FAILED',
    );
    expect((await api(salon).get('/booking/availability').expect(200)).body.weekly).toHaveLength(10);
  });

  it('offers free slots, books one, answers a second booking of the same time with 409 and alternatives', async () => {
    const slots = slotListSchema.parse((await api(salon).get(`/booking/slots?serviceId=${serviceId}&from=2026-06-02`).expect(200)).body);
    expect(slots.slots[0]).toEqual({ start: '2026-06-02T07:00:00.000Z', end: '2026-06-02T08:00:00.000Z', local: '2026-06-02T09:00:00+02:00' });

    const booked = appointmentViewSchema.parse(
      (
        await api(salon)
          .post('/appointments', { contactId, serviceId, startsAt: at('2026-06-02T10:00'), notes: 'Primera vez' })
          .expect(201)
      ).body,
    );
    expect(booked).toMatchObject({ status: 'CONFIRMED', endsAt: '2026-06-02T09:00:00.000Z', contact: { name: 'Ana' }, service: { name: 'Corte' } });

    const clash = await api(salon)
      .post('/appointments', { contactId, serviceId, startsAt: at('2026-06-02T10:30') })
      .expect(409);
    const details = expectError(clash.body, 'CONFLICT').details as { alternatives: { local: string }[] };
    expect(details.alternatives.map((slot) => slot.local)).toContain('2026-06-02T11:00:00+02:00');
    expect(details.alternatives.map((slot) => slot.local)).not.toContain('2026-06-02T10:00:00+02:00');

    const after = slotListSchema.parse((await api(salon).get(`/booking/slots?serviceId=${serviceId}&from=2026-06-02`).expect(200)).body);
    expect(after.slots.map((slot) => slot.local)).not.toContain('2026-06-02T10:00:00+02:00');
    const listed = (
      await api(salon)
        .get(`/appointments?from=${encodeURIComponent(at('2026-06-01T00:00'))}&to=${encodeURIComponent(at('2026-06-08T00:00'))}`)
        .expect(200)
    ).body.items;
    expect(listed.map((item: { id: string }) => item.id)).toEqual([booked.id]);
  });

  it('refuses past dates, times outside the opening ranges and closed days with 400, storing nothing', async () => {
    const before = await appointmentCount(salon.businessId);
    for (const startsAt of [at('2026-05-29T10:00'), at('2026-06-03T14:00'), at('2026-06-06T10:00')]) {
      expectError((await api(salon).post('/appointments', { contactId, serviceId, startsAt }).expect(400)).body, 'VALIDATION_FAILED');
    }
    await api(salon).post('/booking/blocked-ranges', { fromDate: '2026-06-24', reason: 'San Juan' }).expect(201);
    const closed = await api(salon)
      .post('/appointments', { contactId, serviceId, startsAt: at('2026-06-24T10:00') })
      .expect(400);
    expect(expectError(closed.body, 'VALIDATION_FAILED').details).toEqual([expect.objectContaining({ code: 'BLOCKED' })]);
    const blocked = (await api(salon).get('/booking/blocked-ranges').expect(200)).body.items;
    expect(blocked).toEqual([
      expect.objectContaining({ startsAt: '2026-06-23T22:00:00.000Z', endsAt: '2026-06-24T22:00:00.000Z', reason: 'San Juan' }),
    ]);
    expectError((await api(salon).post('/appointments', { contactId, serviceId, startsAt: 'tomorrow' }).expect(400)).body, 'VALIDATION_FAILED');
    expect(await appointmentCount(salon.businessId)).toBe(before);
  });

  it('moves an appointment, follows the status table and answers an illegal move with 409 and the current status', async () => {
    const booked = (
      await api(salon)
        .post('/appointments', { contactId, serviceId, startsAt: at('2026-06-03T16:00') })
        .expect(201)
    ).body;
    const moved = (
      await api(salon)
        .patch(`/appointments/${booked.id}`, { startsAt: at('2026-06-03T17:00') })
        .expect(200)
    ).body;
    expect(moved.startsAt).toBe('2026-06-03T15:00:00.000Z');
    const reminders = await harness.database.prisma.appointmentReminder.findMany({ where: { appointmentId: booked.id }, orderBy: { dueAt: 'asc' } });
    expect(reminders.map((row) => row.dueAt.toISOString())).toEqual(['2026-06-02T15:00:00.000Z', '2026-06-03T14:00:00.000Z']);

    expectError((await api(salon).post(`/appointments/${booked.id}/status`, { status: 'COMPLETED' }).expect(409)).body, 'CONFLICT');
    await api(salon).post(`/appointments/${booked.id}/status`, { status: 'CANCELLED' }).expect(200);
    const illegal = await api(salon).post(`/appointments/${booked.id}/status`, { status: 'CONFIRMED' }).expect(409);
    expect(expectError(illegal.body, 'CONFLICT').details).toMatchObject({ status: 'CANCELLED' });
    expectError(
      (
        await api(salon)
          .patch(`/appointments/${booked.id}`, { startsAt: at('2026-06-03T18:00') })
          .expect(409)
      ).body,
      'CONFLICT',
    );
    expectError((await api(salon).post(`/appointments/${booked.id}/status`, { status: 'DONE' }).expect(400)).body, 'VALIDATION_FAILED');
  });

  it("never shows or touches another business's services, contacts or appointments", async () => {
    const theirs = (
      await api(other)
        .post('/appointments', { contactId: otherContactId, serviceId: otherServiceId, startsAt: at('2026-06-04T09:00') })
        .expect(201)
    ).body;
    const mineBefore = await appointmentCount(salon.businessId);
    expectError(
      (
        await api(salon)
          .post('/appointments', { contactId: otherContactId, serviceId, startsAt: at('2026-06-04T09:00') })
          .expect(404)
      ).body,
      'NOT_FOUND',
    );
    expectError(
      (
        await api(salon)
          .post('/appointments', { contactId, serviceId: otherServiceId, startsAt: at('2026-06-04T09:00') })
          .expect(404)
      ).body,
      'NOT_FOUND',
    );
    expectError(
      (
        await api(salon)
          .patch(`/appointments/${theirs.id}`, { startsAt: at('2026-06-04T10:00') })
          .expect(404)
      ).body,
      'NOT_FOUND',
    );
    expectError((await api(salon).patch(`/appointments/${theirs.id}`, { notes: 'hola' }).expect(404)).body, 'NOT_FOUND');
    expectError((await api(salon).post(`/appointments/${theirs.id}/status`, { status: 'CANCELLED' }).expect(404)).body, 'NOT_FOUND');
    expectError((await api(salon).get(`/booking/slots?serviceId=${otherServiceId}&from=2026-06-04`).expect(404)).body, 'NOT_FOUND');
    await api(salon).put(`/booking/services/${otherServiceId}`, { name: 'Mía', durationMinutes: 10 }).expect(404);
    await api(salon).delete(`/booking/services/${otherServiceId}`).expect(404);
    const closed = (await api(other).post('/booking/blocked-ranges', { fromDate: '2026-06-10' }).expect(201)).body;
    await api(salon).delete(`/booking/blocked-ranges/${closed.id}`).expect(404);
    expect((await api(salon).get('/booking/blocked-ranges').expect(200)).body.items.map((item: { id: string }) => item.id)).not.toContain(closed.id);
    expect((await api(other).get('/booking/blocked-ranges').expect(200)).body.items.map((item: { id: string }) => item.id)).toContain(closed.id);
    // The other business's hours are untouched by this one's editor.
    await api(salon).put('/booking/availability', { weekly: week }).expect(200);
    expect((await api(other).get('/booking/availability').expect(200)).body.weekly).toHaveLength(10);
    const weekQuery = `from=${encodeURIComponent(at('2026-06-01T00:00'))}&to=${encodeURIComponent(at('2026-06-08T00:00'))}`;
    expect((await api(salon).get(`/appointments?${weekQuery}`).expect(200)).body.items.map((item: { id: string }) => item.id)).not.toContain(
      theirs.id,
    );
    expect(await appointmentCount(salon.businessId)).toBe(mineBefore);
    const untouched = await harness.database.prisma.appointment.findUniqueOrThrow({ where: { id: theirs.id } });
    expect(untouched).toMatchObject({ status: 'CONFIRMED', notes: null, startsAt: new Date(at('2026-06-04T09:00')) });
    // The same time in another business is not a conflict.
    await api(salon)
      .post('/appointments', { contactId, serviceId, startsAt: at('2026-06-04T09:00') })
      .expect(201);
  });

  it('shows the business objective read-only in /auth/me', async () => {
    expect((await api(salon).get('/auth/me').expect(200)).body.business.objective).toBe('SALES');
  });
});
