import { createAppointmentBook, type AppointmentRecord, type BookingFailure, type BookingResult } from '@app/db';
import { formatZoned, slotSearchRange, type Slot } from '@app/domain';
import { AppError } from '@app/runtime/service';
import type { Router } from 'express';
import type { ApiServices } from '../api-services.ts';
import { tenantOf } from '../http/tenant-context.ts';
import { parseInput, resourceId } from '../http/validate.ts';
import {
  appointmentListQuerySchema,
  appointmentStatusBodySchema,
  availabilityBodySchema,
  blockedRangeBodySchema,
  blockedRangeQuerySchema,
  createAppointmentBodySchema,
  serviceBodySchema,
  slotsQuerySchema,
  updateAppointmentBodySchema,
  type AppointmentView,
} from './appointments.schema.ts';
import { toAppointmentView } from './appointment-view.ts';
import { createBookingSetupRepository } from './booking-setup.repository.ts';

const maxListDays = 62;

const slotView = (timeZone: string) => (slot: Slot) => ({
  start: slot.start.toISOString(),
  end: slot.end.toISOString(),
  local: formatZoned(slot.start, timeZone),
});

/** A refused booking as the API answers it: a taken time is 409 with the nearest free slots; a rule is 400. */
function failureError(failure: BookingFailure, timeZone: string): AppError {
  switch (failure.code) {
    case 'CONFLICT':
      return new AppError('CONFLICT', `${failure.message} Choose another time.`, { alternatives: failure.alternatives.map(slotView(timeZone)) });
    case 'IN_THE_PAST':
    case 'OUTSIDE_AVAILABILITY':
    case 'BLOCKED':
      return new AppError('VALIDATION_FAILED', failure.message, [{ path: 'body.startsAt', message: failure.message, code: failure.code }]);
    case 'NOT_FOUND':
      return new AppError('NOT_FOUND', failure.message);
    case 'ILLEGAL_TRANSITION':
    case 'NOT_STARTED':
      return new AppError('CONFLICT', failure.message, { status: failure.status, code: failure.code });
  }
}

