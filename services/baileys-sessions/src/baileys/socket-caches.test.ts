import { randomBytes } from 'node:crypto';
import { SecretBox } from '@app/db';
import { createLogger } from '@app/runtime/service';
import { Curve } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { loadAuthenticationState } from '../auth-state/authentication-state.ts';
import { BoundedCache } from '../memory/bounded-cache.ts';
import { createMemoryAuthStateStore } from '../../test/support/memory-auth-state-store.ts';
import { boundedSocketCaches, createSocketCaches, socketCacheLimits } from './socket-caches.ts';

const logger = createLogger({ service: 'socket-caches-test', level: 'silent' });
const secretBox = new SecretBox({ currentKeyId: 'k', keys: { k: randomBytes(32) } });

describe('socket caches: bounded per socket', () => {
  it('gives makeWASocket a bounded cache for every cache option it would otherwise make unbounded', async () => {
    const auth = await loadAuthenticationState({ store: createMemoryAuthStateStore(), instanceId: 'i-1', secretBox });
    const sessionRetries = new BoundedCache(socketCacheLimits.messageRetries);
    const config = boundedSocketCaches(auth.state.keys, logger, sessionRetries);
    for (const cache of [config.userDevicesCache, config.callOfferCache, config.placeholderResendCache]) {
      expect(cache).toBeInstanceOf(BoundedCache);
    }
    // Two sockets never share a cache (a recycled socket's caches go with it) — but the session's retry counts carry over.
    const next = boundedSocketCaches(auth.state.keys, logger, sessionRetries);
    expect(next.userDevicesCache).not.toBe(config.userDevicesCache);
    expect(next.msgRetryCounterCache).toBe(sessionRetries);
  });

  it('keeps the signal-key cache at its cap while thousands of keys go through it; evicted keys still read from the store', async () => {
    const store = createMemoryAuthStateStore();
    const auth = await loadAuthenticationState({ store, instanceId: 'i-2', secretBox });
    const caches = createSocketCaches();
    const { keys } = boundedSocketCaches(auth.state.keys, logger, new BoundedCache(socketCacheLimits.messageRetries), caches);
    const written: Record<string, { public: Uint8Array; private: Uint8Array }> = {};
    for (let batch = 0; batch < 20; batch++) {
      const preKeys: Record<string, { public: Uint8Array; private: Uint8Array }> = {};
      for (let index = 0; index < 100; index++) preKeys[String(batch * 100 + index)] = Curve.generateKeyPair();
      Object.assign(written, preKeys);
      await keys.set({ 'pre-key': preKeys });
      expect(caches.signalKeys.size).toBeLessThanOrEqual(socketCacheLimits.signalKeys.maxEntries);
    }
    expect(caches.signalKeys.size).toBe(socketCacheLimits.signalKeys.maxEntries);
    expect(store.size('i-2')).toBe(2_000);

    const oldest = await keys.get('pre-key', ['0', '1']);
    expect(Buffer.from(oldest['0']!.private)).toEqual(Buffer.from(written['0']!.private));
    expect(Buffer.from(oldest['1']!.public)).toEqual(Buffer.from(written['1']!.public));
    expect(caches.signalKeys.size).toBe(socketCacheLimits.signalKeys.maxEntries);
  });

  it('forgets cached signal keys after their time to live', async () => {
    let now = 0;
    const auth = await loadAuthenticationState({ store: createMemoryAuthStateStore(), instanceId: 'i-3', secretBox });
    const caches = createSocketCaches(() => now);
    const { keys } = boundedSocketCaches(auth.state.keys, logger, new BoundedCache(socketCacheLimits.messageRetries), caches);
    await keys.set({ 'lid-mapping': { '5511999990001': '123456789012345' } });
    expect(caches.signalKeys.size).toBe(1);
    now += socketCacheLimits.signalKeys.ttlMs;
    expect(caches.signalKeys.get('lid-mapping.5511999990001')).toBeUndefined();
    expect(await keys.get('lid-mapping', ['5511999990001'])).toEqual({ '5511999990001': '123456789012345' });
  });
});
