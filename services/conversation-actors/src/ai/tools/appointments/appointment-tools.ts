import { createAppointmentBook, type AppointmentBook, type BookingFailure, type PrismaClient } from '@app/db';
import {
  addDays,
  formatZoned,
  parseZonedInstant,
  slotSearchRange,
  toLocal,
  type AgentTool,
  type Slot,
  type ToolOutcome,
  type ToolProvider,
  type ToolScope,
} from '@app/domain';
import type { Clock } from '@app/runtime/ports';

/**
 * The agent's appointment book (businesses whose objective is APPOINTMENTS): check free slots, book, cancel and move
 * the customer's own appointments. The model resolves "mañana por la tarde" into dates itself; the tools take dates
 * and answer in the business's time zone. Every rule (opening hours, closed days, no double booking) is the
 * appointment book's, the same the console's API uses.
 */

const slotsShown = 40;
const upcomingShown = 10;
const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface ServiceRow {
  id: string;
  name: string;
  durationMinutes: number;
  priceMinor: number | null;
  currency: string | null;
}

const fail = (error: string): ToolOutcome => ({ ok: false, error });

function describeFailure(failure: BookingFailure, timeZone: string): string {
  if (failure.code !== 'CONFLICT') return failure.message;
  const alternatives = failure.alternatives.map((slot) => formatZoned(slot.start, timeZone));
  return alternatives.length > 0
    ? `${failure.message} Offer the customer one of these free times instead: ${alternatives.join(', ')}.`
    : `${failure.message} There is no free time in the next days; ask the customer for another week.`;
}

/** A service as the model names it: its id, or its name in any letter case. */
function findService(services: ServiceRow[], reference: unknown): ServiceRow | undefined {
  if (typeof reference !== 'string') return undefined;
  const wanted = reference.trim().toLowerCase();
  return services.find((service) => service.id === wanted) ?? services.find((service) => service.name.trim().toLowerCase() === wanted);
}

function serviceLine(service: ServiceRow): string {
  const price = service.priceMinor !== null && service.currency ? `, ${(service.priceMinor / 100).toFixed(2)} ${service.currency}` : '';
  return `- ${service.name} (id ${service.id}, ${service.durationMinutes} min${price})`;
}

