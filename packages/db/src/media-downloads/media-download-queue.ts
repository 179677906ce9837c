import { MessageContentChanged } from '@app/domain';
import type { Logger, ObjectStore } from '@app/runtime';
import type { SecretBox } from '../crypto/secret-box.ts';
import { enqueueEvent } from '../outbox/enqueue-event.ts';
import type { Transaction } from '../database.ts';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import { MediaDownloadError } from './media-download-error.ts';
import { downloadFailure, downloadRetryDelayMs, mediaOfContent, type MediaDownloadState } from './media-download-state.ts';
import type { MediaDownloader, MediaDownloadProvider, MediaSourceCodec } from './media-downloader.ts';
import { inboundMediaKey } from './media-object-key.ts';
import { sniffMediaType } from './sniff-media-type.ts';

/** Scheduling as the queue sees it; services pass their own (tests drive a fake one with the same clock). */
export interface MediaDownloadTimers {
  now(): Date;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemTimers: MediaDownloadTimers = {
  now: () => new Date(),
  setTimeout: (callback, delayMs) => {
    const handle = setTimeout(callback, delayMs);
    // The sweep must not keep a stopping process alive.
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout> | undefined),
};

export interface MediaDownloadQueueDependencies<Source> {
  prisma: PrismaClient;
  objectStore: ObjectStore;
  /** This queue works only on this provider's rows (another deployable may run another provider's queue). */
  provider: MediaDownloadProvider;
  downloader: MediaDownloader<Source>;
  sourceCodec: MediaSourceCodec<Source>;
  /** Seals the source at rest (a Baileys source holds the file's media key). */
  secretBox: SecretBox;
  logger: Logger;
  /** Only rows of instances this process serves are swept (Baileys: the owner of the session). Default: all. */
  ownsInstance?: (instanceId: string) => boolean;
  timers?: MediaDownloadTimers;
  /** Attempts before the file is given up (default 8: 30 s, 1 min, 2 min … capped at 1 h between tries). */
  maxAttempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How often due retries are looked for (default 60 s); the first look is right at `start()`. */
  sweepIntervalMs?: number;
  /** Downloads running at once in this process (default 2). */
  concurrency?: number;
  /** How long a started download holds its row before another worker may take it over (default 10 min). */
  claimMs?: number;
}

/** What `recordInboundMessage` writes next to a new message (same statement): the download's durable trail. */
export interface PendingMediaDownload {
  provider: MediaDownloadProvider;
  /** The provider's source, sealed for this message. */
  source: string;
}

export interface MediaDownloadQueue<Source> {
  readonly provider: MediaDownloadProvider;
  /** The row for a new message with media, to store together with it (`recordInboundMessage({ mediaDownload })`). */
  pendingDownload(input: { messageId: string; source: Source }): PendingMediaDownload;
  /** Try a download now, whatever its backoff (after its message was committed); returns at once. */
  kick(messageId: string): void;
  /** Try every due download of this provider (and of the instances this process serves). */
  retryDue(): Promise<number>;
  /** Looks for due downloads at once (a restart resumes what the last process left) and then periodically. */
  start(): void;
  stop(): Promise<void>;
  /** Resolves when every download started so far has finished (tests, shutdown). */
  idle(): Promise<void>;
  readonly counters: { stored: number; failedAttempts: number; givenUp: number };
}

interface ClaimedRow {
  messageId: string;
  businessId: string;
  instanceId: string;
  source: string;
  attempts: number;
  /** The row's lockedUntil while this worker holds it: every later write checks it is still ours. */
  claimedUntil: Date;
}

/**
 * Inbound media → the object store, for any provider. A message with media is stored at once with its metadata
 * and `media.download.state = 'pending'`, and a `media_download` row in the same statement. The download then runs
 * outside the message path (a large video never delays the next text, a webhook is answered before it). A worker
 * claims a row (`lockedUntil`, set only when nobody holds it: two replicas never fetch the same file at once; the
 * claim of a worker that died runs out and the row is swept again). Success: the object is written under
 * `media/<business>/<instance>/<message>.<ext>` with the type sniffed from its bytes (never the sender's claim), and
 * in one transaction the message gets `media.mediaId` (that key), that `media.mimeType`, `media.size` and state
 * `stored`, and the row is deleted. Failure: the next attempt is pushed back
 * exponentially and the message shows the attempts and the error; after the last attempt, or at once when the
 * downloader says the file is gone for good, the state is `failed`. A crash between the object write and the
 * commit only means the same key is written again on the next try.
 */
export function createMediaDownloadQueue<Source>(deps: MediaDownloadQueueDependencies<Source>): MediaDownloadQueue<Source> {
  const timers = deps.timers ?? systemTimers;
  const { provider } = deps;
  const maxAttempts = deps.maxAttempts ?? 8;
  const retry = { baseMs: deps.retryBaseMs ?? 30_000, maxMs: deps.retryMaxMs ?? 3_600_000 };
  const sweepIntervalMs = deps.sweepIntervalMs ?? 60_000;
  const concurrency = deps.concurrency ?? 2;
  const claimMs = deps.claimMs ?? 600_000;
  const ownsInstance = deps.ownsInstance ?? (() => true);
  const running = new Map<string, Promise<void>>();
  const waiting: string[] = [];
  const counters = { stored: 0, failedAttempts: 0, givenUp: 0 };
  const log = deps.logger.child({ component: 'media-downloads', provider });
  let sweepTimer: unknown;
  let stopped = true;
  let sweeping: Promise<unknown> | null = null;

  // Binds a sealed source to its provider and message ("baileys-media:<id>" is what rows of before 0004 carry).
  const associatedData = (messageId: string) => `${provider.toLowerCase()}-media:${messageId}`;

  function pump(): void {
    while (running.size < concurrency && waiting.length > 0) {
      const messageId = waiting.shift()!;
      if (running.has(messageId)) continue;
      const work = attempt(messageId)
        .catch((error: unknown) => log.error({ event: 'media_download.error', messageId, err: error }, 'media download bookkeeping failed'))
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

  /** Nobody holds it, or the holder's claim ran out (it died mid-download). */
  const unclaimed = () => ({ OR: [{ lockedUntil: null }, { lockedUntil: { lt: timers.now() } }] });

  async function claim(messageId: string): Promise<ClaimedRow | null> {
    const claimedUntil = new Date(timers.now().getTime() + claimMs);
    const claimed = await deps.prisma.mediaDownload.updateMany({ where: { messageId, provider, ...unclaimed() }, data: { lockedUntil: claimedUntil } });
    // Gone (stored or given up meanwhile), another provider's, or another worker holds it.
    if (claimed.count === 0) return null;
    const row = await deps.prisma.mediaDownload.findUnique({ where: { messageId } });
    return row ? { ...row, claimedUntil } : null;
  }

  async function attempt(messageId: string): Promise<void> {
    const row = await claim(messageId);
    if (!row) return;
    const message = await deps.prisma.message.findFirst({ where: { id: messageId, businessId: row.businessId }, select: { content: true } });
    if (!message) {
      await deps.prisma.mediaDownload.deleteMany({ where: { messageId } });
      return;
    }
    const media = mediaOfContent(message.content);
    let body: Buffer;
    let mimeType: string;
    let key: string;
    try {
      const source = deps.sourceCodec.decode(deps.secretBox.decrypt(row.source, associatedData(messageId)));
      const downloaded = await deps.downloader.download({ instanceId: row.instanceId, messageId, source });
      body = downloaded.body;
      const claimed = media?.mimeType ?? downloaded.mimeType ?? null;
      const sniffed = await sniffMediaType(body, claimed);
      mimeType = sniffed.mimeType;
      if (sniffed.mismatch) log.warn({ event: 'media_download.type_mismatch', messageId, claimed, stored: mimeType }, 'media type differs from the claim');
      key = inboundMediaKey({ businessId: row.businessId, instanceId: row.instanceId, messageId, mimeType });
      // An object store that is down counts as a failed attempt too (retried with backoff, bounded).
      await deps.objectStore.put(key, body, mimeType);
    } catch (error) {
      await recordFailure(row, error);
      return;
    }
    const stored = await deps.prisma.$transaction(async (tx) => {
      const deleted = await tx.mediaDownload.deleteMany({ where: { messageId } });
      if (deleted.count === 0) return false;
      const download: MediaDownloadState = { state: 'stored', attempts: row.attempts + 1 };
      await mergeMedia(tx, messageId, { mediaId: key, mimeType, size: body.length, download }, 'announce');
      return true;
    });
    if (!stored) return;
    counters.stored += 1;
    log.info({ event: 'media_download.stored', messageId, key, size: body.length }, 'media stored');
  }

  async function recordFailure(row: ClaimedRow, error: unknown): Promise<void> {
    const attempts = row.attempts + 1;
    const failure = downloadFailure(error, attempts, maxAttempts);
    const { download } = failure;
    const retryAt = new Date(timers.now().getTime() + downloadRetryDelayMs(attempts, retry));
    const recorded = await deps.prisma.$transaction(async (tx) => {
      // Only while the claim is still ours: a worker that took over after it ran out owns the row now.
      const where = { messageId: row.messageId, lockedUntil: row.claimedUntil };
      const changed = failure.givingUp
        ? await tx.mediaDownload.deleteMany({ where })
        : await tx.mediaDownload.updateMany({ where, data: { attempts, lastError: download.error ?? null, nextAttemptAt: retryAt, lockedUntil: null } });
      if (changed.count === 0) return false;
      // Only the outcome is announced to open consoles, not every attempt on the way.
      await mergeMedia(tx, row.messageId, { download }, failure.givingUp ? 'announce' : 'quiet');
      return true;
    });
    if (!recorded) return;
    counters.failedAttempts += 1;
    if (failure.givingUp) counters.givenUp += 1;
    log.warn(
      {
        event: failure.givingUp ? 'media_download.given_up' : 'media_download.failed',
        messageId: row.messageId,
        attempts,
        code: error instanceof MediaDownloadError ? error.code : null,
        err: error,
      },
      failure.givingUp ? 'media download given up' : 'media download failed; will retry',
    );
  }

  async function retryDue(): Promise<number> {
    const due = await deps.prisma.mediaDownload.findMany({
      where: { provider, nextAttemptAt: { lte: timers.now() }, ...unclaimed() },
      select: { messageId: true, instanceId: true },
      orderBy: { nextAttemptAt: 'asc' },
      take: 50,
    });
    const mine = due.filter((row) => ownsInstance(row.instanceId));
    for (const row of mine) kick(row.messageId);
    return mine.length;
  }

  function sweep(): void {
    if (stopped) return;
    sweeping = retryDue()
      .catch((error: unknown) => log.warn({ event: 'media_download.sweep_failed', err: error }, 'looking for media retries failed'))
      .finally(() => {
        sweeping = null;
        if (!stopped) sweepTimer = timers.setTimeout(sweep, sweepIntervalMs);
      });
  }

  return {
    provider,
    counters,
    pendingDownload: ({ messageId, source }) => ({
      provider,
      source: deps.secretBox.encrypt(deps.sourceCodec.encode(source), associatedData(messageId)),
    }),
    kick,
    retryDue,
    start() {
      if (!stopped) return;
      stopped = false;
      sweep();
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

/**
 * Replaces fields of the message's `content.media` in place (one statement: an edit of the same message committed
 * meanwhile is kept, not overwritten by a stale copy of the content). `announce` publishes `message.content-changed`
 * in the same transaction, so a console showing the message swaps the placeholder for the file.
 */
async function mergeMedia(tx: Transaction, messageId: string, fields: Record<string, unknown>, mode: 'announce' | 'quiet'): Promise<void> {
  const [updated] = await tx.$queryRaw<{ businessId: string; conversationId: string }[]>(Prisma.sql`
    UPDATE message SET content = jsonb_set(content, '{media}', COALESCE(content->'media', '{}'::jsonb) || ${JSON.stringify(fields)}::jsonb)
    WHERE id = ${messageId}::uuid
    RETURNING "businessId"::text, "conversationId"::text`);
  if (!updated || mode === 'quiet') return;
  const state = (fields['download'] as MediaDownloadState).state;
  const event = MessageContentChanged.create(
    { businessId: updated.businessId, conversationId: updated.conversationId, messageId, change: 'media' },
    { id: `message.content-changed:media:${messageId}:${state}` },
  );
  await enqueueEvent(tx, MessageContentChanged.topic, event, { key: updated.conversationId });
}
