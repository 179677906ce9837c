import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { Logger } from '@app/runtime/service';
import {
  dedupeTtlMs,
  defaultReplayBufferLimits,
  defaultWatchLingerMs,
  type LiveChannel,
  type ReplayBufferLimits,
  type ReplayResult,
} from './live-channel.ts';
import { compareLiveEventIds, isLiveEventId, type DeliveredLiveEvent, type LiveEvent, type LiveStreamEntry } from './live-event.ts';

/** A business's stream key lives a day after its last event; the replay window itself is the trim below. */
const streamTtlMs = 24 * 60 * 60_000;

/**
 * Dedupe check, append to the business's stream (its ids are the SSE ids), trim to the replay window and
 * PUBLISH — one atomic script, so a redelivered outbox event cannot be appended or fanned out twice, and the
 * order of ids is the order of messages on the channel.
 */
const publishScript = `
if ARGV[7] == '1' then
  if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[6]) then return false end
end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[3], '*', 'event', ARGV[1])
local time = redis.call('TIME')
local cutoff = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) - tonumber(ARGV[4])
redis.call('XTRIM', KEYS[1], 'MINID', string.format('%.0f', cutoff))
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PUBLISH', ARGV[2], id .. ' ' .. ARGV[1])
return id
`;

type PublishCommand = (stream: string, seen: string, ...args: string[]) => Promise<string | null>;

const gapPayload = JSON.stringify({ type: 'gap' });

/**
 * Nobody watches the business (no replica refreshed its watcher key within the linger) → append a gap marker
 * unless the stream already ends with one, and fan it out; returns 1 when watched. Atomic with the check, so a
 * stream opened meanwhile (its watcher key set before its replay is read) either sees the marker or the events.
 */
