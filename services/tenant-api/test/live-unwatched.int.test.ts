import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageReceived } from '@app/domain';
import { expectEventually } from '@app/testkit';
import { LIVE_UPDATES_GROUP } from '../src/live/live-outbox.subscription.ts';
import { createSandboxInstance, issueTicket, redisUrl, sendCustomerMessage, startLiveServer, type LiveServer } from './live-harness.ts';
import { dataOf, framesOf, openSse, waitForFrame, type SseConnection } from './live-sse-client.ts';
import { signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

interface MessageEvent {
  message: { id: string; text: string | null };
}

const textOf = (frame: { data: string }) => dataOf<MessageEvent>(frame).message.text;
const createdTexts = (connection: SseConnection) => framesOf(connection, 'message.created').map(textOf);

/** Live updates skip the views of a business nobody watches; a client that missed such events must resync. */
describe('live updates while no console watches', () => {
  let harness: TenantApiHarness;
  let tenant: SignedInTenant;
  const connections: SseConnection[] = [];

  const connect = async (server: LiveServer, headers: Record<string, string> = {}) => {
    const connection = await openSse(`${server.url}/api/live?ticket=${await issueTicket(server, tenant)}`, headers);
    connections.push(connection);
    await waitForFrame(connection, (frame) => frame.event === 'ready');
    return connection;
  };
  const closeAndWait = async (server: LiveServer, connection: SseConnection) => {
    connection.close();
    await expectEventually(() => expect(server.live.openStreamCount()).toBe(0));
  };
  const liveGroupDrained = () =>
    expectEventually(async () => expect(await harness.database.prisma.outboxDelivery.count({ where: { subscriber: LIVE_UPDATES_GROUP } })).toBe(0));

  beforeAll(async () => {
    harness = await startTenantApiHarness();
    tenant = await signUp(harness);
  });

  afterAll(async () => {
    for (const connection of connections) connection.close();
    await harness?.close();
  });

  describe('in process', () => {
    let server: LiveServer;
    let instanceId: string;

    beforeAll(async () => {
      server = await startLiveServer(harness, { watchLingerMs: 5_000 });
      instanceId = await createSandboxInstance(server, tenant);
    });
    afterAll(async () => server?.stop());

    it('replays without a resync when the client comes back within the linger', async () => {
      const first = await connect(server);
      await sendCustomerMessage(server, tenant, instanceId, 'seen before the blip');
      await waitForFrame(first, (frame) => frame.event === 'conversation.updated');
      const lastSeen = first.frames.at(-1)!.id!;
      await closeAndWait(server, first);

      await sendCustomerMessage(server, tenant, instanceId, 'during the blip');
      await liveGroupDrained();
      const resumed = await connect(server, { 'Last-Event-ID': lastSeen });
      expect(framesOf(resumed, 'resync')).toEqual([]);
      expect(createdTexts(resumed)).toEqual(['during the blip']);
      await closeAndWait(server, resumed);
    });

    it('records one gap for a run of skipped events: a client from before it resyncs, one from after it replays', async () => {
      const first = await connect(server);
      await sendCustomerMessage(server, tenant, instanceId, 'seen while watching');
      await waitForFrame(first, (frame) => frame.event === 'conversation.updated');
      const lastSeen = first.frames.at(-1)!.id!;
      await closeAndWait(server, first);
      harness.clock.advance(5_001);

      await sendCustomerMessage(server, tenant, instanceId, 'skipped one');
      await sendCustomerMessage(server, tenant, instanceId, 'skipped two');
      await liveGroupDrained();

      const behind = await connect(server, { 'Last-Event-ID': lastSeen });
      expect(behind.frames[0]).toMatchObject({ event: 'resync' });
      expect(createdTexts(behind)).toEqual([]);
      const gapId = behind.frames[0]!.id!;
      expect(dataOf(behind.frames.find((frame) => frame.event === 'ready')!)).toMatchObject({ lastEventId: gapId, resync: true });

      // Both skipped events left ONE marker, the newest entry: resuming from it replays nothing and needs no resync.
      const atGap = await connect(server, { 'Last-Event-ID': gapId });
      expect(framesOf(atGap, 'resync')).toEqual([]);
      expect(dataOf(atGap.frames.find((frame) => frame.event === 'ready')!)).toMatchObject({ lastEventId: gapId, replayed: 0, resync: false });

      // Watched again: events are published in full.
      await sendCustomerMessage(server, tenant, instanceId, 'watched again');
      for (const connection of [behind, atGap])
        await waitForFrame(connection, (frame) => frame.event === 'message.created' && textOf(frame) === 'watched again');
    });
  });

  describe('across replicas through Redis', () => {
    const keyPrefix = `test:${randomUUID()}:`;
    const redis = new Redis(redisUrl);
    let replicaA: LiveServer;
    let replicaB: LiveServer;
    let instanceId: string;
    const watcherKey = () => `${keyPrefix}live:{${tenant.businessId}}:watched`;
    /** A delivery of a stored message's event that no replica handled yet (a fresh event id). */
    const freshEventFor = async (messageId: string) => {
      const stored = await harness.database.prisma.outboxEvent.findFirst({
        where: { topic: MessageReceived.topic, payload: { path: ['data', 'messageId'], equals: messageId } },
      });
      return MessageReceived.create(MessageReceived.parse(stored!.payload).data);
    };
    const handlerOf = (server: LiveServer) => server.live.subscriptions.find((subscription) => subscription.topic === MessageReceived.topic)!.handler;

    beforeAll(async () => {
      const start = () => startLiveServer(harness, { redisUrl, keyPrefix, watchLingerMs: 1_500 });
      [replicaA, replicaB] = await Promise.all([start(), start()]);
      instanceId = await createSandboxInstance(replicaA, tenant);
    });
    afterAll(async () => {
      await Promise.all([replicaA?.stop(), replicaB?.stop()]);
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });

    it('publishes in full on a replica without streams while another replica holds one, and keeps the watcher key alive', async () => {
      const onA = await connect(replicaA);
      const sent = await sendCustomerMessage(replicaA, tenant, instanceId, 'handled by B');
      await waitForFrame(onA, (frame) => frame.event === 'message.created' && textOf(frame) === 'handled by B');
      // Longer than the key's TTL: only A's refresh keeps it.
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      expect(await redis.exists(watcherKey())).toBe(1);
      expect(replicaB.live.openStreamCount()).toBe(0);
      expect(await handlerOf(replicaB)(await freshEventFor(sent.messageId))).toBe('success');
      await expectEventually(() => expect(createdTexts(onA).filter((text) => text === 'handled by B')).toHaveLength(2));
      expect(framesOf(onA, 'resync')).toEqual([]);
      await closeAndWait(replicaA, onA);
    });

    it('once the watcher key expired, skipped events make a client resuming from before them resync', async () => {
      const first = await connect(replicaB);
      await sendCustomerMessage(replicaB, tenant, instanceId, 'seen on B');
      await waitForFrame(first, (frame) => frame.event === 'conversation.updated');
      const lastSeen = first.frames.at(-1)!.id!;
      await closeAndWait(replicaB, first);
      await expectEventually(async () => expect(await redis.exists(watcherKey())).toBe(0));

      await sendCustomerMessage(replicaA, tenant, instanceId, 'nobody watched this');
      await liveGroupDrained();
      const behind = await connect(replicaA, { 'Last-Event-ID': lastSeen });
      expect(behind.frames[0]).toMatchObject({ event: 'resync' });
      expect(createdTexts(behind)).toEqual([]);
      await closeAndWait(replicaA, behind);
    });

    it('a gap recorded while a stream is open (its key lost) reaches that stream as a resync', async () => {
      // A replica that refreshes its key only every 20 s, so the test decides when the key is gone.
      const slow = await startLiveServer(harness, { redisUrl, keyPrefix, watchLingerMs: 60_000 });
      try {
        const onSlow = await connect(slow);
        const sent = await sendCustomerMessage(slow, tenant, instanceId, 'before the key was lost');
        await waitForFrame(onSlow, (frame) => frame.event === 'message.created' && textOf(frame) === 'before the key was lost');
        // As if the replica had stalled past the TTL: B sees nobody watching and records a gap, which the open stream gets.
        await redis.del(watcherKey());
        expect(await handlerOf(replicaB)(await freshEventFor(sent.messageId))).toBe('success');
        const resync = await waitForFrame(onSlow, (frame) => frame.event === 'resync');
        expect(dataOf(resync)).toEqual({ lastEventId: resync.id });
        expect(createdTexts(onSlow)).toEqual(['before the key was lost']);
      } finally {
        await slow.stop();
      }
    });
  });
});
