import { EventEmitter } from 'node:events';
import type { Clock } from '@app/runtime/ports';
import {
  dedupeTtlMs,
  defaultReplayBufferLimits,
  defaultWatchLingerMs,
  type LiveChannel,
  type ReplayBufferLimits,
  type ReplayResult,
} from './live-channel.ts';
import type { DeliveredLiveEvent, LiveStreamEntry } from './live-event.ts';

interface BufferedEvent {
  event: LiveStreamEntry;
  at: number;
}

interface BusinessBuffer {
  events: BufferedEvent[];
  /** Whether anything was ever dropped: then the start id no longer proves the client saw everything. */
  trimmed: boolean;
}

/**
 * The channel for one process (standalone without REDIS_URL). Ids are `<boot time>-<sequence>`: after a restart
 * the buffer is empty and every id a client still holds is unknown, so the client is told to resync.
 */
export function createInProcessLiveChannel(options: { clock: Clock; limits?: ReplayBufferLimits; watchLingerMs?: number }): LiveChannel {
  const limits = options.limits ?? defaultReplayBufferLimits;
  const watchLingerMs = options.watchLingerMs ?? defaultWatchLingerMs;
  // When each business's last subscriber left: it still counts as watched for watchLingerMs.
  const unwatchedSince = new Map<string, number>();
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const boot = Date.now();
  const startId = `${boot}-0`;
  let sequence = 0;
  const buffers = new Map<string, BusinessBuffer>();
  // Insertion order is expiry order (one TTL for all), so expired keys are always at the front.
  const seen = new Map<string, number>();

  const now = () => options.clock.now().getTime();

  function trim(buffer: BusinessBuffer): void {
    const oldest = now() - limits.maxAgeMs;
    let drop = Math.max(0, buffer.events.length - limits.maxEvents);
    while (drop < buffer.events.length && buffer.events[drop]!.at < oldest) drop += 1;
    if (drop > 0) {
      buffer.events.splice(0, drop);
      buffer.trimmed = true;
    }
  }

  function forgetExpiredKeys(): void {
    const current = now();
    for (const [key, expiresAt] of seen) {
      if (expiresAt > current) break;
      seen.delete(key);
    }
  }

  function append(businessId: string, entry: LiveStreamEntry): void {
    const buffer = buffers.get(businessId) ?? { events: [], trimmed: false };
    buffers.set(businessId, buffer);
    buffer.events.push({ event: entry, at: now() });
    trim(buffer);
    emitter.emit(businessId, entry);
  }

  return {
    async publish(businessId, event, publishOptions) {
      forgetExpiredKeys();
      if (publishOptions?.dedupeKey !== undefined) {
        const key = `${businessId}:${publishOptions.dedupeKey}`;
        if (seen.has(key)) return null;
        seen.set(key, now() + dedupeTtlMs);
      }
      sequence += 1;
      const delivered = { ...event, id: `${boot}-${sequence}` } as DeliveredLiveEvent;
      append(businessId, delivered);
      return delivered;
    },

    async watchedOrMarkGap(businessId) {
      if (emitter.listenerCount(businessId) > 0) return true;
      const since = unwatchedSince.get(businessId);
      if (since !== undefined && now() - since < watchLingerMs) return true;
      unwatchedSince.delete(businessId);
      // One marker per run of skipped events: the client resyncs once whatever it missed.
      if (buffers.get(businessId)?.events.at(-1)?.event.type !== 'gap') {
        sequence += 1;
        append(businessId, { type: 'gap', id: `${boot}-${sequence}` });
      }
      return false;
    },

    subscribe(businessId, listener) {
      emitter.on(businessId, listener);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        emitter.off(businessId, listener);
        if (emitter.listenerCount(businessId) === 0) unwatchedSince.set(businessId, now());
      };
    },

    ready: async () => {},

    async replay(businessId, afterId): Promise<ReplayResult> {
      const buffer = buffers.get(businessId);
      if (buffer) trim(buffer);
      const entries = buffer?.events.map((entry) => entry.event) ?? [];
      const lastId = entries.at(-1)?.id ?? startId;
      if (afterId === null) return { kind: 'fresh', lastId };
      const index = entries.findIndex((entry) => entry.id === afterId);
      const missed = index >= 0 ? entries.slice(index + 1) : afterId === startId && !buffer?.trimmed ? entries : null;
      if (missed === null) return { kind: 'resync', lastId };
      const events = missed.filter((entry): entry is DeliveredLiveEvent => entry.type !== 'gap');
      return events.length === missed.length ? { kind: 'replay', events, lastId } : { kind: 'resync', lastId };
    },

    // One process: nothing between publish and listeners can drop a message.
    onInterrupted: () => {},

    async close() {
      emitter.removeAllListeners();
    },
  };
}