export function createAppointmentToolProvider(dependencies: { prisma: PrismaClient; clock: Clock }): ToolProvider {
  const { prisma, clock } = dependencies;
  const book: AppointmentBook = createAppointmentBook(prisma, () => clock.now());

  const activeServices = (businessId: string) =>
    prisma.bookableService.findMany({
      where: { businessId, active: true },
      select: { id: true, name: true, durationMinutes: true, priceMinor: true, currency: true },
      orderBy: { name: 'asc' },
    });

  function tools(timeZone: string): AgentTool[] {
    const slotView = (slot: Slot) => ({ start: formatZoned(slot.start, timeZone), end: formatZoned(slot.end, timeZone) });
    const startParameter = {
      type: 'string',
      description: `The start in the business's time zone (${timeZone}), YYYY-MM-DDTHH:MM, as a free slot gave it.`,
    };

    const checkAvailability: AgentTool = {
      name: 'consultar_disponibilidad',
      description:
        'Check availability: free appointment slots for a service on one day or a range of days (at most 31). Resolve what the customer said ("mañana por la tarde") into dates yourself, then pick the fitting slots from the answer.',
      parameters: {
        type: 'object',
        properties: {
          service: { type: 'string', description: 'The service id or its exact name.' },
          date_from: { type: 'string', description: 'First day, YYYY-MM-DD.' },
          date_to: { type: 'string', description: 'Last day (included), YYYY-MM-DD; leave out for one day.' },
        },
        required: ['service', 'date_from'],
        additionalProperties: false,
      },
      sideEffects: false,
      timeoutMs: 10_000,
      async run(args, call) {
        const service = findService(await activeServices(call.businessId), args.service);
        if (!service) return fail('Unknown service: use one of the services listed in the instructions.');
        const range = slotSearchRange(String(args.date_from ?? ''), typeof args.date_to === 'string' ? args.date_to : undefined);
        if (!range) return fail('date_from and date_to must be dates YYYY-MM-DD, date_to not before date_from, at most 31 days apart.');
        const today = toLocal(clock.now(), timeZone).date;
        if (range.to < today) return fail(`Those days have passed; today is ${today}.`);
        const found = await book.freeSlots({
          businessId: call.businessId,
          serviceId: service.id,
          from: range.from < today ? today : range.from,
          to: range.to,
        });
        if (!found) return fail('Unknown service.');
        return {
          ok: true,
          result: {
            timezone: timeZone,
            service: { id: service.id, name: service.name, durationMinutes: service.durationMinutes },
            slots: found.slots.slice(0, slotsShown).map(slotView),
            ...(found.slots.length > slotsShown
              ? { more: found.slots.length - slotsShown, note: 'Only the first slots are listed; ask for later days.' }
              : {}),
          },
        };
      },
    };

    const bookAppointment: AgentTool = {
      name: 'agendar_cita',
      description:
        'Book an appointment for this customer at a free slot. Confirm the service, day and time with the customer first. If the time was taken meanwhile, the answer lists free alternatives to offer.',
      parameters: {
        type: 'object',
        properties: {
          service: { type: 'string', description: 'The service id or its exact name.' },
          start: startParameter,
          notes: { type: 'string', description: 'Anything the business should know (optional).' },
        },
        required: ['service', 'start'],
        additionalProperties: false,
      },
      sideEffects: true,
      timeoutMs: 15_000,
      async run(args, call) {
        const service = findService(await activeServices(call.businessId), args.service);
        if (!service) return fail('Unknown service: use one of the services listed in the instructions.');
        const start = parseZonedInstant(String(args.start ?? ''), timeZone);
        if (!start.ok) return fail(start.message);
        const result = await book.book({
          businessId: call.businessId,
          contactId: call.contactId,
          serviceId: service.id,
          startsAt: start.instant,
          notes: typeof args.notes === 'string' && args.notes.trim() ? args.notes.trim().slice(0, 2000) : null,
          idempotencyKey: `agent:${call.idempotencyKey}`,
        });
        if (!result.ok) return fail(describeFailure(result.failure, timeZone));
        return { ok: true, result: appointmentResult(result.value, timeZone) };
      },
    };

    const cancelAppointment: AgentTool = {
      name: 'cancelar_cita',
      description: "Cancel one of this customer's own upcoming appointments (listed in the instructions) when they ask to.",
      parameters: {
        type: 'object',
        properties: { appointment_id: { type: 'string', description: 'The appointment id.' } },
        required: ['appointment_id'],
        additionalProperties: false,
      },
      sideEffects: true,
      timeoutMs: 10_000,
      async run(args, call) {
        const id = appointmentId(args.appointment_id);
        if (!id) return fail('Unknown appointment: use an id from the customer’s appointments in the instructions.');
        const result = await book.changeStatus({ businessId: call.businessId, contactId: call.contactId, appointmentId: id, status: 'CANCELLED' });
        if (!result.ok) return fail(describeFailure(result.failure, timeZone));
        return { ok: true, result: appointmentResult(result.value, timeZone) };
      },
    };

    const rescheduleAppointment: AgentTool = {
      name: 'reprogramar_cita',
      description:
        "Move one of this customer's own upcoming appointments to another free time (check it with consultar_disponibilidad first). If that time is taken, the answer lists free alternatives.",
      parameters: {
        type: 'object',
        properties: {
          appointment_id: { type: 'string', description: 'The appointment id.' },
          start: startParameter,
        },
        required: ['appointment_id', 'start'],
        additionalProperties: false,
      },
      sideEffects: true,
      timeoutMs: 15_000,
      async run(args, call) {
        const id = appointmentId(args.appointment_id);
        if (!id) return fail('Unknown appointment: use an id from the customer’s appointments in the instructions.');
        const start = parseZonedInstant(String(args.start ?? ''), timeZone);
        if (!start.ok) return fail(start.message);
        const result = await book.reschedule({ businessId: call.businessId, contactId: call.contactId, appointmentId: id, startsAt: start.instant });
        if (!result.ok) return fail(describeFailure(result.failure, timeZone));
        return { ok: true, result: appointmentResult(result.value, timeZone) };
      },
    };

    return [checkAvailability, bookAppointment, cancelAppointment, rescheduleAppointment];
  }

  return {
    async load(scope: ToolScope) {
      const business = await prisma.business.findUnique({ where: { id: scope.businessId }, select: { objective: true, timezone: true } });
      if (business?.objective !== 'APPOINTMENTS') return { tools: [] };
      const timeZone = business.timezone;
      const now = clock.now();
      const [services, upcoming] = await Promise.all([
        activeServices(scope.businessId),
        book.list({
          businessId: scope.businessId,
          contactId: scope.contactId,
          from: now,
          to: new Date(now.getTime() + 366 * 86_400_000),
          openOnly: true,
        }),
      ]);
      const today = toLocal(now, timeZone);
      const promptNotes = [
        `Appointments: times are in ${timeZone}. Today is ${weekdays[today.weekday]} ${today.date}; tomorrow is ${addDays(today.date, 1)}. ` +
          'Check free slots with consultar_disponibilidad before offering a time, and book only a time the customer agreed to.',
        services.length > 0 ? `Services that can be booked:\n${services.map(serviceLine).join('\n')}` : 'No service can be booked yet.',
        upcoming.length > 0
          ? `This customer's upcoming appointments:\n${upcoming
              .slice(0, upcomingShown)
              .map((row) => `- id ${row.id}: ${row.service.name} at ${formatZoned(row.startsAt, timeZone)} (${row.status})`)
              .join('\n')}`
          : 'This customer has no upcoming appointment.',
      ];
      return { tools: tools(timeZone), promptNotes };
    },
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function appointmentId(value: unknown): string | null {
  return typeof value === 'string' && uuidPattern.test(value.trim()) ? value.trim().toLowerCase() : null;
}

function appointmentResult(
  row: { id: string; startsAt: Date; endsAt: Date; status: string; service: { name: string }; notes: string | null },
  timeZone: string,
) {
  return {
    appointment: {
      id: row.id,
      service: row.service.name,
      start: formatZoned(row.startsAt, timeZone),
      end: formatZoned(row.endsAt, timeZone),
      status: row.status,
      ...(row.notes ? { notes: row.notes } : {}),
    },
  };
}
