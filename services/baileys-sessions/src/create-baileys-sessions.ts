import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { PrismaClient, SecretBox } from '@app/db';
import type { SessionStatus } from '@app/domain';
import type { EventSubscriber, ObjectStore } from '@app/runtime/ports';
import type { Logger } from '@app/runtime/service';
import { fetchLatestWaWebVersion } from '@whiskeysockets/baileys';
import type { Redis } from 'ioredis';
import type { AuthStateStore } from './auth-state/auth-state-store.ts';
import { createPostgresAuthStateStore } from './auth-state/postgres-auth-state-store.ts';
import { createRedisAuthStateStore } from './auth-state/redis-auth-state-store.ts';
import { adoptRedisAuthState } from './auth-state/adopt-redis-auth-state.ts';
import { assertRedisKeepsAuthState } from './auth-state/redis-durability.ts';
import { createBaileysSocketFactory } from './baileys/baileys-socket-factory.ts';
import { createWaWebVersionSource, parseWaVersion } from './baileys/wa-web-version.ts';
import type { BaileysSessionsConfig } from './config.ts';
import { createSentMessageRepository, startSentMessagePruning } from './delivery/sent-message.repository.ts';
import { createBaileysEgressHandler } from './egress/baileys-egress.subscription.ts';
import { createStuckSendSweep } from './egress/stuck-sends.ts';
import { createInstanceGovernorSettings, governorDefaultsFromConfig } from './governor/instance-governor-settings.ts';
import { createBaileysIngest, type BaileysIngest } from './ingest/baileys-ingest.ts';
import { createSessionLeaseRepository } from './lease/session-lease.repository.ts';
import { createBaileysMediaDownloads, type BaileysMediaDownloads } from './media/baileys-media-downloads.ts';
import { createBaileysMediaDownloader, type BaileysMediaDownloader } from './media/media-downloader.ts';
import { createFfmpegVoiceNoteConverter, type VoiceNoteConverter } from './media/voice-note-converter.ts';
import { BaileysRejectionGuard } from './session/rejection-guard.ts';
import { SessionHost } from './session/session-host.ts';
import type { SocketFactory } from './session/session-socket.ts';
import { systemTimers, type Timers } from './session/timers.ts';

