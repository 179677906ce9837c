import type { Prisma, PrismaClient } from '@app/db';
import { availabilityRuleProblems, blockedDays, defaultReminderMinutesBefore, formatClock, parseClock } from '@app/domain';
import { AppError } from '@app/runtime/service';
import type { TenantContext } from '../http/tenant-context.ts';
import { notFound } from '../http/validate.ts';
import { isUniqueViolation } from '../unique-violation.ts';
import type { AvailabilityInput, BlockedRangeInput, ServiceInput, ServiceView } from './appointments.schema.ts';

type ServiceRow = Prisma.BookableServiceGetPayload<object>;

function toServiceView(row: ServiceRow): ServiceView {
  return {
    id: row.id,
    name: row.name,
    durationMinutes: row.durationMinutes,
    price: row.priceMinor !== null && row.currency !== null ? { amountMinor: row.priceMinor, currency: row.currency } : null,
    active: row.active,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What a business books, when it opens and when it is closed: the console's setup of the appointment book. */
export function createBookingSetupRepository(prisma: PrismaClient) {
  const nameTaken = (name: string) => new AppError('CONFLICT', `A service named "${name}" already exists.`);
  const serviceData = (input: ServiceInput) => ({
    name: input.name,
    durationMinutes: input.durationMinutes,
    priceMinor: input.price?.amountMinor ?? null,
    currency: input.price?.currency ?? null,
    active: input.active,
  });

  return {
    async listServices(tenant: TenantContext): Promise<ServiceView[]> {
      const rows = await prisma.bookableService.findMany({ where: { businessId: tenant.businessId }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
      return rows.map(toServiceView);
    },

    async createService(tenant: TenantContext, input: ServiceInput): Promise<ServiceView> {
      try {
        return toServiceView(await prisma.bookableService.create({ data: { businessId: tenant.businessId, ...serviceData(input) } }));
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken(input.name);
        throw error;
      }
    },

    /** Changing the duration leaves booked appointments as they were booked; new bookings take the new one. */
    async replaceService(tenant: TenantContext, id: string, input: ServiceInput): Promise<ServiceView> {
      try {
        const updated = await prisma.bookableService.updateMany({ where: { id, businessId: tenant.businessId }, data: serviceData(input) });
        if (updated.count === 0) throw notFound('Service');
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken(input.name);
        throw error;
      }
      return toServiceView(await prisma.bookableService.findUniqueOrThrow({ where: { id } }));
    },

    async removeService(tenant: TenantContext, id: string): Promise<void> {
      const service = await prisma.bookableService.findFirst({
        where: { id, businessId: tenant.businessId },
        select: { _count: { select: { appointments: true } } },
      });
      if (!service) throw notFound('Service');
      if (service._count.appointments > 0) {
        throw new AppError('CONFLICT', 'This service has appointments; make it inactive instead so they keep their service.');
      }
      await prisma.bookableService.deleteMany({ where: { id, businessId: tenant.businessId } });
    },

    async availability(tenant: TenantContext) {
      const [business, rules] = await Promise.all([
        prisma.business.findUniqueOrThrow({ where: { id: tenant.businessId }, select: { timezone: true, bookingSettings: true } }),
        prisma.availabilityRule.findMany({ where: { businessId: tenant.businessId }, orderBy: [{ weekday: 'asc' }, { startMinute: 'asc' }] }),
      ]);
      return {
        timezone: business.timezone,
        weekly: rules.map((rule) => ({ weekday: rule.weekday, start: formatClock(rule.startMinute), end: formatClock(rule.endMinute) })),
        slotStepMinutes: business.bookingSettings?.slotStepMinutes ?? 30,
        reminderMinutesBefore: business.bookingSettings?.reminderMinutesBefore ?? defaultReminderMinutesBefore,
      };
    },

    /**
     * Replaces every opening range at once (the editor saves the whole week). Already booked appointments stay; the
     * new hours apply to bookings from now on. A new reminder setting applies to appointments booked or moved after it.
     */
    async replaceAvailability(tenant: TenantContext, input: AvailabilityInput) {
      const rules = input.weekly.map((range) => ({
        weekday: range.weekday,
        startMinute: parseClock(range.start)!,
        endMinute: parseClock(range.end)!,
      }));
      const problems = availabilityRuleProblems(rules);
      if (problems.length > 0) {
        throw new AppError(
          'VALIDATION_FAILED',
          'The opening ranges are invalid.',
          problems.map((message) => ({ path: 'body.weekly', message })),
        );
      }
      const settings = {
        ...(input.slotStepMinutes !== undefined ? { slotStepMinutes: input.slotStepMinutes } : {}),
        ...(input.reminderMinutesBefore !== undefined
          ? { reminderMinutesBefore: [...new Set(input.reminderMinutesBefore)].sort((a, b) => b - a) }
          : {}),
      };
      await prisma.$transaction(async (tx) => {
        await tx.availabilityRule.deleteMany({ where: { businessId: tenant.businessId } });
        await tx.availabilityRule.createMany({ data: rules.map((rule) => ({ businessId: tenant.businessId, ...rule })) });
        if (Object.keys(settings).length > 0) {
          await tx.bookingSettings.upsert({
            where: { businessId: tenant.businessId },
            create: { businessId: tenant.businessId, ...settings },
            update: settings,
          });
        }
      });
      return this.availability(tenant);
    },

    async listBlocked(tenant: TenantContext, after: Date) {
      const rows = await prisma.blockedRange.findMany({
        where: { businessId: tenant.businessId, endsAt: { gt: after } },
        orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map((row) => ({ id: row.id, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString(), reason: row.reason }));
    },

    async addBlocked(tenant: TenantContext, input: BlockedRangeInput) {
      const business = await prisma.business.findUniqueOrThrow({ where: { id: tenant.businessId }, select: { timezone: true } });
      let span: { start: number; end: number };
      if ('fromDate' in input) {
        const toDate = input.toDate ?? input.fromDate;
        if (toDate < input.fromDate)
          throw new AppError('VALIDATION_FAILED', 'The last closed day is before the first.', [{ path: 'body.toDate', message: 'before fromDate' }]);
        span = blockedDays(input.fromDate, toDate, business.timezone);
      } else {
        span = { start: Date.parse(input.startsAt), end: Date.parse(input.endsAt) };
        if (span.end <= span.start)
          throw new AppError('VALIDATION_FAILED', 'A blocked range must end after it starts.', [
            { path: 'body.endsAt', message: 'not after startsAt' },
          ]);
      }
      const row = await prisma.blockedRange.create({
        data: { businessId: tenant.businessId, startsAt: new Date(span.start), endsAt: new Date(span.end), reason: input.reason ?? null },
      });
      return { id: row.id, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString(), reason: row.reason };
    },

    async removeBlocked(tenant: TenantContext, id: string): Promise<void> {
      const deleted = await prisma.blockedRange.deleteMany({ where: { id, businessId: tenant.businessId } });
      if (deleted.count === 0) throw notFound('Blocked range');
    },
  };
}
