import type { Response } from 'express';
import { Redis } from 'ioredis';
import type { PrismaClient } from '@app/db';
import type { Clock, Subscription } from '@app/runtime/ports';
import type { Logger } from '@app/runtime/service';
import type { TenantContext } from '../http/tenant-context.ts';
import { createInProcessLiveChannel } from './in-process-live-channel.ts';
import type { LiveChannel, ReplayBufferLimits } from './live-channel.ts';
import { createLiveOutboxSubscriptions } from './live-outbox.subscription.ts';
import { defaultLiveStreamSettings, openLiveStream, type LiveStreamRegistry, type LiveStreamSettings } from './live-stream.ts';
import { createInMemoryLiveTickets, createRedisLiveTickets, type LiveTickets } from './live-tickets.ts';
import { createRedisLiveChannel } from './redis-live-channel.ts';

export interface LiveUpdatesOptions {
  prisma: PrismaClient;
  logger: Logger;
  clock: Clock;
  /** Set: tickets, replay buffer and fan-out in Redis, shared by every replica. Unset: in this process only. */
  redisUrl?: string;
  /** Prefixes every Redis key and channel (tests share one Redis). */
  keyPrefix?: string;
  limits?: ReplayBufferLimits;
  /** How long a business counts as watched after its last stream ended (defaultWatchLingerMs). */
  watchLingerMs?: number;
  stream?: Partial<LiveStreamSettings>;
}

/**
 * Live updates for the console. `subscriptions` go on the host's pub/sub (group tenant-api-live); pass the whole
 * object to createTenantApi as `live`, which serves POST /live/tickets and GET /live on its router.
 */
export interface LiveUpdates {
  subscriptions: Subscription[];
  tickets: LiveTickets;
  channel: LiveChannel;
  /** Serves one SSE stream on `response` for an already authenticated tenant. */
  openStream(response: Response, input: { tenant: TenantContext; lastEventId: string | null }): Promise<void>;
  /** Streams open in this process. */
  openStreamCount(): number;
  /** Ends every stream (clients reconnect elsewhere or after a restart) and closes the Redis connections. */
  stop(): Promise<void>;
}

export function createLiveUpdates(options: LiveUpdatesOptions): LiveUpdates {
  const { logger, clock } = options;
  const redis = options.redisUrl ? new Redis(options.redisUrl, { maxRetriesPerRequest: 3 }) : null;
  redis?.on('error', (error: Error) => logger.warn({ event: 'live.redis_error', err: error }, 'live updates: Redis connection error'));
  const channel = redis
    ? createRedisLiveChannel({ redis, logger, keyPrefix: options.keyPrefix, limits: options.limits, watchLingerMs: options.watchLingerMs })
    : createInProcessLiveChannel({ clock, limits: options.limits, watchLingerMs: options.watchLingerMs });
  const tickets = redis ? createRedisLiveTickets({ redis, clock, keyPrefix: options.keyPrefix }) : createInMemoryLiveTickets({ clock });
  const settings = { ...defaultLiveStreamSettings, ...options.stream };
  const streams: LiveStreamRegistry = new Map();
  let stopped = false;

  const endAllStreams = () => {
    for (const end of [...streams.keys()]) end();
  };
  channel.onInterrupted(() => {
    logger.warn(
      { event: 'live.fan_out_interrupted', streams: streams.size },
      'live fan-out reconnected: ending streams so clients resume from their last id',
    );
    endAllStreams();
  });
  logger.info({ event: 'live.started', fanOut: redis ? 'redis' : 'in-process' }, `live updates fan out ${redis ? 'through Redis' : 'in process'}`);

  let stopping: Promise<void> | undefined;
  return {
    subscriptions: createLiveOutboxSubscriptions({ prisma: options.prisma, logger, clock, channel, isStopped: () => stopped }),
    tickets,
    channel,
    openStream: (response, input) => openLiveStream({ channel, logger, settings, streams }, response, input),
    openStreamCount: () => streams.size,
    stop: () =>
      (stopping ??= (async () => {
        stopped = true;
        endAllStreams();
        await channel.close();
        await redis?.quit().catch(() => redis.disconnect());
      })()),
  };
}
