import {
  AppointmentChanged,
  bookingRefusal,
  defaultReminderMinutesBefore,
  freeSlots,
  holdsTime,
  isOpen,
  localDayBounds,
  reminderSchedule,
  statusChangeRefusal,
  toLocal,
  addDays,
  type AppointmentStatus,
  type AvailabilityRule,
  type BookingCalendar,
  type Interval,
  type LocalDate,
  type Slot,
} from '@app/domain';
import type { Transaction } from '../database.ts';
import { enqueueEvent } from '../outbox/enqueue-event.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

/**
 * The appointment book of a business: free slots, booking, moving and status changes, for the console's API and the
 * agent's tools alike. Every query is scoped by businessId (and by contact when the agent acts for a customer).
 * Double booking is refused by the database's exclusion constraint (ADR 0022); the rules here refuse the rest
 * (past, outside opening hours, blocked) before anything is written.
 */

export type BookingFailure =
  | { code: 'CONFLICT'; message: string; alternatives: Slot[] }
  | { code: 'IN_THE_PAST' | 'OUTSIDE_AVAILABILITY' | 'BLOCKED'; message: string }
  | { code: 'NOT_FOUND'; message: string }
  | { code: 'ILLEGAL_TRANSITION' | 'NOT_STARTED'; message: string; status: AppointmentStatus };

export type BookingResult<T> = { ok: true; value: T; replayed?: boolean } | { ok: false; failure: BookingFailure };

export interface BookingSettingsView {
  timeZone: string;
  slotStepMinutes: number;
  reminderMinutesBefore: number[];
}

export interface AppointmentRecord {
  id: string;
  businessId: string;
  contactId: string;
  serviceId: string;
  startsAt: Date;
  endsAt: Date;
  status: AppointmentStatus;
  notes: string | null;
  createdAt: Date;
  updatedAt: Date;
  service: { id: string; name: string; durationMinutes: number };
  contact: { id: string; name: string | null; phone: string | null };
}

const appointmentInclude = {
  service: { select: { id: true, name: true, durationMinutes: true } },
  contact: { select: { id: true, name: true, phone: true } },
} as const;

const minuteMs = 60_000;
const alternativesShown = 5;
const alternativeSearchDays = 7;

/** The exclusion constraint appointment_no_overlap refused the row (SQLSTATE 23P01), through either driver adapter. */
export function isOverlapViolation(error: unknown): boolean {
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: string; code?: string } } } } | null)?.meta?.driverAdapterError
    ?.cause;
  return cause?.originalCode === '23P01' || cause?.code === '23P01';
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

const notFound = (what: string): BookingResult<never> => ({ ok: false, failure: { code: 'NOT_FOUND', message: `${what} not found.` } });

