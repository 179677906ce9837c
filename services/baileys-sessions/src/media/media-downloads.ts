import type { PrismaClient, SecretBox } from '@app/db';
import type { Logger, ObjectStore } from '@app/runtime';
import { systemTimers, type TimerHandle, type Timers } from '../session/timers.ts';
import type { MediaDownloader } from './media-downloader.ts';
import { inboundMediaKey } from './media-object-key.ts';
import { decodeMediaSource, encodeMediaSource, type MediaSource } from './media-source.ts';

export interface MediaDownloadsDependencies {
  prisma: PrismaClient;
  objectStore: ObjectStore;
  downloader: MediaDownloader;
  /** Seals the download source at rest: it holds the file's media key. */
  secretBox: SecretBox;
  logger: Logger;
  /** Only downloads of instances this process runs are retried here (the owner of the session). */
  ownsInstance: (instanceId: string) => boolean;
  timers?: Timers;
  /** Attempts before the file is given up (default 8: 30 s, 1 min, 2 min … capped at 1 h between tries). */
  maxAttempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How often due retries are looked for (default 60 s). */
  sweepIntervalMs?: number;
  /** Downloads running at once in this process (default 2). */
  concurrency?: number;
}

export interface MediaDownloads {
  /** The row to write next to a new message (same transaction): nothing is lost if the process dies now. */
  pendingRow(input: { messageId: string; businessId: string; instanceId: string; source: MediaSource }): {
    messageId: string;
    businessId: string;
    instanceId: string;
    source: string;
  };
  /** Try a download now (after its message was committed). */
  kick(messageId: string): void;
  /** Try every due download of the instances this process runs. */
  retryDue(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
  /** Resolves when every download started so far has finished (tests, shutdown). */
  idle(): Promise<void>;
  readonly counters: { stored: number; failedAttempts: number; givenUp: number };
}

type DownloadState = { state: 'pending' | 'stored' | 'failed'; attempts: number; error?: string };

/**
 * Inbound media → the object store. A message with media is stored at once with its metadata and
 * `media.download.state = 'pending'`, and a `baileys_media_download` row in the same transaction. The download then
 * runs outside the message path (a large video never delays the next text). Success: the object is written under
 * `media/<business>/<instance>/<message>.<ext>`, and in one transaction the message gets `media.mediaId` (that key),
 * `media.size` and state `stored`, and the row is deleted. Failure: the row's next attempt is pushed back
 * exponentially and the message shows the attempts and the error; after the last attempt the state is `failed`.
 * A crash between the object write and the commit only means the same key is written again on the next try.
 */
export function createMediaDownloads(deps: MediaDownloadsDependencies): MediaDownloads {
  const timers = deps.timers ?? systemTimers;
  const maxAttempts = deps.maxAttempts ?? 8;
  const retryBaseMs = deps.retryBaseMs ?? 30_000;
  const retryMaxMs = deps.retryMaxMs ?? 3_600_000;
  const sweepIntervalMs = deps.sweepIntervalMs ?? 60_000;
  const concurrency = deps.concurrency ?? 2;
  const running = new Map<string, Promise<void>>();
  const waiting: string[] = [];
  const counters = { stored: 0, failedAttempts: 0, givenUp: 0 };
  let sweepTimer: TimerHandle | undefined;
  let stopped = true;
  let sweeping: Promise<unknown> | null = null;

  const associatedData = (messageId: string) => `baileys-media:${messageId}`;

  function pump(): void {
    while (running.size < concurrency && waiting.length > 0) {
      const messageId = waiting.shift()!;
      if (running.has(messageId)) continue;
      const work = attempt(messageId)
        .catch((error: unknown) => deps.logger.error({ event: 'baileys_media.error', messageId, err: error }, 'media download bookkeeping failed'))
        .finally(() => {
          running.delete(messageId);
          pump();
        });
      running.set(messageId, work);
    }
  }

  function kick(messageId: string): void {
    if (running.has(messageId) || waiting.includes(messageId)) return;
    waiting.push(messageId);
    pump();
  }

  async function attempt(messageId: string): Promise<void> {
    const row = await deps.prisma.baileysMediaDownload.findUnique({ where: { messageId } });
    if (!row) return;
    const message = await deps.prisma.message.findFirst({ where: { id: messageId, businessId: row.businessId }, select: { content: true } });
    if (!message) {
      await deps.prisma.baileysMediaDownload.deleteMany({ where: { messageId } });
      return;
    }
    const media = mediaOf(message.content);
    let body: Buffer;
    try {
      const source = decodeMediaSource(deps.secretBox.decrypt(row.source, associatedData(messageId)));
      body = await deps.downloader.download({ instanceId: row.instanceId, source });
    } catch (error) {
      await recordFailure(row, (error as Error).message ?? String(error));
      return;
    }
    const key = inboundMediaKey({ businessId: row.businessId, instanceId: row.instanceId, messageId, mimeType: media?.mimeType ?? null });
    await deps.objectStore.put(key, body, media?.mimeType ?? 'application/octet-stream');
    await deps.prisma.$transaction(async (tx) => {
      const deleted = await tx.baileysMediaDownload.deleteMany({ where: { messageId } });
      if (deleted.count === 0) return;
      const current = await tx.message.findUniqueOrThrow({ where: { id: messageId }, select: { content: true } });
      const download: DownloadState = { state: 'stored', attempts: row.attempts + 1 };
      await tx.message.update({ where: { id: messageId }, data: { content: withMedia(current.content, { mediaId: key, size: body.length, download }) } });
    });
    counters.stored += 1;
    deps.logger.info({ event: 'baileys_media.stored', messageId, key, size: body.length }, 'media stored');
  }

  async function recordFailure(row: { messageId: string; attempts: number }, error: string): Promise<void> {
    const attempts = row.attempts + 1;
    const givingUp = attempts >= maxAttempts;
    const delayMs = Math.min(retryBaseMs * 2 ** (attempts - 1), retryMaxMs);
    counters.failedAttempts += 1;
    if (givingUp) counters.givenUp += 1;
    const download: DownloadState = { state: givingUp ? 'failed' : 'pending', attempts, error: error.slice(0, 500) };
    await deps.prisma.$transaction(async (tx) => {
      if (givingUp) await tx.baileysMediaDownload.deleteMany({ where: { messageId: row.messageId } });
      else {
        await tx.baileysMediaDownload.updateMany({
          where: { messageId: row.messageId },
          data: { attempts, lastError: download.error ?? null, nextAttemptAt: new Date(timers.now().getTime() + delayMs) },
        });
      }
      const current = await tx.message.findUnique({ where: { id: row.messageId }, select: { content: true } });
      if (current) await tx.message.update({ where: { id: row.messageId }, data: { content: withMedia(current.content, { download }) } });
    });
    deps.logger.warn({ event: 'baileys_media.download_failed', messageId: row.messageId, attempts, givingUp, err: error }, 'media download failed');
  }

  async function retryDue(): Promise<number> {
    const due = await deps.prisma.baileysMediaDownload.findMany({
      where: { nextAttemptAt: { lte: timers.now() } },
      select: { messageId: true, instanceId: true },
      orderBy: { nextAttemptAt: 'asc' },
      take: 50,
    });
    const mine = due.filter((row) => deps.ownsInstance(row.instanceId));
    for (const row of mine) kick(row.messageId);
    return mine.length;
  }

  function scheduleSweep(): void {
    if (stopped) return;
    sweepTimer = timers.setTimeout(() => {
      sweeping = retryDue()
        .catch((error: unknown) => deps.logger.warn({ event: 'baileys_media.sweep_failed', err: error }, 'looking for media retries failed'))
        .finally(() => {
          sweeping = null;
          scheduleSweep();
        });
    }, sweepIntervalMs);
  }

  return {
    counters,
    pendingRow: ({ messageId, businessId, instanceId, source }) => ({
      messageId,
      businessId,
      instanceId,
      source: deps.secretBox.encrypt(encodeMediaSource(source), associatedData(messageId)),
    }),
    kick,
    retryDue,
    start() {
      if (!stopped) return;
      stopped = false;
      scheduleSweep();
    },
    async stop() {
      stopped = true;
      timers.clearTimeout(sweepTimer);
      waiting.length = 0;
      await Promise.all([sweeping, ...running.values()]);
    },
    async idle() {
      while (sweeping || running.size > 0 || waiting.length > 0) await Promise.all([sweeping, ...running.values()]);
    },
  };
}

function mediaOf(content: unknown): { mimeType?: string } | null {
  const media = (content as { media?: { mimeType?: string } } | null)?.media;
  return media && typeof media === 'object' ? media : null;
}

/** The content with `media` fields replaced (content is the stored JSON; only `media` changes). */
function withMedia(content: unknown, fields: Record<string, unknown>): object {
  const record = (content ?? {}) as Record<string, unknown>;
  const media = (record['media'] ?? {}) as Record<string, unknown>;
  return { ...record, media: { ...media, ...fields } };
}
