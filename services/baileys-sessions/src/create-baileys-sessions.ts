import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { PrismaClient, SecretBox } from '@app/db';
import type { EventSubscriber, Logger, ObjectStore } from '@app/runtime';
import type { Redis } from 'ioredis';
import type { AuthStateStore } from './auth-state/auth-state-store.ts';
import { createPostgresAuthStateStore } from './auth-state/postgres-auth-state-store.ts';
import { createRedisAuthStateStore } from './auth-state/redis-auth-state-store.ts';
import { createBaileysSocketFactory } from './baileys/baileys-socket-factory.ts';
import type { BaileysSessionsConfig } from './config.ts';
import { createBaileysEgressHandler } from './egress/baileys-egress.subscription.ts';
import { createBaileysIngest, type BaileysIngest } from './ingest/baileys-ingest.ts';
import { createSessionLeaseRepository } from './lease/session-lease.repository.ts';
import { createBaileysMediaDownloader, type MediaDownloader } from './media/media-downloader.ts';
import { createMediaDownloads, type MediaDownloads } from './media/media-downloads.ts';
import { createFfmpegVoiceNoteConverter, type VoiceNoteConverter } from './media/voice-note-converter.ts';
import { SessionHost } from './session/session-host.ts';
import type { SessionStatus } from './session/session-status.ts';
import type { SocketFactory } from './session/session-socket.ts';
import type { Timers } from './session/timers.ts';

export interface BaileysSessionsDependencies {
  prisma: PrismaClient;
  logger: Logger;
  /** Seals the auth state at rest (the platform's credentials key). */
  secretBox: SecretBox;
  /** The egress subscribes to `messages.outbound` here. */
  pubsub: EventSubscriber;
  config: BaileysSessionsConfig;
  /** Required when the auth state lives in Redis. */
  redis?: Redis | null;
  /** Default: Baileys' makeWASocket. Tests pass the fake socket factory. */
  socketFactory?: SocketFactory;
  /** Inbound media are downloaded into it and outbound media read from it; without it media stay metadata only. */
  objectStore?: ObjectStore;
  /** Default: Baileys' downloadMediaMessage. Tests inject bytes. */
  mediaDownloader?: MediaDownloader;
  /** Default: ffmpeg at FFMPEG_PATH. */
  voiceNotes?: VoiceNoteConverter;
  /** Something was stored (wake the local pub/sub). */
  onStored?: () => void;
  onStatus?: (status: SessionStatus) => void;
  timers?: Timers;
  random?: () => number;
}

