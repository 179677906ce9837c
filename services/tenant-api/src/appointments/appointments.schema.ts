import { appointmentStatuses, isLocalDate, parseClock } from '@app/domain';
import { z } from 'zod';

const clock = z.string().refine((value) => parseClock(value) !== null, 'must be a time of day HH:MM (00:00–24:00)');
const localDate = z.string().refine(isLocalDate, 'must be a date YYYY-MM-DD');
const instant = z.iso.datetime({ offset: true }).describe('An instant with its offset, e.g. 2026-06-01T10:00:00+02:00.');

// Services -----------------------------------------------------------------------------------------------------------

export const serviceBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  durationMinutes: z
    .number()
    .int()
    .min(5)
    .max(12 * 60),
  price: z
    .strictObject({
      amountMinor: z.number().int().min(0).describe('Integer minor units (cents).'),
      currency: z
        .string()
        .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
        .describe('ISO 4217.'),
    })
    .nullable()
    .default(null),
  active: z.boolean().default(true).describe('Inactive services are not offered to customers; past appointments keep them.'),
});
export type ServiceInput = z.infer<typeof serviceBodySchema>;

export const serviceViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  durationMinutes: z.number().int(),
  price: z.object({ amountMinor: z.number().int(), currency: z.string() }).nullable(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ServiceView = z.infer<typeof serviceViewSchema>;
export const serviceListSchema = z.object({ items: z.array(serviceViewSchema) });

// Availability -------------------------------------------------------------------------------------------------------

export const availabilityRangeSchema = z.strictObject({
  weekday: z.number().int().min(0).max(6).describe('0 = Sunday … 6 = Saturday.'),
  start: clock,
  end: clock,
});

export const availabilityBodySchema = z.strictObject({
  weekly: z
    .array(availabilityRangeSchema)
    .max(7 * 12)
    .describe('Every opening range for appointments; several per day are fine, overlaps are not.'),
  slotStepMinutes: z.number().int().min(5).max(240).optional().describe('Free slots start every this many minutes (default 30).'),
  reminderMinutesBefore: z
    .array(
      z
        .number()
        .int()
        .min(5)
        .max(14 * 24 * 60),
    )
    .max(5)
    .optional()
    .describe('When reminders are due, in minutes before the start (default 24 h and 1 h: [1440, 60]).'),
});
export type AvailabilityInput = z.infer<typeof availabilityBodySchema>;

export const availabilityViewSchema = z.object({
  timezone: z.string().describe('The business’s time zone: every clock time here is read in it (change it with PUT /agent).'),
  weekly: z.array(z.object({ weekday: z.number().int(), start: z.string(), end: z.string() })),
  slotStepMinutes: z.number().int(),
  reminderMinutesBefore: z.array(z.number().int()),
});

// Blocked ranges -----------------------------------------------------------------------------------------------------

export const blockedRangeBodySchema = z.union([
  z.strictObject({
    fromDate: localDate.describe('First closed day, in the business’s time zone.'),
    toDate: localDate.optional().describe('Last closed day (included); left out, one day.'),
    reason: z.string().trim().max(200).optional(),
  }),
  z.strictObject({ startsAt: instant, endsAt: instant, reason: z.string().trim().max(200).optional() }),
]);
export type BlockedRangeInput = z.infer<typeof blockedRangeBodySchema>;

export const blockedRangeViewSchema = z.object({ id: z.uuid(), startsAt: z.string(), endsAt: z.string(), reason: z.string().nullable() });
export const blockedRangeListSchema = z.object({ items: z.array(blockedRangeViewSchema) });
export const blockedRangeQuerySchema = z.strictObject({
  from: instant.optional().describe('Ranges ending after this instant (default: now).'),
});

// Free slots ---------------------------------------------------------------------------------------------------------

export const slotsQuerySchema = z.strictObject({
  serviceId: z.uuid(),
  from: localDate.describe('First day, in the business’s time zone.'),
  to: localDate.optional().describe('Last day (included, at most 31 days on); left out, one day.'),
});

export const slotViewSchema = z.object({
  start: z.string().describe('UTC instant.'),
  end: z.string(),
  local: z.string().describe('The start in the business’s time zone, with its offset.'),
});
export const slotListSchema = z.object({ timezone: z.string(), serviceId: z.uuid(), slots: z.array(slotViewSchema) });

// Appointments -------------------------------------------------------------------------------------------------------

export const appointmentStatusSchema = z.enum(appointmentStatuses);

export const appointmentListQuerySchema = z.strictObject({
  from: instant,
  to: instant.describe('At most 62 days after from.'),
  status: appointmentStatusSchema.optional(),
});

export const createAppointmentBodySchema = z.strictObject({
  contactId: z.uuid(),
  serviceId: z.uuid(),
  startsAt: instant,
  notes: z.string().trim().max(2000).nullable().optional(),
  status: z.enum(['PENDING', 'CONFIRMED']).default('CONFIRMED').describe('An operator’s booking is CONFIRMED unless told otherwise.'),
});

export const updateAppointmentBodySchema = z
  .strictObject({
    startsAt: instant.describe('Moves the appointment (its reminders move with it).'),
    serviceId: z.uuid(),
    notes: z.string().trim().max(2000).nullable(),
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'name at least one of startsAt, serviceId, notes');

export const appointmentStatusBodySchema = z.strictObject({ status: appointmentStatusSchema });

export const appointmentViewSchema = z.object({
  id: z.uuid(),
  contact: z.object({ id: z.uuid(), name: z.string().nullable(), phone: z.string().nullable() }),
  service: z.object({ id: z.uuid(), name: z.string(), durationMinutes: z.number().int() }),
  startsAt: z.string(),
  endsAt: z.string(),
  status: appointmentStatusSchema,
  notes: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AppointmentView = z.infer<typeof appointmentViewSchema>;
export const appointmentListSchema = z.object({ items: z.array(appointmentViewSchema) });
