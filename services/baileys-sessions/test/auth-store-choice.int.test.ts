import { randomBytes } from 'node:crypto';
import { SecretBox } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { createLocalPubSub } from '@app/runtime/local';
import { createLogger } from '@app/runtime/service';
import { Curve } from '@whiskeysockets/baileys';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthenticationState } from '../src/auth-state/authentication-state.ts';
import { createRedisAuthStateStore } from '../src/auth-state/redis-auth-state-store.ts';
import { readRedisDurabilitySettings, redisDurabilityProblems } from '../src/auth-state/redis-durability.ts';
import { baileysSessionsConfigSchema } from '../src/config.ts';
import { createBaileysSessions } from '../src/create-baileys-sessions.ts';
import { FakeSocketFactory, pairedCreds } from './support/fake-socket.ts';

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

describe('upgrading from auth state in Redis', () => {
  it('copies a linked number’s creds and keys from Redis to PostgreSQL at start, so it stays linked; Redis is left alone', async () => {
    const business = await database.prisma.business.create({ data: { name: 'Antiga' } });
    const instance = await database.prisma.instance.create({ data: { businessId: business.id, provider: 'BAILEYS', name: 'web', slot: 901 } });
    const fresh = await database.prisma.instance.create({ data: { businessId: business.id, provider: 'BAILEYS', name: 'web 2', slot: 902 } });
    // Written the way the Redis store wrote it before (the default prefix), sealed for this instance.
    const redisStore = createRedisAuthStateStore(redis);
    const old = await loadAuthenticationState({ store: redisStore, instanceId: instance.id, secretBox });
    Object.assign(old.state.creds, pairedCreds('5511777770000:4@s.whatsapp.net'));
    await old.saveCreds();
    await old.state.keys.set({ 'pre-key': { '7': Curve.generateKeyPair() }, 'lid-mapping': { '5511777770000': '88877766655544' } });

    const sessions = createBaileysSessions({
      prisma: database.prisma,
      logger,
      secretBox,
      pubsub: createLocalPubSub({ prisma: database.prisma, logger }),
      redis,
      config: baileysSessionsConfigSchema.parse({ BAILEYS_SLOTS: '901,902' }),
      socketFactory: new FakeSocketFactory(),
    });
    await sessions.start();
    const adopted = await loadAuthenticationState({ store: sessions.authStore, instanceId: instance.id, secretBox });
    expect(sessions.authStore.kind).toBe('postgres');
    expect(adopted.state.creds.me?.id).toBe('5511777770000:4@s.whatsapp.net');
    expect(await adopted.state.keys.get('lid-mapping', ['5511777770000'])).toEqual({ '5511777770000': '88877766655544' });
    expect(Object.keys(await adopted.state.keys.get('pre-key', ['7']))).toEqual(['7']);
    expect(await sessions.authStore.hasCreds(fresh.id)).toBe(false);
    expect(await redisStore.hasCreds(instance.id)).toBe(true);
    await sessions.stop();
    await redisStore.clear(instance.id);
  });
});
