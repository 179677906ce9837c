import type { PrismaClient } from '@app/db';

export interface DueReminder {
  actorType: string;
  actorId: string;
  name: string;
  data: unknown;
  attempts: number;
  version: number;
}

/**
 * Claims due reminders of the given actor types: pushes their dueAt to `leaseUntil` in the same statement, so a
 * reminder whose process dies mid-fire comes due again after the lease (at least once). SKIP LOCKED lets several
 * pollers share the table on PostgreSQL; PGlite has one connection, where it is simply a no-op.
 */
export async function claimDueReminders(
  prisma: PrismaClient,
  actorTypes: string[],
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<DueReminder[]> {
  if (actorTypes.length === 0) return [];
  return prisma.$queryRaw<DueReminder[]>`
    WITH due AS (
      SELECT "actorType", "actorId", "name" FROM actor_reminder
      WHERE "dueAt" <= ${now.toISOString()}::timestamp AND "actorType" = ANY(${actorTypes}::text[])
      ORDER BY "dueAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE actor_reminder r SET "dueAt" = ${leaseUntil.toISOString()}::timestamp
    FROM due
    WHERE r."actorType" = due."actorType" AND r."actorId" = due."actorId" AND r."name" = due."name"
    RETURNING r."actorType", r."actorId", r."name", r."data", r."attempts", r."version"`;
}

/** A failed fire: retry at `retryAt`, or, when the retries are used up, drop the tick (delete the one-shot). */
export async function recordReminderFailure(prisma: PrismaClient, reminder: DueReminder, retryAt: Date | null): Promise<void> {
  if (retryAt === null) {
    await prisma.$executeRaw`
      DELETE FROM actor_reminder
      WHERE "actorType" = ${reminder.actorType} AND "actorId" = ${reminder.actorId} AND "name" = ${reminder.name}
        AND "version" = ${reminder.version}`;
    return;
  }
  await prisma.$executeRaw`
    UPDATE actor_reminder SET "attempts" = "attempts" + 1, "dueAt" = ${retryAt.toISOString()}::timestamp
    WHERE "actorType" = ${reminder.actorType} AND "actorId" = ${reminder.actorId} AND "name" = ${reminder.name}
      AND "version" = ${reminder.version}`;
}

/** The earliest dueAt of the given types, to sleep exactly until then. */
export async function nextReminderDueAt(prisma: PrismaClient, actorTypes: string[]): Promise<Date | null> {
  if (actorTypes.length === 0) return null;
  const rows = await prisma.$queryRaw<{ dueAt: string | null }[]>`
    SELECT to_char(min("dueAt"), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "dueAt" FROM actor_reminder
    WHERE "actorType" = ANY(${actorTypes}::text[])`;
  const value = rows[0]?.dueAt;
  return value ? new Date(value) : null;
}
