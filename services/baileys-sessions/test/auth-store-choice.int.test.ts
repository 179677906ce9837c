import { randomBytes } from 'node:crypto';
import { SecretBox } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { createLocalPubSub, createLogger } from '@app/runtime';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRedisDurabilitySettings, redisDurabilityProblems } from '../src/auth-state/redis-durability.ts';
import { baileysSessionsConfigSchema } from '../src/config.ts';
import { createBaileysSessions } from '../src/create-baileys-sessions.ts';
import { FakeSocketFactory } from './support/fake-socket.ts';

const logger = createLogger({ service: 'auth-store-choice-test', level: 'silent' });
const secretBox = new SecretBox({ currentKeyId: 'k', keys: { k: randomBytes(32) } });
let database: TestDatabase;
let redis: Redis;

beforeAll(async () => {
  database = await createTestDatabase();
  redis = new Redis('redis://127.0.0.1:6379');
});
afterAll(async () => {
  redis.disconnect();
  await database.drop();
});

function service(environment: Record<string, string>) {
  const pubsub = createLocalPubSub({ prisma: database.prisma, logger });
  return createBaileysSessions({
    prisma: database.prisma,
    logger,
    secretBox,
    pubsub,
    redis,
    config: baileysSessionsConfigSchema.parse({ BAILEYS_SLOTS: '900', ...environment }),
    socketFactory: new FakeSocketFactory(),
  });
}

describe('where the auth state lives', () => {
  it('is PostgreSQL even when a Redis connection is at hand, unless Redis is chosen explicitly', () => {
    expect(service({}).authStore.kind).toBe('postgres');
    expect(() => baileysSessionsConfigSchema.parse({ BAILEYS_AUTH_STORE: 'auto' })).toThrow();
  });

  it('refuses to start on a Redis that would lose it, saying why (this test Redis runs without persistence)', async () => {
    const settings = await readRedisDurabilitySettings(redis);
    expect(redisDurabilityProblems(settings).length).toBeGreaterThan(0);
    const sessions = service({ BAILEYS_AUTH_STORE: 'redis' });
    expect(sessions.authStore.kind).toBe('redis');
    await expect(sessions.start()).rejects.toThrow(/BAILEYS_AUTH_STORE=redis refused: .*(persistence|maxmemory-policy)/);
  });
});
