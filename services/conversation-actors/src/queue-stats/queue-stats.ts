import type { PrismaClient } from '@app/db';
import type { WorkerStats } from '../ai/concurrency-limiter.ts';

export interface QueueStats {
  /** A worker holds the buffer right now (its lease has not run out). */
  inFlight: number;
  /** Not held: waiting for a worker, a retry, or for its stored reply to be sent. */
  waiting: number;
  /** Not given up on, but at least one attempt failed (waiting for or running its retry). */
  failed: number;
  /** Given up on after the last attempt (failedAt set): for an admin to retry or discard. */
  quarantined: number;
  /** This replica's AI worker right now. */
  worker: WorkerStats;
}

/** The AI queue of one business, from its MessageBuffer rows and the worker's live counters. */
export async function getQueueStats(prisma: PrismaClient, businessId: string, workerStats: WorkerStats, now: Date = new Date()): Promise<QueueStats> {
  const live = { businessId, failedAt: null };
  const [inFlight, waiting, failed, quarantined] = await Promise.all([
    prisma.messageBuffer.count({ where: { ...live, processingUntil: { gt: now } } }),
    prisma.messageBuffer.count({ where: { ...live, OR: [{ processingUntil: null }, { processingUntil: { lte: now } }] } }),
    prisma.messageBuffer.count({ where: { ...live, failureReason: { not: null } } }),
    prisma.messageBuffer.count({ where: { businessId, failedAt: { not: null } } }),
  ]);
  return { inFlight, waiting, failed, quarantined, worker: workerStats };
}
