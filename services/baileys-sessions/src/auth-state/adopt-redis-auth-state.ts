import type { Logger } from '@app/runtime/service';
import type { Redis } from 'ioredis';
import { credsCategory, credsId, type AuthKeyChange, type AuthStateStore } from './auth-state-store.ts';
import { redisAuthHash } from './redis-auth-state-store.ts';

/**
 * Before PostgreSQL became the default, a deployment with REDIS_URL kept its auth state in Redis. On the first start
 * after the change, an instance with no creds in PostgreSQL but creds in Redis gets a copy (values are sealed with
 * associated data naming instance, category and key id, the same in both stores, so they move as they are): the
 * number stays linked. Redis is left as it was. Returns the instances adopted.
 */
export async function adoptRedisAuthState(deps: {
  redis: Redis;
  target: AuthStateStore;
  instanceIds: string[];
  logger: Logger;
  keyPrefix?: string;
}): Promise<string[]> {
  const adopted: string[] = [];
  for (const instanceId of deps.instanceIds) {
    if (await deps.target.hasCreds(instanceId)) continue;
    const fields = await deps.redis.hgetall(redisAuthHash(instanceId, deps.keyPrefix));
    const creds = fields[`${credsCategory}:${credsId}`];
    if (!creds) continue;
    const keys: AuthKeyChange[] = [];
    for (const [field, value] of Object.entries(fields)) {
      const separator = field.indexOf(':');
      const category = field.slice(0, separator);
      if (category === credsCategory) continue;
      keys.push({ category, id: field.slice(separator + 1), value });
    }
    // Keys first: creds are what make a session resumable, so a crash in between leaves it "not adopted" and retried.
    await deps.target.writeKeys(instanceId, keys);
    await deps.target.writeCreds(instanceId, creds);
    adopted.push(instanceId);
    deps.logger.info({ event: 'baileys_auth_state.adopted_from_redis', instanceId, keys: keys.length }, 'auth state copied from Redis to PostgreSQL');
  }
  return adopted;
}
