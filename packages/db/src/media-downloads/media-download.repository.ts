import { MessageContentChanged, type MediaDownloadProvider, type MediaDownloadState } from '@app/domain';
import type { Transaction } from '../database.ts';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import { enqueueEvent } from '../outbox/enqueue-event.ts';

/** What `recordInboundMessage` writes next to a new message (same statement): the download's durable trail. */
export interface PendingMediaDownload {
  provider: MediaDownloadProvider;
  /** The provider's source, sealed for this message. */
  source: string;
}

/** A `media_download` row a worker holds, with the message content it downloads for. */
export interface ClaimedMediaDownload {
  messageId: string;
  businessId: string;
  instanceId: string;
  source: string;
  attempts: number;
  /** The row's lockedUntil while this worker holds it: every later write checks it is still ours. */
  claimedUntil: Date;
}

/** Nobody holds it, or the holder's claim ran out (it died mid-download). */
const unclaimed = (now: Date) => ({ OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] });

/**
 * Takes the row of `messageId` until `claimedUntil`, only when nobody holds it. Null when it is gone (stored or
 * given up meanwhile), another provider's, or another worker holds it.
 */
export async function claimMediaDownload(
  prisma: PrismaClient,
  input: { messageId: string; provider: MediaDownloadProvider; now: Date; claimedUntil: Date },
): Promise<ClaimedMediaDownload | null> {
  const { messageId, provider, claimedUntil } = input;
  const claimed = await prisma.mediaDownload.updateMany({
    where: { messageId, provider, ...unclaimed(input.now) },
    data: { lockedUntil: claimedUntil },
  });
  if (claimed.count === 0) return null;
  const row = await prisma.mediaDownload.findUnique({ where: { messageId } });
  return row ? { ...row, claimedUntil } : null;
}

/** The stored content of the claimed download's message; null (and the row dropped) when the message is gone. */
export async function mediaDownloadMessageContent(prisma: PrismaClient, row: ClaimedMediaDownload): Promise<{ content: unknown } | null> {
  const message = await prisma.message.findFirst({ where: { id: row.messageId, businessId: row.businessId }, select: { content: true } });
  if (!message) await prisma.mediaDownload.deleteMany({ where: { messageId: row.messageId } });
  return message;
}

/**
 * In one transaction: the row deleted and the message's `content.media` given the stored object's fields (`mediaId`,
 * `size`, the download state …), announced to open consoles. False when the row was gone (another worker finished).
 */
export async function recordMediaStored(
  prisma: PrismaClient,
  input: { messageId: string; media: { download: MediaDownloadState } & Record<string, unknown> },
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const deleted = await tx.mediaDownload.deleteMany({ where: { messageId: input.messageId } });
    if (deleted.count === 0) return false;
    await mergeMedia(tx, input.messageId, input.media, 'announce');
    return true;
  });
}

/**
 * A failed attempt, only while the claim is still ours (a worker that took over after it ran out owns the row now):
 * given up → the row deleted and the failure announced; otherwise the next attempt scheduled, quietly (only the
 * outcome is announced to open consoles, not every attempt on the way).
 */
export async function recordMediaFailure(
  prisma: PrismaClient,
  row: ClaimedMediaDownload,
  failure: { givingUp: boolean; download: MediaDownloadState; nextAttemptAt: Date },
): Promise<boolean> {
  const { download } = failure;
  return prisma.$transaction(async (tx) => {
    const where = { messageId: row.messageId, lockedUntil: row.claimedUntil };
    const changed = failure.givingUp
      ? await tx.mediaDownload.deleteMany({ where })
      : await tx.mediaDownload.updateMany({
          where,
          data: { attempts: download.attempts, lastError: download.error ?? null, nextAttemptAt: failure.nextAttemptAt, lockedUntil: null },
        });
    if (changed.count === 0) return false;
    await mergeMedia(tx, row.messageId, { download }, failure.givingUp ? 'announce' : 'quiet');
    return true;
  });
}

/** Unclaimed downloads of `provider` due by `now`, the longest waiting first. */
export async function dueMediaDownloads(
  prisma: PrismaClient,
  input: { provider: MediaDownloadProvider; now: Date; limit: number },
): Promise<{ messageId: string; instanceId: string }[]> {
  return prisma.mediaDownload.findMany({
    where: { provider: input.provider, nextAttemptAt: { lte: input.now }, ...unclaimed(input.now) },
    select: { messageId: true, instanceId: true },
    orderBy: { nextAttemptAt: 'asc' },
    take: input.limit,
  });
}

/**
 * Replaces fields of the message's `content.media` in place (one statement: an edit of the same message committed
 * meanwhile is kept, not overwritten by a stale copy of the content). `announce` publishes `message.content-changed`
 * in the same transaction, so a console showing the message swaps the placeholder for the file.
 */
async function mergeMedia(
  tx: Transaction,
  messageId: string,
  fields: { download: MediaDownloadState } & Record<string, unknown>,
  mode: 'announce' | 'quiet',
): Promise<void> {
  const [updated] = await tx.$queryRaw<{ businessId: string; conversationId: string }[]>(Prisma.sql`
    UPDATE message SET content = jsonb_set(content, '{media}', COALESCE(content->'media', '{}'::jsonb) || ${JSON.stringify(fields)}::jsonb)
    WHERE id = ${messageId}::uuid
    RETURNING "businessId"::text, "conversationId"::text`);
  if (!updated || mode === 'quiet') return;
  const event = MessageContentChanged.create(
    { businessId: updated.businessId, conversationId: updated.conversationId, messageId, change: 'media' },
    { id: `message.content-changed:media:${messageId}:${fields.download.state}` },
  );
  await enqueueEvent(tx, MessageContentChanged.topic, event, { key: updated.conversationId });
}
