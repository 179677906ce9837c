import { randomBytes } from 'node:crypto';
import { SecretBox } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { createLocalPubSub, type LocalPubSub } from '@app/runtime/local';
import { createLogger } from '@app/runtime/service';
import { expectEventually } from '@app/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baileysSessionsConfigSchema } from '../src/config.ts';
import { createBaileysSessions, type BaileysSessions } from '../src/create-baileys-sessions.ts';
import { FakeTimers } from './support/fake-timers.ts';
import { FakeSocketFactory } from './support/fake-socket.ts';
import { requestSendIn } from './outbound-fixtures.ts';

const eventually = (check: () => unknown) => expectEventually(check, { timeoutMs: 40_000 });
const logger = createLogger({ service: 'baileys-governor-settings-test', level: 'silent' });
let database: TestDatabase;
let pubsub: LocalPubSub;
let service: BaileysSessions;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await service?.stop();
  await pubsub?.stop();
  await database.drop();
});

async function instanceOn(slot: number, baileysSettings?: object) {
  const business = await database.prisma.business.create({ data: { name: `b${slot}` } });
  const instance = await database.prisma.instance.create({
    data: { businessId: business.id, provider: 'BAILEYS', name: `web ${slot}`, slot, ...(baileysSettings ? { baileysSettings } : {}) },
  });
  const contact = await database.prisma.contact.create({ data: { businessId: business.id, phone: `55119666600${slot}` } });
  const conversation = await database.prisma.conversation.create({
    data: { businessId: business.id, instanceId: instance.id, contactId: contact.id, lastInboundAt: new Date() },
  });
  return { business, instance, contact, conversation };
}

/** What conversation-actors does: the message row and its send request, committed together. */
const requestSend = requestSendIn;

const statusesOf = async (ids: string[]) =>
  Promise.all(ids.map(async (id) => (await database.prisma.message.findUniqueOrThrow({ where: { id } })).status));

describe('per-instance governor settings (Instance.baileysSettings over the BAILEYS_* defaults)', () => {
  it('a rate limit set on one instance holds for it and not for another', async () => {
    const limited = await instanceOn(1, { maxPerMinute: 2 });
    const unlimited = await instanceOn(2);
    const timers = new FakeTimers(new Date());
    const factory = new FakeSocketFactory({ onCreate: (socket) => setTimeout(() => socket.open(), 5) });
    pubsub = createLocalPubSub({
      prisma: database.prisma,
      logger,
      pollIntervalMs: 20,
      retry: { initialDelayMs: 50, maxDelayMs: 200, maxAttempts: 50 },
    });
    service = createBaileysSessions({
      prisma: database.prisma,
      logger,
      secretBox: new SecretBox({ currentKeyId: 'k', keys: { k: randomBytes(32) } }),
      pubsub,
      // Deployment defaults: 20 a minute, no gap, no typing (so only the rate limit paces these sends). Leases and the
      // watchdog far longer than the minute the fake clock moves: their database round trips do not race it.
      config: baileysSessionsConfigSchema.parse({
        BAILEYS_AUTH_STORE: 'postgres',
        BAILEYS_MIN_GAP_PER_RECIPIENT_MS: '0',
        BAILEYS_TYPING: 'false',
        BAILEYS_LEASE_TTL_SECONDS: '3600',
        BAILEYS_WATCHDOG_INTERVAL_SECONDS: '3600',
        BAILEYS_WATCHDOG_SILENCE_SECONDS: '7200',
      }),
      socketFactory: factory,
      timers,
    });
    await pubsub.start();
    for (const target of [limited, unlimited]) await service.host.restart(target.instance.id);
    await eventually(async () => {
      expect((await service.host.status(limited.instance.id))?.state).toBe('open');
      expect((await service.host.status(unlimited.instance.id))?.state).toBe('open');
    });

    const toLimited: string[] = [];
    const toUnlimited: string[] = [];
    // One commit, so both instances' sends are taken together (the local pub/sub works in batches).
    await database.prisma.$transaction(async (transaction) => {
      for (let index = 0; index < 3; index++) {
        toLimited.push(await requestSend(transaction, limited, `limitado ${index}`));
        toUnlimited.push(await requestSend(transaction, unlimited, `livre ${index}`));
      }
    });
    pubsub.wake();
    // The unlimited instance sends all three at once; the limited one two, and holds the third for the next minute.
    await eventually(async () => {
      expect(await statusesOf(toUnlimited)).toEqual(['SENT', 'SENT', 'SENT']);
      expect(await statusesOf(toLimited)).toEqual(['SENT', 'SENT', 'SENDING']);
    });
    expect(factory.latest(limited.instance.id).sent.map((sent) => (sent.content as { text: string }).text)).toEqual(['limitado 0', 'limitado 1']);

    await timers.advance(59_000);
    expect(await statusesOf(toLimited)).toEqual(['SENT', 'SENT', 'SENDING']);
    await timers.advance(1_000);
    await eventually(async () => expect(await statusesOf(toLimited)).toEqual(['SENT', 'SENT', 'SENT']));
    expect(factory.latest(limited.instance.id).sent).toHaveLength(3);
  }, 120_000);
});
