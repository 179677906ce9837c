import { Prisma, preparedMarker, queryRawFast, type PrismaClient } from '@app/db';

export interface BufferJob {
  bufferId: string;
  businessId: string;
  conversationId: string;
  messageIds: string[];
  firstMessageAt: string;
  lastMessageAt: string;
  attempt: number;
}

export type ClaimResult = 'claimed' | 'held' | 'quarantined';

/**
 * Takes the MessageBuffer row for one attempt: creates it on the first attempt, or takes it over when no live
 * worker holds it (its lease expired) or when the holder works on an earlier attempt — the actor re-requests only
 * after it declared that attempt failed or lost (a worker that died mid-call never releases its lease). A row
 * held for the same attempt means a duplicate delivery is being worked on right now: the caller retries later
 * rather than calling the model twice.
 */
export async function claimBuffer(prisma: PrismaClient, job: BufferJob, now: Date, leaseMs: number): Promise<ClaimResult> {
  const processingUntil = new Date(now.getTime() + leaseMs);
  const utc = (value: Date | string) => Prisma.sql`(${typeof value === 'string' ? value : value.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
  // One statement on the hot path (every AI job): create the row, or take it over when the WHERE allows; a row
  // that stays untouched comes back empty and a second read tells held from quarantined. A concurrent creation
  // makes ON CONFLICT wait for it and then see its live lease: held, as before.
  const taken = await queryRawFast<{ claimed: number }>(
    prisma,
    Prisma.sql`${Prisma.raw(preparedMarker)}
    INSERT INTO message_buffer ("id", "businessId", "conversationId", "messageIds", "firstMessageAt", "lastMessageAt", "processingUntil", "retryCount", "createdAt", "updatedAt")
    VALUES (${job.bufferId}::uuid, ${job.businessId}::uuid, ${job.conversationId}::uuid, ${job.messageIds}::text[], ${utc(job.firstMessageAt)},
            ${utc(job.lastMessageAt)}, ${utc(processingUntil)}, ${job.attempt - 1}::integer, ${utc(now)}, ${utc(now)})
    ON CONFLICT ("id") DO UPDATE SET "processingUntil" = EXCLUDED."processingUntil", "retryCount" = EXCLUDED."retryCount", "updatedAt" = EXCLUDED."updatedAt"
    WHERE message_buffer."failedAt" IS NULL
      AND (message_buffer."processingUntil" IS NULL OR message_buffer."processingUntil" <= ${utc(now)} OR message_buffer."retryCount" < ${job.attempt - 1}::integer)
    RETURNING 1 AS claimed`,
  );
  if (taken.length === 1) return 'claimed';
  const existing = await prisma.messageBuffer.findUnique({ where: { id: job.bufferId }, select: { failedAt: true } });
  return existing?.failedAt ? 'quarantined' : 'held';
}

/**
 * Frees every lease at start-up. Only for a process that is the sole AI worker of its database (standalone mode):
 * leases still held then belong to a previous run that died mid-call, and would make its jobs wait for the
 * actor's ai-timeout instead of being answered by the redelivery at once.
 */
export async function releaseAbandonedBufferLeases(prisma: PrismaClient): Promise<number> {
  const released = await prisma.messageBuffer.updateMany({
    where: { failedAt: null, processingUntil: { not: null } },
    data: { processingUntil: null },
  });
  return released.count;
}

/** Lets another delivery take the buffer at once (the holder failed unexpectedly). */
export async function releaseBuffer(prisma: PrismaClient, bufferId: string): Promise<void> {
  await prisma.messageBuffer.updateMany({ where: { id: bufferId, failedAt: null }, data: { processingUntil: null } });
}

/** Records a failed attempt; `final` marks the row quarantined (failedAt), visible to admins. */
export async function recordBufferFailure(
  prisma: PrismaClient,
  failure: { bufferId: string; attempt: number; reason: string; final: boolean; now: Date },
): Promise<void> {
  await prisma.messageBuffer.updateMany({
    where: { id: failure.bufferId },
    data: {
      processingUntil: null,
      retryCount: failure.attempt,
      failureReason: failure.reason,
      ...(failure.final ? { failedAt: failure.now } : {}),
    },
  });
}

/**
 * The actor gave up on a buffer (also when every attempt was lost, so no worker recorded it): make sure the row
 * shows it. Creates the row if no attempt ever reached a worker.
 */
export async function markBufferQuarantined(
  prisma: PrismaClient,
  quarantine: {
    bufferId: string;
    businessId: string;
    conversationId: string;
    messageIds: string[];
    firstMessageAt: string;
    lastMessageAt: string;
    attempts: number;
    reason: string;
    now: Date;
  },
): Promise<void> {
  const updated = await prisma.messageBuffer.updateMany({
    where: { id: quarantine.bufferId, failedAt: null },
    data: { failedAt: quarantine.now, processingUntil: null, failureReason: quarantine.reason, retryCount: quarantine.attempts },
  });
  if (updated.count === 1) return;
  const existing = await prisma.messageBuffer.findUnique({ where: { id: quarantine.bufferId }, select: { id: true } });
  if (existing) return; // already quarantined
  await prisma.messageBuffer
    .create({
      data: {
        id: quarantine.bufferId,
        businessId: quarantine.businessId,
        conversationId: quarantine.conversationId,
        messageIds: quarantine.messageIds,
        firstMessageAt: new Date(quarantine.firstMessageAt),
        lastMessageAt: new Date(quarantine.lastMessageAt),
        retryCount: quarantine.attempts,
        failedAt: quarantine.now,
        failureReason: quarantine.reason,
      },
    })
    .catch((error: unknown) => {
      // Created concurrently by a late worker: the next delivery of this event marks it.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new Error('buffer row appeared concurrently; retry');
      throw error;
    });
}
