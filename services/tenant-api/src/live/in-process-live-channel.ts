import { EventEmitter } from 'node:events';
import type { Clock } from '@app/runtime';
import { dedupeTtlMs, defaultReplayBufferLimits, type LiveChannel, type ReplayBufferLimits, type ReplayResult } from './live-channel.ts';
import type { DeliveredLiveEvent } from './live-event.ts';

interface BufferedEvent {
  event: DeliveredLiveEvent;
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
export function createInProcessLiveChannel(options: { clock: Clock; limits?: ReplayBufferLimits }): LiveChannel {
  const limits = options.limits ?? defaultReplayBufferLimits;
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
      const buffer = buffers.get(businessId) ?? { events: [], trimmed: false };
      buffers.set(businessId, buffer);
      buffer.events.push({ event: delivered, at: now() });
      trim(buffer);
      emitter.emit(businessId, delivered);
      return delivered;
    },

    subscribe(businessId, listener) {
      emitter.on(businessId, listener);
      return () => void emitter.off(businessId, listener);
    },

    ready: async () => {},

    async replay(businessId, afterId): Promise<ReplayResult> {
      const buffer = buffers.get(businessId);
      if (buffer) trim(buffer);
      const events = buffer?.events.map((entry) => entry.event) ?? [];
      const lastId = events.at(-1)?.id ?? startId;
      if (afterId === null) return { kind: 'fresh', lastId };
      const index = events.findIndex((event) => event.id === afterId);
      if (index >= 0) return { kind: 'replay', events: events.slice(index + 1), lastId };
      if (afterId === startId && !buffer?.trimmed) return { kind: 'replay', events, lastId };
      return { kind: 'resync', lastId };
    },

    // One process: nothing between publish and listeners can drop a message.
    onInterrupted: () => {},

    async close() {
      emitter.removeAllListeners();
    },
  };
}
