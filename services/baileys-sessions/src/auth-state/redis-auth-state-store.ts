import type { Redis } from 'ioredis';
import { credsCategory, credsId, type AuthStateStore } from './auth-state-store.ts';
import { lastChangePerKey } from './postgres-auth-state-store.ts';

/** The Redis hash that holds an instance's auth state. */
export function redisAuthHash(instanceId: string, keyPrefix = 'baileys:auth:'): string {
  return `${keyPrefix}${instanceId}`;
}

/**
 * Auth state in one Redis hash per instance (`<prefix><instanceId>`), field `<category>:<id>`. A batch is one
 * MULTI/EXEC transaction, so it lands whole or not at all.
 */
export function createRedisAuthStateStore(redis: Redis, options: { keyPrefix?: string } = {}): AuthStateStore {
  const hash = (instanceId: string) => redisAuthHash(instanceId, options.keyPrefix);
  const field = (category: string, id: string) => `${category}:${id}`;
  return {
    kind: 'redis',
    async readCreds(instanceId) {
      return redis.hget(hash(instanceId), field(credsCategory, credsId));
    },
    async writeCreds(instanceId, value) {
      await redis.hset(hash(instanceId), field(credsCategory, credsId), value);
    },
    async readKeys(instanceId, category, ids) {
      if (ids.length === 0) return new Map();
      const values = await redis.hmget(hash(instanceId), ...ids.map((id) => field(category, id)));
      const found = new Map<string, string>();
      ids.forEach((id, index) => {
        const value = values[index];
        if (value !== null && value !== undefined) found.set(id, value);
      });
      return found;
    },
    async writeKeys(instanceId, changes) {
      if (changes.length === 0) return;
      const { upserts, deletes } = lastChangePerKey(changes);
      const transaction = redis.multi();
      for (const [category, ids] of deletes) transaction.hdel(hash(instanceId), ...ids.map((id) => field(category, id)));
      if (upserts.length > 0) {
        transaction.hset(hash(instanceId), Object.fromEntries(upserts.map((change) => [field(change.category, change.id), change.value as string])));
      }
      const results = await transaction.exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw failed?.[0] ?? new Error('Redis transaction was aborted');
    },
    async clear(instanceId) {
      await redis.del(hash(instanceId));
    },
    async hasCreds(instanceId) {
      return (await redis.hexists(hash(instanceId), field(credsCategory, credsId))) === 1;
    },
  };
}