export function registerAppointmentRoutes(router: Router, services: ApiServices): void {
  const { authenticate, prisma, clock } = services;
  const setup = createBookingSetupRepository(prisma);
  const book = createAppointmentBook(prisma, () => clock.now());

  async function settle(businessId: string, result: BookingResult<AppointmentRecord>): Promise<AppointmentView> {
    if (result.ok) return toAppointmentView(result.value);
    const settings = await book.settings(businessId);
    throw failureError(result.failure, settings?.timeZone ?? 'UTC');
  }

  // Services ---------------------------------------------------------------------------------------------------------
  router.get('/booking/services', authenticate, async (_request, response) => {
    response.json({ items: await setup.listServices(tenantOf(response)) });
  });
  router.post('/booking/services', authenticate, async (request, response) => {
    response.status(201).json(await setup.createService(tenantOf(response), parseInput(serviceBodySchema, request.body)));
  });
  router.put('/booking/services/:serviceId', authenticate, async (request, response) => {
    const id = resourceId(request.params.serviceId, 'Service');
    response.json(await setup.replaceService(tenantOf(response), id, parseInput(serviceBodySchema, request.body)));
  });
  router.delete('/booking/services/:serviceId', authenticate, async (request, response) => {
    await setup.removeService(tenantOf(response), resourceId(request.params.serviceId, 'Service'));
    response.status(204).end();
  });

  // Opening hours and closed days ------------------------------------------------------------------------------------
  router.get('/booking/availability', authenticate, async (_request, response) => {
    response.json(await setup.availability(tenantOf(response)));
  });
  router.put('/booking/availability', authenticate, async (request, response) => {
    response.json(await setup.replaceAvailability(tenantOf(response), parseInput(availabilityBodySchema, request.body)));
  });
  router.get('/booking/blocked-ranges', authenticate, async (request, response) => {
    const query = parseInput(blockedRangeQuerySchema, request.query, 'query');
    response.json({ items: await setup.listBlocked(tenantOf(response), query.from ? new Date(query.from) : clock.now()) });
  });
  router.post('/booking/blocked-ranges', authenticate, async (request, response) => {
    response.status(201).json(await setup.addBlocked(tenantOf(response), parseInput(blockedRangeBodySchema, request.body)));
  });
  router.delete('/booking/blocked-ranges/:blockedId', authenticate, async (request, response) => {
    await setup.removeBlocked(tenantOf(response), resourceId(request.params.blockedId, 'Blocked range'));
    response.status(204).end();
  });

  // Free slots -------------------------------------------------------------------------------------------------------
  router.get('/booking/slots', authenticate, async (request, response) => {
    const query = parseInput(slotsQuerySchema, request.query, 'query');
    const range = slotSearchRange(query.from, query.to);
    if (!range)
      throw new AppError('VALIDATION_FAILED', 'to must be on or after from, at most 31 days on.', [{ path: 'query.to', message: 'out of range' }]);
    const found = await book.freeSlots({ businessId: tenantOf(response).businessId, serviceId: query.serviceId, ...range });
    if (!found) throw new AppError('NOT_FOUND', 'Service not found.');
    response.json({ timezone: found.timeZone, serviceId: found.service.id, slots: found.slots.map(slotView(found.timeZone)) });
  });

  // Appointments -----------------------------------------------------------------------------------------------------
  router.get('/appointments', authenticate, async (request, response) => {
    const query = parseInput(appointmentListQuerySchema, request.query, 'query');
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (to <= from || to.getTime() - from.getTime() > maxListDays * 86_400_000) {
      throw new AppError('VALIDATION_FAILED', `to must be after from, at most ${maxListDays} days on.`, [
        { path: 'query.to', message: 'out of range' },
      ]);
    }
    const rows = await book.list({ businessId: tenantOf(response).businessId, from, to });
    response.json({ items: rows.filter((row) => !query.status || row.status === query.status).map(toAppointmentView) });
  });

  router.post('/appointments', authenticate, async (request, response) => {
    const { businessId } = tenantOf(response);
    const input = parseInput(createAppointmentBodySchema, request.body);
    const result = await book.book({
      businessId,
      contactId: input.contactId,
      serviceId: input.serviceId,
      startsAt: new Date(input.startsAt),
      notes: input.notes ?? null,
      status: input.status,
    });
    response.status(201).json(await settle(businessId, result));
  });

  router.patch('/appointments/:appointmentId', authenticate, async (request, response) => {
    const { businessId } = tenantOf(response);
    const appointmentId = resourceId(request.params.appointmentId, 'Appointment');
    const input = parseInput(updateAppointmentBodySchema, request.body);
    if (input.startsAt === undefined && input.serviceId === undefined) {
      // Only the notes: no time moves, so no rule to check.
      const updated = await prisma.appointment.updateMany({ where: { id: appointmentId, businessId }, data: { notes: input.notes ?? null } });
      if (updated.count === 0) throw new AppError('NOT_FOUND', 'Appointment not found.');
      response.json(toAppointmentView((await book.byId(businessId, appointmentId))!));
      return;
    }
    const current = await book.byId(businessId, appointmentId);
    if (!current) throw new AppError('NOT_FOUND', 'Appointment not found.');
    const result = await book.reschedule({
      businessId,
      appointmentId,
      startsAt: input.startsAt ? new Date(input.startsAt) : current.startsAt,
      ...(input.serviceId ? { serviceId: input.serviceId } : {}),
      ...(input.notes !== undefined ? { notes: input.notes } : {}),
    });
    response.json(await settle(businessId, result));
  });

  router.post('/appointments/:appointmentId/status', authenticate, async (request, response) => {
    const { businessId } = tenantOf(response);
    const appointmentId = resourceId(request.params.appointmentId, 'Appointment');
    const input = parseInput(appointmentStatusBodySchema, request.body);
    response.json(await settle(businessId, await book.changeStatus({ businessId, appointmentId, status: input.status })));
  });
}
