import type { PrismaClient } from '@app/db';
import type { DomainEvent } from '@app/domain';

export interface HeldDelivery {
  subscriber: string;
  topic: string;
  eventId: string;
  event: DomainEvent;
  attempts: number;
}

/**
 * Keeps a delivery one subscriber group could not finish, due at `dueAt`. A second copy of the same event for the
 * same group (a redelivery, another replica) changes nothing.
 */
export async function holdDelivery(
  prisma: PrismaClient,
  delivery: { subscriber: string; topic: string; event: DomainEvent; attempts: number; dueAt: Date; lastError: string | null },
): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO pubsub_retry ("subscriber", "topic", "eventId", "event", "attempts", "nextAttemptAt", "lastError")
    VALUES (${delivery.subscriber}, ${delivery.topic}, ${delivery.event.id}, ${JSON.stringify(delivery.event)}::jsonb,
      ${delivery.attempts}, ${delivery.dueAt.toISOString()}::timestamp, ${delivery.lastError})
    ON CONFLICT ("subscriber", "topic", "eventId") DO NOTHING`;
}

/**
 * Claims due held deliveries of the given (topic, group) pairs for `leaseUntil`: a replica that dies while running
 * one leaves it to the next claim after the lease. SKIP LOCKED lets every replica's sweeper share the table.
 */
export async function claimHeldDeliveries(
  prisma: PrismaClient,
  routes: { topic: string; subscriber: string }[],
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<HeldDelivery[]> {
  if (routes.length === 0) return [];
  const topics = routes.map((route) => route.topic);
  const subscribers = routes.map((route) => route.subscriber);
  return prisma.$queryRaw<HeldDelivery[]>`
    WITH due AS (
      SELECT r."subscriber", r."topic", r."eventId" FROM pubsub_retry r
      JOIN unnest(${topics}::text[], ${subscribers}::text[]) AS handled(topic, subscriber)
        ON handled.topic = r."topic" AND handled.subscriber = r."subscriber"
      WHERE r."droppedAt" IS NULL AND r."nextAttemptAt" <= ${now.toISOString()}::timestamp
        AND (r."lockedUntil" IS NULL OR r."lockedUntil" <= ${now.toISOString()}::timestamp)
      ORDER BY r."nextAttemptAt"
      LIMIT ${limit}
      FOR UPDATE OF r SKIP LOCKED
    )
    UPDATE pubsub_retry p SET "lockedUntil" = ${leaseUntil.toISOString()}::timestamp
    FROM due
    WHERE p."subscriber" = due."subscriber" AND p."topic" = due."topic" AND p."eventId" = due."eventId"
    RETURNING p."subscriber", p."topic", p."eventId", p."event", p."attempts"`;
}

/** Handled (or dropped by its handler on purpose): the row goes. */
export async function releaseHeldDelivery(prisma: PrismaClient, delivery: HeldDelivery): Promise<void> {
  await prisma.$executeRaw`
    DELETE FROM pubsub_retry
    WHERE "subscriber" = ${delivery.subscriber} AND "topic" = ${delivery.topic} AND "eventId" = ${delivery.eventId}`;
}

/** Failed again: due at `retryAt`, or kept with droppedAt when the attempts are used up (`retryAt` null). */
export async function recordHeldDeliveryFailure(
  prisma: PrismaClient,
  delivery: HeldDelivery,
  retryAt: Date | null,
  lastError: string,
  now: Date,
): Promise<void> {
  await prisma.$executeRaw`
    UPDATE pubsub_retry SET "attempts" = "attempts" + 1, "lockedUntil" = NULL, "lastError" = ${lastError},
      "nextAttemptAt" = COALESCE(${retryAt?.toISOString() ?? null}::timestamp, "nextAttemptAt"),
      "droppedAt" = CASE WHEN ${retryAt === null} THEN ${now.toISOString()}::timestamp ELSE NULL END
    WHERE "subscriber" = ${delivery.subscriber} AND "topic" = ${delivery.topic} AND "eventId" = ${delivery.eventId}`;
}
