import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { enqueueEvent } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import type { DomainEvent } from '@app/domain';
import { startDaprSidecarDouble, type DaprSidecarDouble } from '@app/testkit/dapr-sidecar';
import type { DaprClient } from '@dapr/dapr';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxRelay } from '../local/outbox-relay.ts';
import type { DeliveryOutcome } from '../ports/pub-sub.ts';
import { expectEventually } from '@app/testkit';
import { createDaprClient } from './dapr-client.ts';
import { createDaprOutputBinding } from './dapr-output-binding.ts';
import { createDaprPubSub, type DaprPubSub } from './dapr-pub-sub.ts';

const logger = pino({ level: 'silent' });
let sidecar: DaprSidecarDouble;
let daprClient: DaprClient;
let pubSub: DaprPubSub;
let server: Server;
let database: TestDatabase;
const received: Record<string, string[]> = {};
const scripted = new Map<string, DeliveryOutcome[]>();

function event(id: string): DomainEvent {
  return { id, type: 'test.happened', occurredAt: new Date(0).toISOString(), data: { id } };
}

function record(group: string) {
  return async (delivered: DomainEvent): Promise<DeliveryOutcome> => {
    (received[group] ??= []).push(delivered.id);
    const next = scripted.get(`${group}:${delivered.id}`)?.shift();
    if (next === undefined) return 'success';
    if (next === 'retry' && delivered.id.startsWith('throw')) throw new Error('handler crashed');
    return next;
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  sidecar = await startDaprSidecarDouble({
    bindingResponder: (call) => (call.metadata.path === '/broken' ? { statusCode: 502 } : { statusCode: 200, body: { ok: true } }),
  });
  daprClient = createDaprClient({ daprHttpUrl: sidecar.url });
  pubSub = createDaprPubSub({
    pubsubName: 'pubsub',
    daprHttpUrl: sidecar.url,
    logger,
    retries: { prisma: database.prisma, pollIntervalMs: 50, maxBackoffMs: 200 },
  });
  pubSub.subscribe({ topic: 'orders', group: 'billing', handler: record('billing') });
  pubSub.subscribe({ topic: 'orders', group: 'admin', handler: record('admin') });
  pubSub.subscribe({ topic: 'relayed', group: 'relay-check', handler: record('relayed') });
  const app = express();
  app.use(pubSub.router);
  server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  await pubSub.start();
  await sidecar.connectApp(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

afterAll(async () => {
  await pubSub.stop();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await sidecar.stop();
  await database.drop();
});

describe('createDaprPubSub behind the sidecar double', () => {
  it('serves its subscriptions at /dapr/subscribe, one route per topic, each with a dead-letter topic it also reads', () => {
    expect(sidecar.subscriptions.map((entry) => [entry.topic, entry.route, entry.deadLetterTopic]).sort()).toEqual([
      ['orders', '/dapr/events/pubsub/orders', 'orders.dead-letter'],
      ['orders.dead-letter', '/dapr/events/pubsub/orders', undefined],
      ['relayed', '/dapr/events/pubsub/relayed', 'relayed.dead-letter'],
      ['relayed.dead-letter', '/dapr/events/pubsub/relayed', undefined],
    ]);
  });

  it('gets a message back from its dead-letter topic when it could not keep it and Dapr 1.17 gave up on it', async () => {
    const bare = await startDaprSidecarDouble();
    // No retry store: the adapter can only answer RETRY, which Dapr 1.17 turns into a dead letter at once.
    const adapter = createDaprPubSub({ pubsubName: 'pubsub', daprHttpUrl: bare.url, logger });
    const seen: string[] = [];
    adapter.subscribe({
      topic: 'fragile',
      group: 'once-failing',
      handler: async (delivered) => (seen.push(delivered.id) === 1 ? 'retry' : 'success'),
    });
    const listening: Server = await new Promise((resolve) => {
      const started = express()
        .use(adapter.router)
        .listen(0, '127.0.0.1', () => resolve(started));
    });
    try {
      await adapter.start();
      await bare.connectApp(`http://127.0.0.1:${(listening.address() as AddressInfo).port}`);
      await adapter.publish('fragile', event('second-chance'));
      await expectEventually(() =>
        expect(bare.deliveries.map((entry) => [entry.topic, entry.outcome])).toEqual([
          ['fragile', 'RETRY'],
          ['fragile', 'DEAD_LETTERED'],
          ['fragile.dead-letter', 'SUCCESS'],
        ]),
      );
      expect(seen).toEqual(['second-chance', 'second-chance']);
    } finally {
      await adapter.stop();
      listening.closeAllConnections();
      await new Promise((resolve) => listening.close(resolve));
      await bare.stop();
    }
  });

  it('publishes through DaprClient as a CloudEvent and delivers it to every group of the topic', async () => {
    await pubSub.publish('orders', event('plain'), { key: 'conversation-1' });
    await expectEventually(() => expect([received.billing, received.admin]).toEqual([['plain'], ['plain']]));
    const message = sidecar.published.find((entry) => (entry.cloudEvent.data as DomainEvent).id === 'plain');
    expect(message?.cloudEvent).toMatchObject({
      specversion: '1.0',
      type: 'com.dapr.event.sent',
      datacontenttype: 'application/json',
      topic: 'orders',
    });
    expect(message?.metadata).toEqual({ partitionKey: 'conversation-1' });
    await expectEventually(() =>
      expect(sidecar.deliveries.filter((entry) => entry.cloudEventId === message?.cloudEvent.id).map((entry) => entry.outcome)).toEqual(['SUCCESS']),
    );
  });

  it('keeps a delivery a group answered retry to or threw on in PostgreSQL, acknowledges it, and retries that group only', async () => {
    scripted.set('billing:retry-me', ['retry', 'retry']);
    scripted.set('billing:throw-once', ['retry']);
    await pubSub.publish('orders', event('retry-me'));
    await pubSub.publish('orders', event('throw-once'));
    // Dapr 1.17 acknowledges a RETRY on Redis Streams without redelivering: the app must not answer it.
    const outcomes = (id: string) => {
      const cloudEventId = sidecar.published.find((entry) => (entry.cloudEvent.data as DomainEvent).id === id)?.cloudEvent.id;
      return sidecar.deliveries.filter((entry) => entry.cloudEventId === cloudEventId).map((entry) => entry.outcome);
    };
    await expectEventually(() => {
      expect(outcomes('retry-me')).toEqual(['SUCCESS']);
      expect(outcomes('throw-once')).toEqual(['SUCCESS']);
    });
    await expectEventually(() => {
      expect(received.billing!.filter((id) => id === 'retry-me')).toHaveLength(3);
      expect(received.billing!.filter((id) => id === 'throw-once')).toHaveLength(2);
    });
    expect(received.admin!.filter((id) => id === 'retry-me')).toHaveLength(1);
    await expectEventually(async () => expect(await database.prisma.pubSubRetry.count({ where: { droppedAt: null } })).toBe(0));
  });

  it('keeps the deliveries that arrive while it stops for another replica, answering SUCCESS instead of RETRY', async () => {
    const stopping = createDaprPubSub({ pubsubName: 'pubsub', daprHttpUrl: sidecar.url, logger, retries: { prisma: database.prisma } });
    stopping.subscribe({ topic: 'orders', group: 'billing', handler: record('never') });
    const app = express().use(stopping.router);
    await stopping.start();
    await stopping.stop();
    const answer = await request(app, event('during-stop'));
    expect(answer).toEqual({ status: 'SUCCESS' });
    expect(received.never).toBeUndefined();
    // The running replica's sweeper has the same group and topic: it handles what the stopping one kept.
    await expectEventually(() => expect(received.billing).toContain('during-stop'));
  });

  it('gives up on a delivery after its last attempt and keeps it, marked dropped, for inspection', async () => {
    const store = createDaprPubSub({
      pubsubName: 'pubsub',
      daprHttpUrl: sidecar.url,
      logger,
      retries: { prisma: database.prisma, pollIntervalMs: 20, maxBackoffMs: 20, maxAttempts: 3 },
    });
    store.subscribe({ topic: 'stubborn', group: 'fine', handler: async () => 'success' });
    store.subscribe({ topic: 'stubborn', group: 'always-retry', handler: async () => 'retry' });
    const app = express().use(store.router);
    await store.start();
    try {
      expect(await request(app, event('hopeless'), 'stubborn')).toEqual({ status: 'SUCCESS' });
      await expectEventually(async () => {
        const row = await database.prisma.pubSubRetry.findFirst({ where: { subscriber: 'always-retry', eventId: 'hopeless' } });
        expect(row).toMatchObject({ attempts: 3, lastError: 'answered retry' });
        expect(row?.droppedAt).not.toBeNull();
      });
      expect(await database.prisma.pubSubRetry.count({ where: { subscriber: 'fine', eventId: 'hopeless' } })).toBe(0);
    } finally {
      await store.stop();
    }
  });

  it('answers DROP when every group drops, and the sidecar stops redelivering', async () => {
    scripted.set('billing:poison', ['drop']);
    scripted.set('admin:poison', ['drop']);
    await pubSub.publish('orders', event('poison'));
    await expectEventually(() => expect(received.admin).toContain('poison'));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(received.billing!.filter((id) => id === 'poison')).toHaveLength(1);
  });

  it('reaches the sidecar through the unmodified DaprClient for metadata and health', async () => {
    const metadata = await daprClient.metadata.get();
    expect(metadata.id).toBe('app');
    expect(await daprClient.health.isHealthy()).toBe(true);
  });

  it('calls output bindings through DaprClient and maps a failing target to UNAVAILABLE', async () => {
    const binding = createDaprOutputBinding({ daprClient });
    const answer = await binding.invoke('n8n', { operation: 'post', data: { hello: 'n8n' }, metadata: { path: '/webhook/1' } });
    expect(answer).toEqual({ statusCode: 200, body: { ok: true } });
    expect(sidecar.bindingCalls[0]).toEqual({ name: 'n8n', operation: 'post', data: { hello: 'n8n' }, metadata: { path: '/webhook/1' } });
    await expect(binding.invoke('n8n', { operation: 'post', metadata: { path: '/broken' } })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});

/** Posts one delivery to the adapter's route as daprd would, and returns its answer. */
async function request(app: express.Express, delivered: DomainEvent, topic = 'orders'): Promise<unknown> {
  const listening: Server = await new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
  try {
    const response = await fetch(`http://127.0.0.1:${(listening.address() as AddressInfo).port}/dapr/events/pubsub/${topic}`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({ specversion: '1.0', id: 'ce-1', type: 'com.dapr.event.sent', data: delivered }),
    });
    return await response.json();
  } finally {
    listening.closeAllConnections();
    await new Promise((resolve) => listening.close(resolve));
  }
}

describe('createOutboxRelay', () => {
  it('relays every outbox event to Dapr once, in order per key, with two replicas sharing the work', async () => {
    const relays = [0, 1].map(() => createOutboxRelay({ prisma: database.prisma, logger, publisher: pubSub, pollIntervalMs: 20, batchSize: 25 }));
    await Promise.all(relays.map((relay) => relay.start()));
    try {
      const ids: string[] = [];
      for (let index = 0; index < 120; index++) {
        const id = `relayed-${index % 4}-${index}`;
        ids.push(id);
        await database.prisma.$transaction((transaction) => enqueueEvent(transaction, 'relayed', event(id), { key: `key-${index % 4}` }));
      }
      await expectEventually(() => expect(received.relayed ?? []).toHaveLength(120), { timeoutMs: 30_000 });
      const publishedIds = sidecar.published.filter((entry) => entry.topic === 'relayed').map((entry) => (entry.cloudEvent.data as DomainEvent).id);
      expect([...publishedIds].sort()).toEqual([...ids].sort());
      for (let key = 0; key < 4; key++) {
        const ofKey = (list: string[]) => list.filter((id) => id.startsWith(`relayed-${key}-`));
        expect(ofKey(publishedIds)).toEqual(ofKey(ids));
      }
      await expectEventually(async () => expect(await database.prisma.outboxDelivery.count({ where: { subscriber: 'dapr-relay' } })).toBe(0));
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
    }
  });
});
