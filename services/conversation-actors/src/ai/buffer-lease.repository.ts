import { Prisma, type PrismaClient } from '@app/db';

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
  const taken = await prisma.messageBuffer.updateMany({
    where: {
      id: job.bufferId,
      failedAt: null,
      OR: [{ processingUntil: null }, { processingUntil: { lte: now } }, { retryCount: { lt: job.attempt - 1 } }],
    },
    data: { processingUntil, retryCount: job.attempt - 1 },
  });
  if (taken.count === 1) return 'claimed';
  const existing = await prisma.messageBuffer.findUnique({ where: { id: job.bufferId }, select: { failedAt: true } });
  if (existing) return existing.failedAt ? 'quarantined' : 'held';
  try {
    await prisma.messageBuffer.create({
      data: {
        id: job.bufferId,
        businessId: job.businessId,
        conversationId: job.conversationId,
        messageIds: job.messageIds,
        firstMessageAt: new Date(job.firstMessageAt),
        lastMessageAt: new Date(job.lastMessageAt),
        processingUntil,
        retryCount: job.attempt - 1,
      },
    });
    return 'claimed';
  } catch (error) {
    // Another worker created it between our two reads.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return 'held';
    throw error;
  }
}

/**
 * Frees every lease at start-up. Only for a process that is the sole AI worker of its database (standalone mode):
 * leases still held then belong to a previous run that died mid-call, and would make its jobs wait for the
 * actor's ai-timeout instead of being answered by the redelivery at once.
 */
export async function releaseAbandonedBufferLeases(prisma: PrismaClient): Promise<number> {
  const released = await prisma.messageBuffer.updateMany({ where: { failedAt: null, processingUntil: { not: null } }, data: { processingUntil: null } });
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
