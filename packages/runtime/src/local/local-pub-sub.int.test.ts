import { enqueueEvent } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import type { DomainEvent } from '@app/domain';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PubSub } from '../ports/pub-sub.ts';
import { expectEventually } from '@app/testkit';
import { createLocalPubSub, type LocalPubSubOptions } from './local-pub-sub.ts';

const logger = pino({ level: 'silent' });
let database: TestDatabase;
const running: PubSub[] = [];

function event(id: string, data: unknown = {}): DomainEvent {
  return { id, type: 'test.happened', occurredAt: new Date().toISOString(), data };
}

function pubSub(overrides: Partial<LocalPubSubOptions> = {}) {
  const instance = createLocalPubSub({ prisma: database.prisma, logger, pollIntervalMs: 50, ...overrides });
  running.push(instance);
  return instance;
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((instance) => instance.stop()));
});
afterAll(async () => {
  await database.drop();
});

describe('createLocalPubSub', () => {
  it('delivers every event to every group once, and a rolled-back transaction publishes nothing', async () => {
    const bus = pubSub();
    const seen: Record<string, string[]> = { billing: [], admin: [] };
    for (const group of ['billing', 'admin']) {
      bus.subscribe({ topic: 'fan.out', group, handler: async (received) => void seen[group]!.push(received.id) });
    }
    await bus.start();
    await bus.publish('fan.out', event('e1'));
    await database.prisma.$transaction((transaction) => enqueueEvent(transaction, 'fan.out', event('e2')));
    await expect(
      database.prisma.$transaction(async (transaction) => {
        await enqueueEvent(transaction, 'fan.out', event('rolled-back'));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await bus.publish('fan.out', event('e3'));
    await expectEventually(() => expect(seen.billing!.length + seen.admin!.length).toBe(6));
    expect(seen.billing!.sort()).toEqual(['e1', 'e2', 'e3']);
    expect(seen.admin!.sort()).toEqual(['e1', 'e2', 'e3']);
    expect(await database.prisma.outboxDelivery.count({ where: { subscriber: { in: ['billing', 'admin'] } } })).toBe(0);
  });

  it('delivers the events of one key in the order their transactions commit, not the order they were written', async () => {
    const bus = pubSub();
    const delivered: string[] = [];
    bus.subscribe({ topic: 'commit.order', group: 'commit-order', handler: async (received) => void delivered.push(received.id) });
    await bus.start();
    // The first writer writes its event and then stays in its transaction (a slow webhook); a second writer of the
    // same key commits while the first is still open.
    let firstWritten!: () => void;
    let releaseFirst!: () => void;
    const written = new Promise<void>((resolve) => (firstWritten = resolve));
    const held = new Promise<void>((resolve) => (releaseFirst = resolve));
    const first = database.prisma.$transaction(
      async (transaction) => {
        await enqueueEvent(transaction, 'commit.order', event('written-first'), { key: 'conversation-1' });
        firstWritten();
        await held;
      },
      { timeout: 20_000 },
    );
    await written;
    const second = database.prisma.$transaction((transaction) =>
      enqueueEvent(transaction, 'commit.order', event('committed-first'), { key: 'conversation-1' }),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The second waits for the first: nothing of the key may be delivered before the earlier writer has decided.
    expect(delivered).toEqual([]);
    releaseFirst();
    await first;
    await second;
    await expectEventually(() => expect(delivered).toEqual(['written-first', 'committed-first']));
  });

  it('keeps order per key while a retrying event holds back only its own key', async () => {
    const bus = pubSub({ retry: { initialDelayMs: 100, maxDelayMs: 400, maxAttempts: 10 } });
    const delivered: string[] = [];
    let failuresLeft = 2;
    bus.subscribe({
      topic: 'ordered',
      group: 'orderer',
      handler: async (received) => {
        const { key, index } = received.data as { key: string; index: number };
        if (key === 'a' && index === 1 && failuresLeft > 0) {
          failuresLeft -= 1;
          return failuresLeft === 1 ? 'retry' : Promise.reject(new Error('handler crashed'));
        }
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
        delivered.push(`${key}${index}`);
        return 'success';
      },
    });
    await bus.start();
    for (let index = 0; index < 20; index++) {
      for (const key of ['a', 'b', 'c']) await bus.publish('ordered', event(`${key}-${index}`, { key, index }), { key });
    }
    await expectEventually(() => expect(delivered).toHaveLength(60));
    for (const key of ['a', 'b', 'c']) {
      expect(delivered.filter((entry) => entry.startsWith(key))).toEqual(Array.from({ length: 20 }, (_, index) => `${key}${index}`));
    }
    expect(failuresLeft).toBe(0);
  });

  it('records a dropped event and does not deliver it again', async () => {
    const bus = pubSub();
    let calls = 0;
    bus.subscribe({ topic: 'poison', group: 'dropper', handler: async () => ((calls += 1), 'drop') });
    await bus.start();
    await bus.publish('poison', event('bad'));
    await expectEventually(async () => {
      const row = await database.prisma.outboxDelivery.findFirst({ where: { subscriber: 'dropper' } });
      expect(row?.droppedAt).toBeInstanceOf(Date);
      expect(row?.lastError).toBe('dropped by the handler');
    });
    bus.wake();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toBe(1);
  });

  it('redelivers an event whose handler never finished once the lease runs out (a crashed or hung process)', async () => {
    // The hold limit ends the renewals as a crash would: the lease then runs out and another process takes it.
    const stuck = pubSub({ leaseMs: 400, holdLimitMs: 400 });
    let started = false;
    let releaseStuck: () => void = () => {};
    stuck.subscribe({
      topic: 'crash',
      group: 'survivor',
      handler: () => {
        started = true;
        return new Promise((resolve) => (releaseStuck = () => resolve('retry')));
      },
    });
    await stuck.start();
    try {
      await stuck.publish('crash', event('in-flight'));
      await expectEventually(() => started);
      const received: string[] = [];
      const successor = pubSub({ leaseMs: 400 });
      successor.subscribe({ topic: 'crash', group: 'survivor', handler: async (delivered) => void received.push(delivered.id) });
      await successor.start();
      await expectEventually(() => expect(received).toEqual(['in-flight']));
    } finally {
      releaseStuck();
    }
  });

  it('keeps delivering behind a slow handler, and never delivers a handler slower than its lease twice', async () => {
    const bus = pubSub({ leaseMs: 300, concurrency: 4 });
    const delivered: string[] = [];
    let releaseSlow: () => void = () => {};
    bus.subscribe({
      topic: 'mixed',
      group: 'governed',
      handler: async (message) => {
        delivered.push(message.id);
        // A send the governor holds back (a minute, in production), far longer than the lease.
        if (message.id === 'slow') await new Promise<void>((resolve) => (releaseSlow = resolve));
      },
    });
    await bus.start();
    await bus.publish('mixed', event('slow'), { key: 'instance-a' });
    await expectEventually(() => expect(delivered).toEqual(['slow']));
    // Other keys published after it are delivered while it waits, batch after batch.
    for (let round = 0; round < 3; round++) {
      await bus.publish('mixed', event(`fast-${round}`), { key: `instance-b-${round}` });
      await expectEventually(() => expect(delivered).toContain(`fast-${round}`));
    }
    // Its own key's next event waits for it: order per key holds.
    await bus.publish('mixed', event('after-slow'), { key: 'instance-a' });
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // three leases: renewed, not redelivered
    expect(delivered.filter((id) => id === 'slow')).toHaveLength(1);
    expect(delivered).not.toContain('after-slow');
    releaseSlow();
    await expectEventually(() => expect(delivered).toContain('after-slow'));
    expect(delivered.filter((id) => id === 'slow')).toHaveLength(1);
  });

  it('wakes up on an in-process publish instead of waiting for the poll', async () => {
    const bus = pubSub({ pollIntervalMs: 60_000 });
    const received: string[] = [];
    bus.subscribe({ topic: 'wake', group: 'sleeper', handler: async (delivered) => void received.push(delivered.id) });
    await bus.start();
    const startedAt = Date.now();
    await bus.publish('wake', event('now'));
    await expectEventually(() => expect(received).toEqual(['now']), { timeoutMs: 5_000 });
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });

  it('gives a group registered later the events already waiting in the outbox', async () => {
    await database.prisma.$transaction((transaction) => enqueueEvent(transaction, 'late.topic', event('before-subscriber')));
    const bus = pubSub();
    const received: string[] = [];
    bus.subscribe({ topic: 'late.topic', group: 'latecomer', handler: async (delivered) => void received.push(delivered.id) });
    await bus.start();
    await expectEventually(() => expect(received).toEqual(['before-subscriber']));
  });
});
