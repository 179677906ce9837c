import type { AgentTool, ToolCallContext, ToolOutcome, ToolProvider } from '@app/domain';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppointmentToolProvider } from './appointment-tools.ts';

// Mexico City keeps -06:00 all year. The clock stands on Monday 2026-06-01 at 08:00 local.
const now = new Date('2026-06-01T14:00:00Z');

describe('appointment tools', () => {
  let database: TestDatabase;
  let provider: ToolProvider;
  let businessId: string;
  let ana: string;
  let luis: string;
  let corteId: string;
  let calls = 0;

  const context = (contactId: string, idempotencyKey = `buffer-${++calls}:0:0`): ToolCallContext => ({
    businessId,
    instanceId: '00000000-0000-0000-0000-000000000000',
    conversationId: '00000000-0000-0000-0000-000000000000',
    contactId,
    provider: 'SANDBOX',
    idempotencyKey,
    signal: new AbortController().signal,
  });
  async function toolsFor(contactId: string): Promise<Record<string, AgentTool> & { notes: string[] }> {
    const set = await provider.load({ businessId, contactId, conversationId: '00000000-0000-0000-0000-000000000000' });
    return Object.assign(Object.fromEntries(set.tools.map((tool) => [tool.name, tool])), { notes: set.promptNotes ?? [] });
  }
  const okResult = (outcome: ToolOutcome) => {
    if (!outcome.ok) throw new Error(outcome.error);
    return outcome.result as Record<string, unknown>;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const { prisma } = database;
    provider = createAppointmentToolProvider({ prisma, clock: { now: () => now } });
    const business = await prisma.business.create({ data: { name: 'Barbería Centro', timezone: 'America/Mexico_City', objective: 'APPOINTMENTS' } });
    businessId = business.id;
    ana = (await prisma.contact.create({ data: { businessId, phone: '+5215500000001', name: 'Ana' } })).id;
    luis = (await prisma.contact.create({ data: { businessId, phone: '+5215500000002', name: 'Luis' } })).id;
    corteId = (await prisma.bookableService.create({ data: { businessId, name: 'Corte', durationMinutes: 60, priceMinor: 25000, currency: 'MXN' } }))
      .id;
    await prisma.availabilityRule.createMany({
      data: [1, 2, 3, 4, 5].flatMap((weekday) => [
        { businessId, weekday, startMinute: 10 * 60, endMinute: 14 * 60 },
        { businessId, weekday, startMinute: 16 * 60, endMinute: 19 * 60 },
      ]),
    });
  });
  afterAll(() => database?.drop());

  it('offers nothing to a business that sells rather than books', async () => {
    const shop = await database.prisma.business.create({ data: { name: 'Tienda', objective: 'SALES' } });
    expect(await provider.load({ businessId: shop.id, contactId: ana, conversationId: ana })).toEqual({ tools: [] });
  });

  it('tells the model the zone, today, the services and the customer’s appointments', async () => {
    const tools = await toolsFor(ana);
    expect(Object.keys(tools).filter((name) => name !== 'notes')).toEqual([
      'consultar_disponibilidad',
      'agendar_cita',
      'cancelar_cita',
      'reprogramar_cita',
    ]);
    expect(tools.agendar_cita!.sideEffects).toBe(true);
    expect(tools.consultar_disponibilidad!.sideEffects).toBe(false);
    expect(tools.notes.join('\n')).toContain('times are in America/Mexico_City. Today is Monday 2026-06-01; tomorrow is 2026-06-02');
    expect(tools.notes.join('\n')).toContain(`- Corte (id ${corteId}, 60 min, 250.00 MXN)`);
  });

  it('checks availability, books, and gives a second customer asking for the same slot free alternatives', async () => {
    const anaTools = await toolsFor(ana);
    // "mañana por la tarde" → the model asks for tomorrow and picks the afternoon.
    const free = okResult(await anaTools.consultar_disponibilidad!.run({ service: 'corte', date_from: '2026-06-02' }, context(ana)));
    expect(free).toMatchObject({ timezone: 'America/Mexico_City', service: { id: corteId, name: 'Corte' } });
    const starts = (free.slots as { start: string }[]).map((slot) => slot.start);
    expect(starts).toContain('2026-06-02T16:00:00-06:00');
    expect(starts).not.toContain('2026-06-02T13:30:00-06:00');

    const booked = okResult(
      await anaTools.agendar_cita!.run({ service: corteId, start: '2026-06-02T16:00', notes: 'Degradado' }, context(ana, 'buffer-a:0:1')),
    );
    expect(booked).toMatchObject({
      appointment: { service: 'Corte', start: '2026-06-02T16:00:00-06:00', end: '2026-06-02T17:00:00-06:00', status: 'PENDING' },
    });

    // The same call again (a retried buffer): the same appointment, not a second one.
    const again = okResult(await anaTools.agendar_cita!.run({ service: corteId, start: '2026-06-02T16:00' }, context(ana, 'buffer-a:0:1')));
    expect((again.appointment as { id: string }).id).toBe((booked.appointment as { id: string }).id);
    expect(await database.prisma.appointment.count({ where: { businessId } })).toBe(1);

    const luisTools = await toolsFor(luis);
    const taken = await luisTools.agendar_cita!.run({ service: 'Corte', start: '2026-06-02T16:00' }, context(luis));
    expect(taken).toEqual({
      ok: false,
      error: expect.stringContaining('That time is already booked. Offer the customer one of these free times instead:'),
    });
    expect(taken.ok ? '' : taken.error).toContain('2026-06-02T17:00:00-06:00');
    expect(await database.prisma.appointment.count({ where: { businessId } })).toBe(1);
  });

  it('refuses past, closed or impossible times with a reason the model can repeat', async () => {
    const { agendar_cita: book } = await toolsFor(luis);
    expect(await book!.run({ service: 'Corte', start: '2026-05-29T10:00' }, context(luis))).toMatchObject({
      ok: false,
      error: 'That time has already passed.',
    });
    expect(await book!.run({ service: 'Corte', start: '2026-06-06T10:00' }, context(luis))).toMatchObject({
      ok: false,
      error: expect.stringContaining('outside'),
    });
    expect(await book!.run({ service: 'Manicura', start: '2026-06-02T10:00' }, context(luis))).toMatchObject({
      ok: false,
      error: expect.stringContaining('Unknown service'),
    });
    expect(await book!.run({ service: 'Corte', start: 'mañana a las 5' }, context(luis))).toMatchObject({
      ok: false,
      error: expect.stringContaining('not a date'),
    });
  });

  it('cancels and moves only the customer’s own appointments', async () => {
    const anaTools = await toolsFor(ana);
    expect(anaTools.notes.join('\n')).toMatch(
      /This customer's upcoming appointments:\n- id [0-9a-f-]+: Corte at 2026-06-02T16:00:00-06:00 \(PENDING\)/,
    );
    const anaAppointment = await database.prisma.appointment.findFirstOrThrow({ where: { businessId, contactId: ana } });

    const luisTools = await toolsFor(luis);
    expect(await luisTools.cancelar_cita!.run({ appointment_id: anaAppointment.id }, context(luis))).toMatchObject({
      ok: false,
      error: 'Appointment not found.',
    });
    expect(await luisTools.reprogramar_cita!.run({ appointment_id: anaAppointment.id, start: '2026-06-03T10:00' }, context(luis))).toMatchObject({
      ok: false,
      error: 'Appointment not found.',
    });

    const moved = okResult(await anaTools.reprogramar_cita!.run({ appointment_id: anaAppointment.id, start: '2026-06-03T10:00' }, context(ana)));
    expect(moved).toMatchObject({ appointment: { start: '2026-06-03T10:00:00-06:00' } });
    const reminders = await database.prisma.appointmentReminder.findMany({ where: { appointmentId: anaAppointment.id }, orderBy: { dueAt: 'asc' } });
    expect(reminders.map((row) => row.dueAt.toISOString())).toEqual(['2026-06-02T16:00:00.000Z', '2026-06-03T15:00:00.000Z']);

    const cancelled = okResult(await anaTools.cancelar_cita!.run({ appointment_id: anaAppointment.id }, context(ana)));
    expect(cancelled).toMatchObject({ appointment: { status: 'CANCELLED' } });
    expect(await database.prisma.appointmentReminder.count({ where: { appointmentId: anaAppointment.id } })).toBe(0);
    // Luis can now have the time Ana gave up.
    expect((await luisTools.agendar_cita!.run({ service: 'Corte', start: '2026-06-03T10:00' }, context(luis))).ok).toBe(true);
  });
});
