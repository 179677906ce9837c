import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageReceived } from '@app/domain';
import { expectEventually } from '@app/testkit';
import { createSandboxInstance, issueTicket, redisUrl, sendCustomerMessage, startLiveServer, type LiveServer } from './live-harness.ts';
import { dataOf, openSse, startReconnectingClient, waitForFrame, type SseConnection } from './live-sse-client.ts';
import { signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

interface MessageEvent {
  conversationId: string;
  message: { id: string; text: string | null };
}

const textOf = (frame: { data: string }) => dataOf<MessageEvent>(frame).message.text;

describe('live updates through Redis: several tenant-api replicas', () => {
  const keyPrefix = `test:${randomUUID()}:`;
  let harness: TenantApiHarness;
  let replicaA: LiveServer;
  let replicaB: LiveServer;
  let tenant: SignedInTenant;
  let instanceId: string;
  const connections: SseConnection[] = [];
  const redis = new Redis(redisUrl);

  const connect = async (server: LiveServer, headers: Record<string, string> = {}) => {
    const connection = await openSse(`${server.url}/api/live?ticket=${await issueTicket(server, tenant)}`, headers);
    connections.push(connection);
    await waitForFrame(connection, (frame) => frame.event === 'ready');
    return connection;
  };
  const start = () => startLiveServer(harness, { redisUrl, keyPrefix });

  beforeAll(async () => {
    harness = await startTenantApiHarness();
    [replicaA, replicaB] = await Promise.all([start(), start()]);
    tenant = await signUp(harness);
    instanceId = await createSandboxInstance(replicaA, tenant);
  });

  afterAll(async () => {
    for (const connection of connections) connection.close();
    await Promise.all([replicaA?.stop(), replicaB?.stop()]);
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await harness?.close();
  });

  it('delivers every event exactly once to the clients of each replica, in the same order', async () => {
    const onA = await connect(replicaA);
    const onB = await connect(replicaB);
    const texts = ['one', 'two', 'three', 'four', 'five', 'six'];
    // Spread over both replicas' APIs; the outbox group hands each event to one of them.
    for (const [index, text] of texts.entries()) await sendCustomerMessage(index % 2 ? replicaA : replicaB, tenant, instanceId, text);
    for (const connection of [onA, onB]) {
      await expectEventually(() =>
        expect(
          connection.frames
            .filter((frame) => frame.event === 'message.created')
            .map(textOf)
            .sort(),
        ).toEqual([...texts].sort()),
      );
    }
    await expectEventually(() => expect(onB.frames.filter((frame) => frame.event === 'conversation.updated')).toHaveLength(texts.length));
    const eventsOf = (connection: SseConnection) =>
      connection.frames.filter((frame) => frame.event !== 'ready').map((frame) => `${frame.id} ${frame.event} ${frame.data}`);
    await expectEventually(() => expect(eventsOf(onA)).toEqual(eventsOf(onB)));
    const ids = onA.frames.filter((frame) => frame.event !== 'ready').map((frame) => frame.id!);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('publishes a redelivered outbox event once, whichever replica handles it again', async () => {
    const onA = await connect(replicaA);
    const onB = await connect(replicaB);
    const sent = await sendCustomerMessage(replicaA, tenant, instanceId, 'delivered three times');
    await waitForFrame(onA, (frame) => frame.event === 'message.created' && textOf(frame) === 'delivered three times');
    const stored = await harness.database.prisma.outboxEvent.findFirst({
      where: { topic: MessageReceived.topic, payload: { path: ['data', 'messageId'], equals: sent.messageId } },
    });
    const event = MessageReceived.parse(stored!.payload);
    const handlerOf = (server: LiveServer) => server.live.subscriptions.find((subscription) => subscription.topic === MessageReceived.topic)!.handler;
    expect(await handlerOf(replicaA)(event)).toBe('success');
    expect(await handlerOf(replicaB)(event)).toBe('success');
    await sendCustomerMessage(replicaB, tenant, instanceId, 'marker');
    for (const connection of [onA, onB]) {
      await waitForFrame(connection, (frame) => frame.event === 'message.created' && textOf(frame) === 'marker');
      expect(connection.frames.filter((frame) => frame.event === 'message.created' && textOf(frame) === 'delivered three times')).toHaveLength(1);
    }
  });

  it('accepts a ticket from one replica at another, once', async () => {
    const ticket = await issueTicket(replicaA, tenant);
    const first = await openSse(`${replicaB.url}/api/live?ticket=${ticket}`);
    connections.push(first);
    expect(first.status).toBe(200);
    expect((await openSse(`${replicaA.url}/api/live?ticket=${ticket}`)).status).toBe(401);
  });

  it('replays from the shared buffer after a replica restart: nothing lost, nothing twice', async () => {
    let current = replicaA;
    const client = startReconnectingClient({ baseUrl: () => current.url, ticket: () => issueTicket(current, tenant), retryMs: 50 });
    await expectEventually(() => expect(client.frames.some((frame) => frame.event === 'ready')).toBe(true));
    await sendCustomerMessage(replicaB, tenant, instanceId, 'before restart');
    await waitForFrame(client, (frame) => frame.event === 'message.created' && textOf(frame) === 'before restart');

    await replicaA.stop();
    // Meanwhile replica B keeps serving: these are published while the client has no stream.
    await sendCustomerMessage(replicaB, tenant, instanceId, 'during restart 1');
    await sendCustomerMessage(replicaB, tenant, instanceId, 'during restart 2');
    const watcher = await connect(replicaB);
    await waitForFrame(watcher, (frame) => frame.event === 'message.created' && textOf(frame) === 'during restart 2');
    replicaA = await start();
    current = replicaA;
    await sendCustomerMessage(replicaA, tenant, instanceId, 'after restart');

    await waitForFrame(client, (frame) => frame.event === 'message.created' && textOf(frame) === 'after restart');
    expect(client.frames.some((frame) => frame.event === 'resync')).toBe(false);
    const texts = client.frames.filter((frame) => frame.event === 'message.created').map(textOf);
    expect(texts).toEqual(['before restart', 'during restart 1', 'during restart 2', 'after restart']);
    const ids = client.frames.filter((frame) => frame.event !== 'ready').map((frame) => frame.id);
    expect(new Set(ids).size).toBe(ids.length);
    await client.stop();
  });

  it('asks for a resync when the client is further behind than the buffer keeps', async () => {
    const small = await startLiveServer(harness, { redisUrl, keyPrefix: `${keyPrefix}small:`, limits: { maxEvents: 3, maxAgeMs: 60_000 } });
    try {
      const stream = await openSse(`${small.url}/api/live?ticket=${await issueTicket(small, tenant)}`);
      connections.push(stream);
      await waitForFrame(stream, (frame) => frame.event === 'ready');
      const published = [];
      for (let index = 0; index < 5; index += 1)
        published.push(await small.live.channel.publish(tenant.businessId, { type: 'business.updated', data: { botEnabled: index % 2 === 0 } }));
      await expectEventually(() => expect(stream.frames.filter((frame) => frame.event === 'business.updated')).toHaveLength(5));

      const inWindow = await openSse(`${small.url}/api/live?ticket=${await issueTicket(small, tenant)}`, { 'Last-Event-ID': published[2]!.id });
      connections.push(inWindow);
      await waitForFrame(inWindow, (frame) => frame.event === 'ready');
      expect(inWindow.frames.filter((frame) => frame.event === 'business.updated').map((frame) => frame.id)).toEqual([
        published[3]!.id,
        published[4]!.id,
      ]);

      const tooOld = await openSse(`${small.url}/api/live?ticket=${await issueTicket(small, tenant)}`, { 'Last-Event-ID': published[0]!.id });
      connections.push(tooOld);
      await waitForFrame(tooOld, (frame) => frame.event === 'ready');
      expect(tooOld.frames[0]).toMatchObject({ event: 'resync', id: published[4]!.id });
      expect(tooOld.frames.filter((frame) => frame.event === 'business.updated')).toEqual([]);
    } finally {
      await small.stop();
    }
  });
});