export interface BaileysSessions {
  host: SessionHost;
  ingest: BaileysIngest;
  authStore: AuthStateStore;
  /** Inbound media downloads (null without an object store). */
  media: MediaDownloads | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The baileys-sessions service as a library: a SessionHost (sessions, leases, watchdog), the inbound path
 * (socket events → stored messages and statuses) and the egress subscription (BAILEYS sends through the governor).
 * Nothing connects until `start()`. The host is also the tenant API's SessionControl.
 */
export function createBaileysSessions(deps: BaileysSessionsDependencies): BaileysSessions {
  const { config } = deps;
  const useRedis = config.BAILEYS_AUTH_STORE === 'redis' || (config.BAILEYS_AUTH_STORE === 'auto' && !!deps.redis);
  if (useRedis && !deps.redis) throw new Error('BAILEYS_AUTH_STORE=redis needs a Redis connection (REDIS_URL).');
  const authStore = useRedis && deps.redis ? createRedisAuthStateStore(deps.redis) : createPostgresAuthStateStore(deps.prisma);
  const logger = deps.logger.child({ service: 'baileys-sessions' });
  // The host is created below; the media path only asks it for open sockets later, at run time.
  let sessionHost: SessionHost | null = null;
  const media = deps.objectStore
    ? createMediaDownloads({
        prisma: deps.prisma,
        objectStore: deps.objectStore,
        downloader:
          deps.mediaDownloader ?? createBaileysMediaDownloader({ logger, reuploadSocket: (instanceId) => sessionHost?.session(instanceId)?.openSocket() ?? null }),
        secretBox: deps.secretBox,
        logger,
        ownsInstance: (instanceId) => !!sessionHost?.session(instanceId),
        sweepIntervalMs: config.BAILEYS_MEDIA_RETRY_SECONDS * 1_000,
        maxAttempts: config.BAILEYS_MEDIA_MAX_ATTEMPTS,
        ...(deps.timers ? { timers: deps.timers } : {}),
      })
    : null;
  const ingest = createBaileysIngest({
    ...(media ? { media } : {}),
    prisma: deps.prisma,
    logger,
    allowGroups: config.BAILEYS_ALLOW_GROUPS,
    ...(deps.onStored ? { onStored: deps.onStored } : {}),
    ...(deps.timers ? { timers: deps.timers } : {}),
  });
  const host = new SessionHost({
    prisma: deps.prisma,
    hostId: config.BAILEYS_HOST_ID ?? `${hostname()}-${randomBytes(4).toString('hex')}`,
    socketFactory: deps.socketFactory ?? createBaileysSocketFactory(),
    authStore,
    secretBox: deps.secretBox,
    leases: createSessionLeaseRepository(deps.prisma),
    logger,
    handlers: {
      onMessages: (instanceId, upsert) => ingest.onMessages(instanceId, upsert),
      onMessageUpdates: (instanceId, updates) => ingest.onMessageUpdates(instanceId, updates),
      ...(deps.onStatus ? { onStatus: deps.onStatus } : {}),
    },
    config: {
      slots: config.BAILEYS_SLOTS,
      startStaggerMs: config.BAILEYS_START_STAGGER_MS,
      leaseTtlMs: config.BAILEYS_LEASE_TTL_SECONDS * 1_000,
      leaseRenewMs: (config.BAILEYS_LEASE_TTL_SECONDS * 1_000) / 3,
      leaseSafetyMs: (config.BAILEYS_LEASE_TTL_SECONDS * 1_000) / 6,
      leaseRetryMs: (config.BAILEYS_LEASE_TTL_SECONDS * 1_000) / 2,
      backoff: { baseMs: 2_000, maxMs: config.BAILEYS_RECONNECT_MAX_SECONDS * 1_000, jitter: 0.5 },
      watchdog: {
        checkIntervalMs: config.BAILEYS_WATCHDOG_INTERVAL_SECONDS * 1_000,
        maxSilenceMs: config.BAILEYS_WATCHDOG_SILENCE_SECONDS * 1_000,
        pingTimeoutMs: 15_000,
        maxFailedPings: 2,
      },
    },
    ...(deps.timers ? { timers: deps.timers } : {}),
    ...(deps.random ? { random: deps.random } : {}),
  });
  sessionHost = host;
  deps.pubsub.subscribe(
    createBaileysEgressHandler({
      voiceNotes: deps.voiceNotes ?? createFfmpegVoiceNoteConverter({ ffmpegPath: config.FFMPEG_PATH }),
      prisma: deps.prisma,
      sessions: host,
      logger,
      ...(deps.timers ? { timers: deps.timers } : {}),
      ...(deps.random ? { random: deps.random } : {}),
      ...(deps.objectStore ? { objectStore: deps.objectStore } : {}),
      governorConfig: () => ({
        maxPerMinute: config.BAILEYS_MAX_PER_MINUTE,
        minGapPerRecipientMs: config.BAILEYS_MIN_GAP_PER_RECIPIENT_MS,
        newContactsPerDay: config.BAILEYS_NEW_CONTACTS_PER_DAY,
        ...(config.BAILEYS_TYPING ? {} : { minTypingMs: 0, maxTypingMs: 0, jitterMs: 0 }),
      }),
    }),
  );
  return {
    host,
    ingest,
    authStore,
    media,
    async start() {
      await host.start();
      media?.start();
    },
    async stop() {
      await host.stop();
      await ingest.idle();
      await media?.stop();
    },
  };
}