const watchedOrMarkGapScript = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 1 end
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if last[1] and last[1][2][2] == ARGV[1] then return 0 end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[3], '*', 'event', ARGV[1])
local time = redis.call('TIME')
local cutoff = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) - tonumber(ARGV[4])
redis.call('XTRIM', KEYS[1], 'MINID', string.format('%.0f', cutoff))
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PUBLISH', ARGV[2], id .. ' ' .. ARGV[1])
return 0
`;

type WatchedOrMarkGapCommand = (stream: string, watched: string, ...args: string[]) => Promise<number>;

export interface RedisLiveChannelOptions {
  /** The command connection (the caller owns it); the subscriber connection is a duplicate the channel owns. */
  redis: Redis;
  logger: Logger;
  /** Prefixes keys and channels (tests run side by side on one Redis). */
  keyPrefix?: string;
  limits?: ReplayBufferLimits;
  /** The watcher key's TTL (see defaultWatchLingerMs). */
  watchLingerMs?: number;
}

/**
 * The channel shared by every tenant-api replica: channel `live:<businessId>`, replay buffer in the Redis stream
 * `live:{<businessId>}:stream` (hash tag: the stream and its dedupe keys share a cluster slot). One command
 * connection (shared with the tickets) and one subscriber connection (a subscribed connection can run nothing
 * else) per replica; the subscriber listens to the pattern `live:*` once instead of subscribing per business.
 */
export function createRedisLiveChannel(options: RedisLiveChannelOptions): LiveChannel {
  const prefix = options.keyPrefix ?? '';
  const limits = options.limits ?? defaultReplayBufferLimits;
  const channelPrefix = `${prefix}live:`;
  const commands = options.redis;
  const subscriber = commands.duplicate();
  commands.defineCommand('livePublish', { numberOfKeys: 2, lua: publishScript });
  const livePublish = (commands as unknown as { livePublish: PublishCommand }).livePublish.bind(commands);
  commands.defineCommand('liveWatchedOrMarkGap', { numberOfKeys: 2, lua: watchedOrMarkGapScript });
  const liveWatchedOrMarkGap = (commands as unknown as { liveWatchedOrMarkGap: WatchedOrMarkGapCommand }).liveWatchedOrMarkGap.bind(commands);
  const watchLingerMs = options.watchLingerMs ?? defaultWatchLingerMs;
  // Streams of this replica per business; each watched business's key is refreshed every third of its TTL.
  const localWatchers = new Map<string, number>();
  const pendingWatches = new Set<Promise<unknown>>();
  const watcherKey = (businessId: string) => `${prefix}live:{${businessId}}:watched`;
  const watch = (businessIds: string[]) => {
    if (businessIds.length === 0) return;
    const pipeline = commands.pipeline();
    for (const businessId of businessIds) pipeline.set(watcherKey(businessId), '1', 'PX', watchLingerMs);
    const written = pipeline
      .exec()
      .catch((error: unknown) => options.logger.warn({ event: 'live.watch_failed', err: error }, 'live updates: could not refresh watcher keys'));
    pendingWatches.add(written);
    void written.finally(() => pendingWatches.delete(written));
  };
  const refresh = setInterval(() => watch([...localWatchers.keys()]), Math.max(10, Math.floor(watchLingerMs / 3)));
  refresh.unref();

  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const interruptionListeners: Array<() => void> = [];
  let readyOnce = false;

  subscriber.on('error', (error: Error) => options.logger.warn({ event: 'live.redis_error', err: error }, 'live updates: Redis subscriber error'));
  // Messages published while the subscriber was reconnecting are gone: streams end and clients resume from the stream.
  subscriber.on('ready', () => {
    if (readyOnce) for (const listener of interruptionListeners) listener();
    readyOnce = true;
  });
  subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
    const separator = message.indexOf(' ');
    try {
      const event = { ...(JSON.parse(message.slice(separator + 1)) as LiveEvent), id: message.slice(0, separator) } as LiveStreamEntry;
      emitter.emit(channel.slice(channelPrefix.length), event);
    } catch (error) {
      options.logger.warn({ event: 'live.malformed_message', channel, err: error }, 'live updates: malformed fan-out message ignored');
    }
  });
  const subscribed = subscriber.psubscribe(`${channelPrefix}*`).then(() => undefined);
  // A failure surfaces through ready(); this only keeps an early failure from being an unhandled rejection.
  subscribed.catch(() => {});

  const streamKey = (businessId: string) => `${prefix}live:{${businessId}}:stream`;

  return {
    async publish(businessId, event, publishOptions) {
      const dedupeKey = publishOptions?.dedupeKey;
      const id = await livePublish(
        streamKey(businessId),
        `${prefix}live:{${businessId}}:seen:${dedupeKey ?? ''}`,
        JSON.stringify({ type: event.type, data: event.data }),
        `${channelPrefix}${businessId}`,
        String(limits.maxEvents),
        String(limits.maxAgeMs),
        String(streamTtlMs),
        String(dedupeTtlMs),
        dedupeKey === undefined ? '0' : '1',
      );
      return id ? ({ ...event, id } as DeliveredLiveEvent) : null;
    },

    async watchedOrMarkGap(businessId) {
      if ((localWatchers.get(businessId) ?? 0) > 0) return true;
      const watched = await liveWatchedOrMarkGap(
        streamKey(businessId),
        watcherKey(businessId),
        gapPayload,
        `${channelPrefix}${businessId}`,
        String(limits.maxEvents),
        String(limits.maxAgeMs),
        String(streamTtlMs),
      );
      return watched === 1;
    },

    subscribe(businessId, listener) {
      emitter.on(businessId, listener);
      const count = localWatchers.get(businessId) ?? 0;
      localWatchers.set(businessId, count + 1);
      // ready() waits for this write, and a stream reads its replay after ready(): see watchedOrMarkGapScript.
      if (count === 0) watch([businessId]);
      let subscribedHere = true;
      return () => {
        if (!subscribedHere) return;
        subscribedHere = false;
        emitter.off(businessId, listener);
        // The key is left to expire: other replicas may hold streams, and a reconnect within the linger resumes.
        const remaining = (localWatchers.get(businessId) ?? 1) - 1;
        if (remaining > 0) localWatchers.set(businessId, remaining);
        else localWatchers.delete(businessId);
      };
    },

    ready: async () => {
      await subscribed;
      await Promise.all([...pendingWatches]);
    },

    async replay(businessId, afterId): Promise<ReplayResult> {
      const key = streamKey(businessId);
      const resumable = afterId !== null && isLiveEventId(afterId);
      // One MULTI: the stream's bounds and the range after the client's id describe the same moment.
      const results = await commands
        .multi()
        .xinfo('STREAM', key)
        .xrange(key, resumable && afterId !== '0-0' ? `(${afterId}` : '-', '+')
        .exec();
      const [infoResult, rangeResult] = results ?? [];
      const info = infoResult && !infoResult[0] ? toRecord(infoResult[1] as unknown[]) : null;
      if (rangeResult?.[0]) throw rangeResult[0];
      const lastId = info ? String(info['last-generated-id']) : '0-0';
      if (afterId === null) return { kind: 'fresh', lastId };
      if (!resumable) return { kind: 'resync', lastId };
      const entries = ((rangeResult?.[1] ?? []) as Array<[string, string[]]>).map(([id, fields]) => toEntry(id, fields));
      // Events were skipped after the client's id (nobody watched): it must refetch.
      if (entries.some((entry) => entry.type === 'gap')) return { kind: 'resync', lastId };
      const events = entries as DeliveredLiveEvent[];
      if (!info) return afterId === '0-0' ? { kind: 'replay', events: [], lastId } : { kind: 'resync', lastId };
      const firstEntry = info['first-entry'] as [string, string[]] | null;
      // Trimming only removes the oldest entries: an id between the first entry and the newest one is still there.
      const stillBuffered = firstEntry !== null && compareLiveEventIds(afterId, firstEntry[0]) >= 0 && compareLiveEventIds(afterId, lastId) <= 0;
      const nothingTrimmed = afterId === '0-0' && Number(info['entries-added']) === Number(info['length']);
      return stillBuffered || nothingTrimmed ? { kind: 'replay', events, lastId } : { kind: 'resync', lastId };
    },

    onInterrupted(listener) {
      interruptionListeners.push(listener);
    },

    async close() {
      clearInterval(refresh);
      emitter.removeAllListeners();
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}

function toRecord(flat: unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let index = 0; index + 1 < flat.length; index += 2) record[String(flat[index])] = flat[index + 1];
  return record;
}

function toEntry(id: string, fields: string[]): LiveStreamEntry {
  const payload = fields[fields.indexOf('event') + 1] ?? '{}';
  return { ...(JSON.parse(payload) as LiveEvent), id } as LiveStreamEntry;
}
