import type { Redis } from 'ioredis';
import type { KeyValueStore } from '../ports/key-value.ts';

/** KeyValueStore on Redis (ioredis): SET … PX for expiry, SET … NX for setIfAbsent. */
export function createRedisKeyValueStore(redis: Redis, options: { keyPrefix?: string } = {}): KeyValueStore {
  const prefix = options.keyPrefix ?? '';
  return {
    async get(key) {
      return redis.get(prefix + key);
    },
    async set(key, value, setOptions) {
      if (setOptions?.ttlMs !== undefined) await redis.set(prefix + key, value, 'PX', Math.max(1, Math.ceil(setOptions.ttlMs)));
      else await redis.set(prefix + key, value);
    },
    async setIfAbsent(key, value, setOptions) {
      const result =
        setOptions?.ttlMs !== undefined
          ? await redis.set(prefix + key, value, 'PX', Math.max(1, Math.ceil(setOptions.ttlMs)), 'NX')
          : await redis.set(prefix + key, value, 'NX');
      return result === 'OK';
    },
    async delete(key) {
      await redis.del(prefix + key);
    },
  };
}
