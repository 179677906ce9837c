import {
  claimMediaDownload,
  dueMediaDownloads,
  mediaDownloadMessageContent,
  recordMediaFailure,
  recordMediaStored,
  type ClaimedMediaDownload,
  type PendingMediaDownload,
  type PrismaClient,
  type SecretBox,
} from '@app/db';
import {
  downloadFailure,
  downloadRetryDelayMs,
  inboundMediaKey,
  MediaDownloadError,
  mediaOfContent,
  type MediaDownloadProvider,
  type MediaDownloadState,
} from '@app/domain';
import type { ObjectStore } from '../ports/object-store.ts';
import type { Logger } from '../service/create-logger.ts';
import type { MediaDownloader, MediaSourceCodec } from './media-downloader.ts';
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

  async function attempt(messageId: string): Promise<void> {
    const now = timers.now();
    const row = await claimMediaDownload(deps.prisma, { messageId, provider, now, claimedUntil: new Date(now.getTime() + claimMs) });
    if (!row) return;
    const message = await mediaDownloadMessageContent(deps.prisma, row);
    if (!message) return;
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
      if (sniffed.mismatch)
        log.warn({ event: 'media_download.type_mismatch', messageId, claimed, stored: mimeType }, 'media type differs from the claim');
      key = inboundMediaKey({ businessId: row.businessId, instanceId: row.instanceId, messageId, mimeType });
      // An object store that is down counts as a failed attempt too (retried with backoff, bounded).
      await deps.objectStore.put(key, body, mimeType);
    } catch (error) {
      await recordFailure(row, error);
      return;
    }
    const download: MediaDownloadState = { state: 'stored', attempts: row.attempts + 1 };
    const stored = await recordMediaStored(deps.prisma, {
      messageId,
      media: { mediaId: key, mimeType, size: body.length, download },
    });
    if (!stored) return;
    counters.stored += 1;
    log.info({ event: 'media_download.stored', messageId, key, size: body.length }, 'media stored');
  }

  async function recordFailure(row: ClaimedMediaDownload, error: unknown): Promise<void> {
    const attempts = row.attempts + 1;
    const failure = downloadFailure(error, attempts, maxAttempts);
    const nextAttemptAt = new Date(timers.now().getTime() + downloadRetryDelayMs(attempts, retry));
    const recorded = await recordMediaFailure(deps.prisma, row, { ...failure, nextAttemptAt });
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
    const due = await dueMediaDownloads(deps.prisma, { provider, now: timers.now(), limit: 50 });
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
