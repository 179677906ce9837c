import { randomBytes } from 'node:crypto';
import { SecretBox } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { Topics } from '@app/domain';
import { createLocalPubSub } from '@app/runtime/local';
import { createLogger } from '@app/runtime/service';
import { expectEventually } from '@app/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baileysSessionsConfigSchema } from '../src/config.ts';
import { createBaileysSessions } from '../src/create-baileys-sessions.ts';
import { createStuckSendSweep, sendOutcomeUnknownCode } from '../src/egress/stuck-sends.ts';
import { systemTimers } from '../src/session/timers.ts';
import { FakeSocketFactory } from './support/fake-socket.ts';
import { outboundTextMessage } from './outbound-fixtures.ts';

const eventually = (check: () => unknown) => expectEventually(check, { timeoutMs: 40_000 });
const logger = createLogger({ service: 'baileys-stuck-test', level: 'silent' });
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

async function instanceOn(slot: number) {
  const business = await database.prisma.business.create({ data: { name: `b${slot}` } });
  const instance = await database.prisma.instance.create({ data: { businessId: business.id, provider: 'BAILEYS', name: `web ${slot}`, slot } });
  const contact = await database.prisma.contact.create({ data: { businessId: business.id, phone: `55119777700${slot}` } });
  const conversation = await database.prisma.conversation.create({
    data: { businessId: business.id, instanceId: instance.id, contactId: contact.id },
  });
  return { business, instance, conversation };
}

async function outbound(target: Awaited<ReturnType<typeof instanceOn>>, status: 'SENDING' | 'PENDING', statusAt: Date): Promise<string> {
  const data = outboundTextMessage(target, 'olá', { status, statusAt, sendAttempts: status === 'SENDING' ? 1 : 0, sentAt: statusAt });
  return (await database.prisma.message.create({ data })).id;
}

const messageOf = (id: string) => database.prisma.message.findUniqueOrThrow({ where: { id } });

describe('sends whose outcome is unknown are surfaced, never resent', () => {
  it('marks FAILED a message of this host’s slots SENDING past the threshold; leaves fresh, in-flight, foreign and other-host ones alone', async () => {
    const mine = await instanceOn(1);
    const heldElsewhere = await instanceOn(2);
    const otherSlot = await instanceOn(3);
    const stuck = await outbound(mine, 'SENDING', minutesAgo(10));
    const fresh = await outbound(mine, 'SENDING', minutesAgo(1));
    const inFlight = await outbound(mine, 'SENDING', minutesAgo(10));
    const pending = await outbound(mine, 'PENDING', minutesAgo(10));
    const otherHosts = await outbound(heldElsewhere, 'SENDING', minutesAgo(10));
    const notMySlot = await outbound(otherSlot, 'SENDING', minutesAgo(10));
    // Another live host holds slot 2's session: its sends are its own business.
    await database.prisma.baileysSessionLease.create({
      data: { instanceId: heldElsewhere.instance.id, holder: 'pod-x-1234', token: 1n, expiresAt: new Date(Date.now() + 60_000) },
    });

    const sweep = createStuckSendSweep({
      prisma: database.prisma,
      hostId: 'this-host',
      slots: [1, 2],
      inFlight: new Set([inFlight]),
      thresholdMs: 5 * 60_000,
      intervalMs: 60_000,
      timers: systemTimers,
      logger,
    });
    expect(await sweep.sweep()).toBe(1);

    expect(await messageOf(stuck)).toMatchObject({
      status: 'FAILED',
      errorCode: sendOutcomeUnknownCode,
      errorMessage: expect.stringMatching(/outcome unknown.*Not resent/),
    });
    for (const untouched of [fresh, inFlight, otherHosts, notMySlot]) expect((await messageOf(untouched)).status).toBe('SENDING');
    expect((await messageOf(pending)).status).toBe('PENDING');
    // The console hears about it like any other failure.
    const events = await database.prisma.outboxEvent.findMany({ where: { topic: Topics.messagesStatus } });
    expect(events.map((event) => (event.payload as { data: { messageId: string; status: string } }).data)).toEqual([
      expect.objectContaining({ messageId: stuck, status: 'FAILED', errorCode: sendOutcomeUnknownCode }),
    ]);
    // A second pass changes nothing more.
    expect(await sweep.sweep()).toBe(0);

    // Standalone (every slot): the other slot's message is this host's too; the other live host's still is not.
    const everySlot = createStuckSendSweep({
      prisma: database.prisma,
      hostId: 'this-host',
      slots: null,
      inFlight: new Set([inFlight]),
      thresholdMs: 5 * 60_000,
      intervalMs: 60_000,
      timers: systemTimers,
      logger,
    });
    expect(await everySlot.sweep()).toBe(1);
    expect((await messageOf(notMySlot)).status).toBe('FAILED');
    expect((await messageOf(otherHosts)).status).toBe('SENDING');
  });

  it('runs when the session host starts: a send left SENDING by a dead process is failed, and its socket never sees it', async () => {
    const target = await instanceOn(7);
    const stuck = await outbound(target, 'SENDING', minutesAgo(30));
    const factory = new FakeSocketFactory();
    const pubsub = createLocalPubSub({ prisma: database.prisma, logger, pollIntervalMs: 20 });
    const service = createBaileysSessions({
      prisma: database.prisma,
      logger,
      secretBox: new SecretBox({ currentKeyId: 'k', keys: { k: randomBytes(32) } }),
      pubsub,
      config: baileysSessionsConfigSchema.parse({ BAILEYS_SLOTS: '7', BAILEYS_AUTH_STORE: 'postgres', BAILEYS_STUCK_SEND_SECONDS: '120' }),
      socketFactory: factory,
    });
    await service.start();
    await eventually(async () => expect((await messageOf(stuck)).status).toBe('FAILED'));
    expect((await messageOf(stuck)).errorCode).toBe(sendOutcomeUnknownCode);
    expect(factory.sockets.flatMap((socket) => socket.sent)).toEqual([]);
    await service.stop();
  });
});
