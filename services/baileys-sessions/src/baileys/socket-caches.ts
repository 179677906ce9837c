import { makeCacheableSignalKeyStore, type CacheStore, type SignalKeyStore, type SocketConfig } from '@whiskeysockets/baileys';
import type { Logger } from '@app/runtime/service';
import { BoundedCache } from '../memory/bounded-cache.ts';

/**
 * Per-socket cache limits. Baileys' defaults are `NodeCache`s with a time to live but no size cap (signal keys
 * 5 min, message retries 1 h, user devices 5 min …): a busy number could fill them faster than they expire
 * (Baileys #1377). A miss only costs a read from the auth store or a device query, never correctness.
 */
export const socketCacheLimits = {
  signalKeys: { maxEntries: 500, ttlMs: 5 * 60_000 },
  /** Per session (not per socket): a restart must not reset a message's retry count. */
  messageRetries: { maxEntries: 1_000, ttlMs: 60 * 60_000 },
  userDevices: { maxEntries: 1_000, ttlMs: 5 * 60_000 },
  callOffers: { maxEntries: 100, ttlMs: 5 * 60_000 },
  placeholderResends: { maxEntries: 1_000, ttlMs: 60 * 60_000 },
} as const;

export interface SocketCaches {
  signalKeys: BoundedCache;
  userDevices: BoundedCache;
  callOffers: BoundedCache;
  placeholderResends: BoundedCache;
}

export function createSocketCaches(now?: () => number): SocketCaches {
  const make = (limits: { maxEntries: number; ttlMs: number }) => new BoundedCache({ ...limits, ...(now ? { now } : {}) });
  return {
    signalKeys: make(socketCacheLimits.signalKeys),
    userDevices: make(socketCacheLimits.userDevices),
    callOffers: make(socketCacheLimits.callOffers),
    placeholderResends: make(socketCacheLimits.placeholderResends),
  };
}

/**
 * The cache part of a `makeWASocket` config: the signal key store behind a bounded cache, and bounded caches in
 * place of every unbounded one Baileys would create. One set per socket: a recycled socket drops its caches — except
 * the message retry counts, which the session owns and passes in.
 */
export function boundedSocketCaches(
  keys: SignalKeyStore,
  logger: Logger,
  messageRetries: CacheStore,
  caches: SocketCaches = createSocketCaches(),
): Pick<SocketConfig, 'msgRetryCounterCache' | 'userDevicesCache' | 'callOfferCache' | 'placeholderResendCache'> & { keys: SignalKeyStore } {
  return {
    keys: makeCacheableSignalKeyStore(keys, logger, caches.signalKeys),
    msgRetryCounterCache: messageRetries,
    userDevicesCache: caches.userDevices,
    callOfferCache: caches.callOffers,
    placeholderResendCache: caches.placeholderResends,
  };
}