export interface BaileysSessionsDependencies {
  prisma: PrismaClient;
  logger: Logger;
  /** Seals the auth state at rest (the platform's credentials key). */
  secretBox: SecretBox;
  /** The egress subscribes to `messages.outbound` here. */
  pubsub: EventSubscriber;
  config: BaileysSessionsConfig;
  /** Required when the auth state lives in Redis (BAILEYS_AUTH_STORE=redis); otherwise unused here. */
  redis?: Redis | null;
  /** Default: Baileys' makeWASocket. Tests pass the fake socket factory. */
  socketFactory?: SocketFactory;
  /** Inbound media are downloaded into it and outbound media read from it; without it media stay metadata only. */
  objectStore?: ObjectStore;
  /** Default: Baileys' downloadMediaMessage. Tests inject bytes. */
  mediaDownloader?: BaileysMediaDownloader;
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
  media: BaileysMediaDownloads | null;
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
  // PostgreSQL unless Redis is chosen explicitly: a Redis that evicts or restarts empty unlinks every number.
  const authRedis = config.BAILEYS_AUTH_STORE === 'redis' ? deps.redis : null;
  if (config.BAILEYS_AUTH_STORE === 'redis' && !authRedis) throw new Error('BAILEYS_AUTH_STORE=redis needs a Redis connection (REDIS_URL).');
  const authStore = authRedis ? createRedisAuthStateStore(authRedis) : createPostgresAuthStateStore(deps.prisma);
  const logger = deps.logger.child({ service: 'baileys-sessions' });
  // The host is created below; the media path only asks it for open sockets later, at run time.
  let sessionHost: SessionHost | null = null;
  const media = deps.objectStore
    ? createBaileysMediaDownloads({
        prisma: deps.prisma,
        objectStore: deps.objectStore,
        downloader:
          deps.mediaDownloader ??
          createBaileysMediaDownloader({ logger, reuploadSocket: (instanceId) => sessionHost?.session(instanceId)?.openSocket() ?? null }),
        secretBox: deps.secretBox,
        logger,
        ownsInstance: (instanceId) => !!sessionHost?.session(instanceId),
        sweepIntervalMs: config.BAILEYS_MEDIA_RETRY_SECONDS * 1_000,
        maxAttempts: config.BAILEYS_MEDIA_MAX_ATTEMPTS,
        ...(deps.timers ? { timers: deps.timers } : {}),
      })
    : null;
  const waVersion = createWaWebVersionSource({ configured: parseWaVersion(config.BAILEYS_WA_VERSION), fetchLatest: fetchLatestWaWebVersion, logger });
  const sentMessages = createSentMessageRepository({ prisma: deps.prisma, secretBox: deps.secretBox });
  const ingest = createBaileysIngest({
    ...(media ? { media } : {}),
    // 463 on a send: the account is restricted; first contacts pause (the session shows it).
    onRestriction: (instanceId) => sessionHost?.session(instanceId)?.noteRestriction('error-463'),
    prisma: deps.prisma,
    logger,
    allowGroups: config.BAILEYS_ALLOW_GROUPS,
    ...(deps.onStored ? { onStored: deps.onStored } : {}),
    ...(deps.timers ? { timers: deps.timers } : {}),
  });
  const host = new SessionHost({
    prisma: deps.prisma,
    hostId: config.BAILEYS_HOST_ID ?? `${hostname()}-${randomBytes(4).toString('hex')}`,
    socketFactory: deps.socketFactory ?? createBaileysSocketFactory({ version: () => waVersion.current() }),
    authStore,
    secretBox: deps.secretBox,
    leases: createSessionLeaseRepository(deps.prisma),
    sentMessages,
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
  const inFlight = new Set<string>();
  const stuckSends = createStuckSendSweep({
    prisma: deps.prisma,
    hostId: host.hostId,
    slots: config.BAILEYS_SLOTS,
    inFlight,
    thresholdMs: config.BAILEYS_STUCK_SEND_SECONDS * 1_000,
    intervalMs: (config.BAILEYS_STUCK_SEND_SECONDS * 1_000) / 2,
    timers: deps.timers ?? systemTimers,
    logger,
  });
  deps.pubsub.subscribe(
    createBaileysEgressHandler({
      voiceNotes: deps.voiceNotes ?? createFfmpegVoiceNoteConverter({ ffmpegPath: config.FFMPEG_PATH }),
      prisma: deps.prisma,
      sessions: host,
      logger,
      ...(deps.timers ? { timers: deps.timers } : {}),
      ...(deps.random ? { random: deps.random } : {}),
      ...(deps.objectStore ? { objectStore: deps.objectStore } : {}),
      inFlight,
      sentMessages,
      // Instance.baileysSettings over the BAILEYS_* defaults.
      governorConfig: createInstanceGovernorSettings({
        prisma: deps.prisma,
        defaults: governorDefaultsFromConfig(config),
        ...(deps.timers ? { clock: deps.timers } : {}),
      }),
    }),
  );
  let pruning: { stop(): void } | null = null;
  const rejections = new BaileysRejectionGuard(logger);
  return {
    host,
    ingest,
    authStore,
    media,
    async start() {
      if (authRedis) await assertRedisKeepsAuthState(authRedis);
      else if (deps.redis) {
        // Upgrading from the days Redis was picked whenever REDIS_URL was set: keep those numbers linked.
        const instances = await deps.prisma.instance.findMany({
          where: { provider: 'BAILEYS', ...(config.BAILEYS_SLOTS ? { slot: { in: config.BAILEYS_SLOTS } } : {}) },
          select: { id: true },
        });
        await adoptRedisAuthState({ redis: deps.redis, target: authStore, instanceIds: instances.map((instance) => instance.id), logger });
      }
      rejections.install();
      // Only the real socket talks to WhatsApp; a test's socket factory needs no version (and no network).
      if (!deps.socketFactory) await waVersion.refresh();
      await host.start();
      media?.start();
      stuckSends.start();
      pruning = startSentMessagePruning({ repository: sentMessages, timers: deps.timers ?? systemTimers, logger });
    },
    async stop() {
      pruning?.stop();
      rejections.uninstall();
      await stuckSends.stop();
      await host.stop();
      await ingest.idle();
      await media?.stop();
    },
  };
}