export function createAppointmentBook(prisma: PrismaClient, now: () => Date) {
  async function settings(businessId: string, client: PrismaClient | Transaction = prisma): Promise<BookingSettingsView | null> {
    const business = await client.business.findUnique({ where: { id: businessId }, select: { timezone: true, bookingSettings: true } });
    if (!business) return null;
    return {
      timeZone: business.timezone,
      slotStepMinutes: business.bookingSettings?.slotStepMinutes ?? 30,
      reminderMinutesBefore: business.bookingSettings?.reminderMinutesBefore ?? defaultReminderMinutesBefore,
    };
  }

  async function calendarFor(
    client: PrismaClient | Transaction,
    businessId: string,
    timeZone: string,
    span: Interval,
    /** The appointments that hold time, for a slot search; a booking leaves overlap to the exclusion constraint. */
    busy: { except?: string } | false,
  ): Promise<BookingCalendar> {
    const window = { startsAt: { lt: new Date(span.end) }, endsAt: { gt: new Date(span.start) } };
    const [rules, blocked, taken] = await Promise.all([
      client.availabilityRule.findMany({ where: { businessId }, select: { weekday: true, startMinute: true, endMinute: true } }),
      client.blockedRange.findMany({ where: { businessId, ...window }, select: { startsAt: true, endsAt: true } }),
      busy
        ? client.appointment.findMany({
            where: { businessId, status: { not: 'CANCELLED' }, ...window, ...(busy.except ? { id: { not: busy.except } } : {}) },
            select: { startsAt: true, endsAt: true },
          })
        : [],
    ]);
    const toInterval = (row: { startsAt: Date; endsAt: Date }): Interval => ({ start: row.startsAt.getTime(), end: row.endsAt.getTime() });
    return { timeZone, rules: rules satisfies AvailabilityRule[], blocked: blocked.map(toInterval), busy: taken.map(toInterval) };
  }

  async function slotsBetween(input: {
    businessId: string;
    durationMinutes: number;
    from: LocalDate;
    to: LocalDate;
    settings: BookingSettingsView;
    exceptAppointmentId?: string;
  }): Promise<Slot[]> {
    const { timeZone } = input.settings;
    const span = { start: localDayBounds(input.from, timeZone).start, end: localDayBounds(input.to, timeZone).end };
    const calendar = await calendarFor(
      prisma,
      input.businessId,
      timeZone,
      span,
      input.exceptAppointmentId ? { except: input.exceptAppointmentId } : {},
    );
    return freeSlots({
      calendar,
      durationMinutes: input.durationMinutes,
      from: input.from,
      to: input.to,
      stepMinutes: input.settings.slotStepMinutes,
      now: now(),
    });
  }

  /** Free slots nearest to a refused start: that day first, then the following days, closest in time first. */
  async function alternativesTo(
    businessId: string,
    durationMinutes: number,
    start: Date,
    settings: BookingSettingsView,
    exceptAppointmentId?: string,
  ) {
    const day = toLocal(start, settings.timeZone).date;
    const slots = await slotsBetween({
      businessId,
      durationMinutes,
      from: day,
      to: addDays(day, alternativeSearchDays - 1),
      settings,
      ...(exceptAppointmentId ? { exceptAppointmentId } : {}),
    });
    const sameDay = slots.filter((slot) => toLocal(slot.start, settings.timeZone).date === day);
    const distance = (slot: Slot) => Math.abs(slot.start.getTime() - start.getTime());
    const nearest = [...sameDay].sort((a, b) => distance(a) - distance(b)).slice(0, alternativesShown);
    const later = slots.filter((slot) => !sameDay.includes(slot)).slice(0, alternativesShown - nearest.length);
    return [...nearest.sort((a, b) => a.start.getTime() - b.start.getTime()), ...later];
  }

  async function conflict(businessId: string, durationMinutes: number, start: Date, settings: BookingSettingsView, exceptAppointmentId?: string) {
    return {
      ok: false as const,
      failure: {
        code: 'CONFLICT' as const,
        message: 'That time is already booked.',
        alternatives: await alternativesTo(businessId, durationMinutes, start, settings, exceptAppointmentId),
      },
    };
  }

  async function writeReminders(tx: Transaction, appointment: { id: string; businessId: string; startsAt: Date }, minutesBefore: number[]) {
    await tx.appointmentReminder.deleteMany({ where: { appointmentId: appointment.id, businessId: appointment.businessId, sentAt: null } });
    const schedule = reminderSchedule(appointment.startsAt, minutesBefore, now());
    if (schedule.length === 0) return;
    await tx.appointmentReminder.createMany({
      data: schedule.map((reminder) => ({ businessId: appointment.businessId, appointmentId: appointment.id, ...reminder })),
      skipDuplicates: true,
    });
  }

  /** In the change's transaction: open consoles hear of it if and only if it commits. */
  async function announce(tx: Transaction, appointment: { id: string; businessId: string }, change: 'booked' | 'moved' | 'status') {
    const event = AppointmentChanged.create({ businessId: appointment.businessId, appointmentId: appointment.id, change });
    await enqueueEvent(tx, AppointmentChanged.topic, event, { key: appointment.id });
  }

  function refusalOf(calendar: BookingCalendar, start: Date, durationMinutes: number): BookingResult<never> | null {
    const refusal = bookingRefusal({ calendar, start, durationMinutes, now: now() });
    return refusal ? { ok: false, failure: refusal } : null;
  }

  async function byId(businessId: string, id: string): Promise<AppointmentRecord | null> {
    return prisma.appointment.findFirst({ where: { id, businessId }, include: appointmentInclude });
  }

  return {
    settings,

    /** Free slots for a service between two local dates, both included; null when the service is not this business's. */
    async freeSlots(input: { businessId: string; serviceId: string; from: LocalDate; to: LocalDate }) {
      const [business, service] = await Promise.all([
        settings(input.businessId),
        prisma.bookableService.findFirst({ where: { id: input.serviceId, businessId: input.businessId, active: true } }),
      ]);
      if (!business || !service) return null;
      const slots = await slotsBetween({
        businessId: input.businessId,
        durationMinutes: service.durationMinutes,
        from: input.from,
        to: input.to,
        settings: business,
      });
      return { service, timeZone: business.timeZone, slots };
    },

    byId,

    /** Appointments overlapping [from, to), earliest first; `contactId` narrows to one customer's. */
    async list(input: { businessId: string; from: Date; to: Date; contactId?: string; openOnly?: boolean }): Promise<AppointmentRecord[]> {
      return prisma.appointment.findMany({
        where: {
          businessId: input.businessId,
          startsAt: { lt: input.to },
          endsAt: { gt: input.from },
          ...(input.contactId ? { contactId: input.contactId } : {}),
          ...(input.openOnly ? { status: { in: ['PENDING', 'CONFIRMED'] } } : {}),
        },
        include: appointmentInclude,
        orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
      });
    },

    /**
     * Books `serviceId` for `contactId` at `startsAt`. With an idempotency key, a repeated call answers the appointment
     * it made the first time (`replayed`). A taken time answers CONFLICT with the nearest free slots.
     */
    async book(input: {
      businessId: string;
      contactId: string;
      serviceId: string;
      startsAt: Date;
      notes?: string | null;
      status?: 'PENDING' | 'CONFIRMED';
      idempotencyKey?: string;
    }): Promise<BookingResult<AppointmentRecord>> {
      const { businessId } = input;
      if (input.idempotencyKey) {
        const earlier = await prisma.appointment.findFirst({
          where: { businessId, idempotencyKey: input.idempotencyKey },
          include: appointmentInclude,
        });
        if (earlier) return { ok: true, value: earlier, replayed: true };
      }
      const business = await settings(businessId);
      if (!business) return notFound('Business');
      const [service, contact] = await Promise.all([
        prisma.bookableService.findFirst({ where: { id: input.serviceId, businessId, active: true } }),
        prisma.contact.findFirst({ where: { id: input.contactId, businessId }, select: { id: true } }),
      ]);
      if (!service) return notFound('Service');
      if (!contact) return notFound('Contact');
      const endsAt = new Date(input.startsAt.getTime() + service.durationMinutes * minuteMs);
      try {
        const created = await prisma.$transaction(async (tx) => {
          const calendar = await calendarFor(tx, businessId, business.timeZone, { start: input.startsAt.getTime(), end: endsAt.getTime() }, false);
          const refused = refusalOf(calendar, input.startsAt, service.durationMinutes);
          if (refused) return refused;
          const appointment = await tx.appointment.create({
            data: {
              businessId,
              contactId: contact.id,
              serviceId: service.id,
              startsAt: input.startsAt,
              endsAt,
              status: input.status ?? 'PENDING',
              notes: input.notes ?? null,
              idempotencyKey: input.idempotencyKey ?? null,
            },
            include: appointmentInclude,
          });
          await writeReminders(tx, appointment, business.reminderMinutesBefore);
          await announce(tx, appointment, 'booked');
          return { ok: true as const, value: appointment };
        });
        return created;
      } catch (error) {
        if (isOverlapViolation(error)) return conflict(businessId, service.durationMinutes, input.startsAt, business);
        if (input.idempotencyKey && isUniqueViolation(error)) {
          const earlier = await prisma.appointment.findFirst({
            where: { businessId, idempotencyKey: input.idempotencyKey },
            include: appointmentInclude,
          });
          if (earlier) return { ok: true, value: earlier, replayed: true };
        }
        throw error;
      }
    },

    /** Moves an open appointment (and, optionally, changes its service); its reminders move with it. */
    async reschedule(input: {
      businessId: string;
      appointmentId: string;
      startsAt: Date;
      serviceId?: string;
      notes?: string | null;
      /** The agent acts only on the customer's own appointments. */
      contactId?: string;
    }): Promise<BookingResult<AppointmentRecord>> {
      const { businessId } = input;
      const business = await settings(businessId);
      if (!business) return notFound('Business');
      const current = await prisma.appointment.findFirst({
        where: { id: input.appointmentId, businessId, ...(input.contactId ? { contactId: input.contactId } : {}) },
      });
      if (!current) return notFound('Appointment');
      if (!isOpen(current.status)) {
        return {
          ok: false,
          failure: { code: 'ILLEGAL_TRANSITION', message: `An appointment that is ${current.status} cannot be moved.`, status: current.status },
        };
      }
      const service = await prisma.bookableService.findFirst({ where: { id: input.serviceId ?? current.serviceId, businessId } });
      if (!service) return notFound('Service');
      const endsAt = new Date(input.startsAt.getTime() + service.durationMinutes * minuteMs);
      try {
        return await prisma.$transaction(async (tx) => {
          const calendar = await calendarFor(tx, businessId, business.timeZone, { start: input.startsAt.getTime(), end: endsAt.getTime() }, false);
          const refused = refusalOf(calendar, input.startsAt, service.durationMinutes);
          if (refused) return refused;
          // Guarded by status: a cancellation that committed meanwhile wins.
          const moved = await tx.appointment.updateMany({
            where: { id: current.id, businessId, status: { in: ['PENDING', 'CONFIRMED'] } },
            data: { startsAt: input.startsAt, endsAt, serviceId: service.id, ...(input.notes !== undefined ? { notes: input.notes } : {}) },
          });
          if (moved.count === 0) return notFound('Appointment');
          const appointment = await tx.appointment.findUniqueOrThrow({ where: { id: current.id }, include: appointmentInclude });
          await writeReminders(tx, appointment, business.reminderMinutesBefore);
          await announce(tx, appointment, 'moved');
          return { ok: true as const, value: appointment };
        });
      } catch (error) {
        if (isOverlapViolation(error)) return conflict(businessId, service.durationMinutes, input.startsAt, business, current.id);
        throw error;
      }
    },

    /**
     * Moves the status along the table (appointmentTransitions). Leaving the open states drops the reminders not sent
     * yet; cancelling frees the time at once (the exclusion constraint ignores CANCELLED rows).
     */
    async changeStatus(input: {
      businessId: string;
      appointmentId: string;
      status: AppointmentStatus;
      contactId?: string;
    }): Promise<BookingResult<AppointmentRecord>> {
      const { businessId } = input;
      const current = await prisma.appointment.findFirst({
        where: { id: input.appointmentId, businessId, ...(input.contactId ? { contactId: input.contactId } : {}) },
      });
      if (!current) return notFound('Appointment');
      if (current.status === input.status) return { ok: true, value: (await byId(businessId, current.id))!, replayed: true };
      const refusal = statusChangeRefusal(current.status, input.status, current.startsAt, now());
      if (refusal) return { ok: false, failure: { ...refusal, status: current.status } };
      try {
        return await prisma.$transaction(async (tx) => {
          const changed = await tx.appointment.updateMany({
            where: { id: current.id, businessId, status: current.status },
            data: { status: input.status },
          });
          if (changed.count === 0) {
            const now = await tx.appointment.findFirstOrThrow({ where: { id: current.id }, select: { status: true } });
            return {
              ok: false as const,
              failure: {
                code: 'ILLEGAL_TRANSITION' as const,
                message: `The appointment changed meanwhile; it is ${now.status}.`,
                status: now.status,
              },
            };
          }
          if (!isOpen(input.status)) await tx.appointmentReminder.deleteMany({ where: { appointmentId: current.id, businessId, sentAt: null } });
          await announce(tx, current, 'status');
          return { ok: true as const, value: await tx.appointment.findUniqueOrThrow({ where: { id: current.id }, include: appointmentInclude }) };
        });
      } catch (error) {
        // Only a CANCELLED appointment can come back into the constraint, and the table never allows that; kept as a guard.
        if (isOverlapViolation(error) && holdsTime(input.status)) {
          return { ok: false, failure: { code: 'ILLEGAL_TRANSITION', message: 'That time is already booked.', status: current.status } };
        }
        throw error;
      }
    },
  };
}

export type AppointmentBook = ReturnType<typeof createAppointmentBook>;
