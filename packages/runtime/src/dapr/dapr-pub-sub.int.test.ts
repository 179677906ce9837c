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
    pubsubRetry: { intervalMs: 100, maxRetries: 3 },
    bindingResponder: (call) => (call.metadata.path === '/broken' ? { statusCode: 502 } : { statusCode: 200, body: { ok: true } }),
  });
  daprClient = createDaprClient({ daprHttpUrl: sidecar.url });
  pubSub = createDaprPubSub({ pubsubName: 'pubsub', daprClient, logger });
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
  it('serves its subscriptions at /dapr/subscribe, one route per topic', () => {
    expect(sidecar.subscriptions.map((entry) => [entry.pubsubname, entry.topic]).sort()).toEqual([
      ['pubsub', 'orders'],
      ['pubsub', 'relayed'],
    ]);
  });

  it('publishes through DaprClient as a CloudEvent and delivers it to every group of the topic', async () => {
    await pubSub.publish('orders', event('plain'), { key: 'conversation-1' });
    await expectEventually(() => expect([received.billing, received.admin]).toEqual([['plain'], ['plain']]));
    const message = sidecar.published.find((entry) => (entry.cloudEvent.data as DomainEvent).id === 'plain');
    expect(message?.cloudEvent).toMatchObject({ specversion: '1.0', type: 'com.dapr.event.sent', datacontenttype: 'application/json', topic: 'orders' });
    expect(message?.metadata).toEqual({ partitionKey: 'conversation-1' });
    await expectEventually(() =>
      expect(sidecar.deliveries.filter((entry) => entry.cloudEventId === message?.cloudEvent.id).map((entry) => entry.outcome)).toEqual(['SUCCESS']),
    );
  });

  it('answers RETRY when a handler asks for it or throws, so the message is redelivered and not lost', async () => {
    scripted.set('billing:retry-me', ['retry']);
    scripted.set('billing:throw-once', ['retry']);
    await pubSub.publish('orders', event('retry-me'));
    await pubSub.publish('orders', event('throw-once'));
    await expectEventually(() => {
      expect(received.billing!.filter((id) => id === 'retry-me')).toHaveLength(2);
      expect(received.billing!.filter((id) => id === 'throw-once')).toHaveLength(2);
    });
    const outcomes = (id: string) => {
      const cloudEventId = sidecar.published.find((entry) => (entry.cloudEvent.data as DomainEvent).id === id)?.cloudEvent.id;
      return sidecar.deliveries.filter((entry) => entry.cloudEventId === cloudEventId).map((entry) => entry.outcome);
    };
    await expectEventually(() => {
      expect(outcomes('retry-me')).toEqual(['RETRY', 'SUCCESS']);
      expect(outcomes('throw-once')).toEqual(['RETRY', 'SUCCESS']);
    });
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
