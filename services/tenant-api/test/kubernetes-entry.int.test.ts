import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pendingMigrations } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { serviceStatusPaths } from '@app/domain';
import type { DaprService } from '@app/runtime/dapr';
import { ConfigError } from '@app/runtime/service';
import { expectEventually } from '@app/testkit';
import { startDaprSidecarDouble, type DaprSidecarDouble } from '@app/testkit/dapr-sidecar';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTenantApiKubernetesConfig } from '../src/config.ts';
import { startTenantApiService } from '../src/start-tenant-api-service.ts';

const tokens = { daprApiToken: 'tenant-api-sidecar-token', appApiToken: 'tenant-api-app-token' };
const actorsAppToken = 'conversation-actors-app-token';

let database: TestDatabase;
let sidecar: DaprSidecarDouble;
let service: DaprService;
let actorsApp: Server;
let baileysPod: Server;
const queueStatsAsked: string[] = [];
/** What the pod owning a Baileys slot was asked, with the token it was shown. */
const podRequests: { method: string; path: string; token: string | undefined }[] = [];

function environment(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    DATABASE_URL: database.url,
    PORT: '0',
    HOST: '127.0.0.1',
    DAPR_HTTP_URL: sidecar.url,
    DAPR_API_TOKEN: tokens.daprApiToken,
    APP_API_TOKEN: tokens.appApiToken,
    JWT_SECRET: randomBytes(32).toString('hex'),
    CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    REDIS_URL: 'redis://127.0.0.1:6379',
    BAILEYS_POD_URL_TEMPLATE: `http://127.0.0.1:${(baileysPod.address() as AddressInfo).port}/slot-{slot}`,
    PASSWORD_HASH_MEMORY_KIB: '256',
    LOG_LEVEL: 'silent',
    ...overrides,
  };
}

beforeAll(async () => {
  // An empty database: tenant-api is the deployable that applies the migrations.
  database = await createTestDatabase({ migrated: false });
  // conversation-actors as service invocation reaches it: the status contract's paths behind its own app token.
  const actors = express()
    .use((request, response, next) => (request.header('dapr-api-token') === actorsAppToken ? next() : void response.status(401).end()))
    .get(`/${serviceStatusPaths.aiStatus}`, (_request, response) => {
      response.json({ enabled: false, reason: 'No AI model configured: set OPENAI_API_KEY or OPENAI_BASE_URL' });
    })
    .get('/internal/queue-stats/:businessId', (request, response) => {
      queueStatsAsked.push((request.params as { businessId: string }).businessId);
      response.json({ inFlight: 0, waiting: 1, failed: 0, quarantined: 2, worker: { concurrency: 40, active: 0, queued: 0 } });
    });
  actorsApp = await new Promise((resolve) => {
    const listening = actors.listen(0, '127.0.0.1', () => resolve(listening));
  });
  // The StatefulSet pod that owns a Baileys slot, as tenant-api reaches it by its stable DNS name.
  const pod = express().use((request, response) => {
    podRequests.push({ method: request.method, path: request.path, token: request.header('dapr-api-token') });
    const instanceId = request.path.split('/')[4] ?? '';
    // Any pod with the instance controller deletes the owning pod: 202 {pod, deleted}.
    if (request.method === 'POST' && request.path.endsWith('/restart-pod')) {
      return void response.status(202).json({ pod: `baileys-sessions-${request.path.split('/')[1]?.replace('slot-', '')}`, deleted: true });
    }
    response.json({
      instanceId,
      state: 'waiting-for-scan',
      stopReason: null,
      qr: '2@pod-qr',
      pairingCode: null,
      registered: false,
      account: null,
      reconnectAttempts: 0,
      nextAttemptAt: null,
    });
  });
  baileysPod = await new Promise((resolve) => {
    const listening = pod.listen(0, '127.0.0.1', () => resolve(listening));
  });
  sidecar = await startDaprSidecarDouble({
    appId: 'tenant-api',
    apiToken: tokens.daprApiToken,
    appApiToken: tokens.appApiToken,
    invocationTargets: {
      'conversation-actors': { url: `http://127.0.0.1:${(actorsApp.address() as AddressInfo).port}`, appApiToken: actorsAppToken },
    },
  });
  const config = loadTenantApiKubernetesConfig(environment());
  service = await startTenantApiService({ config, relay: { pollIntervalMs: 50 }, aiStatusRefreshMs: 100 });
  await sidecar.connectApp(service.url);
});

afterAll(async () => {
  await service?.stop();
  await sidecar?.stop();
  actorsApp?.closeAllConnections();
  baileysPod?.closeAllConnections();
  await new Promise((resolve) => baileysPod?.close(resolve));
  await new Promise((resolve) => actorsApp?.close(resolve));
  await database?.drop();
});

describe('tenant-api Kubernetes entry (PostgreSQL, Dapr sidecar double)', () => {
  it('requires DATABASE_URL, JWT_SECRET, CREDENTIALS_KEY and REDIS_URL and names every missing key', () => {
    let thrown: unknown;
    try {
      loadTenantApiKubernetesConfig({ DAPR_HTTP_PORT: 'not-a-port' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const problems = (thrown as ConfigError).problems.join('\n');
    for (const key of ['DATABASE_URL', 'DAPR_HTTP_PORT', 'JWT_SECRET', 'CREDENTIALS_KEY', 'REDIS_URL']) expect(problems).toContain(key);
  });

  it('applied the migrations at start', async () => {
    expect(await pendingMigrations(database)).toEqual([]);
  });

  it('serves what daprd asks for: no actors; messages.outbound (sandbox egress) and the topics live updates show', () => {
    expect(sidecar.appConfig).toBeNull();
    expect(
      sidecar.subscriptions
        .map((entry) => entry.topic)
        .filter((topic) => !topic.endsWith('.dead-letter'))
        .sort(),
    ).toEqual(
      [
        'appointments',
        'businesses.bot-control',
        'contacts.bot-control',
        'contacts.fields',
        'messages.inbound',
        'messages.outbound',
        'messages.status',
        'orders',
      ].sort(),
    );
  });

  it('answers /healthz, /readyz (database and sidecar) and /metrics, and refuses sidecar routes without the app token', async () => {
    await request(service.url).get('/healthz').expect(200, { status: 'ok' });
    const ready = await request(service.url).get('/readyz').expect(200);
    expect(ready.body.checks).toMatchObject({ database: 'ok', sidecar: 'ok', accepting: 'ok' });
    const metrics = await request(service.url).get('/metrics').expect(200);
    expect(metrics.text).toContain('http_request_duration_seconds');
    expect(metrics.text).toContain('service="tenant-api"');
    await request(service.url).get('/dapr/subscribe').expect(401);
  });

  it('relays the outbox through the sidecar: a sandbox message and an operator reply that the sandbox egress then sends', async () => {
    const api = request(service.url);
    const email = `owner.${randomBytes(3).toString('hex')}@example.test`;
    const password = 'correct horse battery';
    await api.post('/api/auth/register').send({ email, password, businessName: 'Kubernetes Bakery' }).expect(201);
    // No SMTP here (the link is only logged): verify the owner directly; instances need a verified owner.
    await database.prisma.user.update({ where: { email }, data: { emailVerifiedAt: new Date() } });
    const bearer = `Bearer ${(await api.post('/api/auth/login').send({ email, password }).expect(200)).body.accessToken}`;
    const instanceId = (await api.post('/api/instances').set('authorization', bearer).send({ provider: 'SANDBOX', name: 'Sandbox' }).expect(201)).body
      .id;
    const inbound = await api
      .post(`/api/sandbox/${instanceId}/messages`)
      .set('authorization', bearer)
      .send({ from: '573001112233', text: 'hola' })
      .expect(202);

    await expectEventually(() =>
      expect(sidecar.published.map((message) => [message.topic, (message.cloudEvent.data as { type: string }).type])).toContainEqual([
        'messages.inbound',
        'message.received',
      ]),
    );

    const reply = await api
      .post(`/api/conversations/${inbound.body.conversationId}/messages`)
      .set('authorization', bearer)
      .send({ text: 'Buenos días' });
    expect(reply.status).toBeLessThan(300);
    const replyId = (
      await database.prisma.message.findFirstOrThrow({ where: { conversationId: inbound.body.conversationId, direction: 'OUTBOUND' } })
    ).id;
    // relay → sidecar publish → delivery to /dapr/events/pubsub/messages.outbound → sandbox egress → SENT
    await expectEventually(async () => expect((await database.prisma.message.findUniqueOrThrow({ where: { id: replyId } })).status).toBe('SENT'));
    const sendRequest = sidecar.published.find((message) => (message.cloudEvent.data as { data: { messageId?: string } }).data.messageId === replyId);
    expect(sendRequest).toMatchObject({ topic: 'messages.outbound', metadata: { partitionKey: inbound.body.conversationId } });
    // The double records the outcome when the app answers, which is after the egress stored SENT.
    await expectEventually(() =>
      expect(
        sidecar.deliveries.filter((delivery) => delivery.cloudEventId === sendRequest!.cloudEvent.id).map((delivery) => delivery.outcome),
      ).toEqual(['SUCCESS']),
    );
    // Delivered once to the sidecar: the relay deleted its delivery rows.
    await expectEventually(async () => expect(await database.prisma.outboxDelivery.count({ where: { subscriber: 'dapr-relay' } })).toBe(0));
  });

  it('asks the pod that owns a WhatsApp Web session for its QR code, with the app token', async () => {
    const api = request(service.url);
    const email = `owner.${randomBytes(3).toString('hex')}@example.test`;
    const password = 'correct horse battery';
    await api.post('/api/auth/register').send({ email, password, businessName: 'Baileys Bakery' }).expect(201);
    await database.prisma.user.update({ where: { email }, data: { emailVerifiedAt: new Date() } });
    const bearer = `Bearer ${(await api.post('/api/auth/login').send({ email, password }).expect(200)).body.accessToken}`;
    const instance = (await api.post('/api/instances').set('authorization', bearer).send({ provider: 'BAILEYS', name: 'Shop phone' }).expect(201))
      .body;

    const session = await api.get(`/api/instances/${instance.id}/session`).set('authorization', bearer).expect(200);
    expect(session.body).toMatchObject({ state: 'waiting-for-scan', qr: '2@pod-qr' });
    expect(podRequests).toContainEqual({
      method: 'POST',
      path: `/slot-${instance.slot}/internal/sessions/${instance.id}/restart`,
      token: tokens.appApiToken,
    });
    expect(podRequests).toContainEqual({ method: 'GET', path: `/slot-${instance.slot}/internal/sessions/${instance.id}`, token: tokens.appApiToken });
  });

  it('restarts the pod of a WhatsApp Web session for its owner only; another tenant gets a 404 and no pod is asked', async () => {
    const api = request(service.url);
    async function signUp(businessName: string): Promise<string> {
      const email = `owner.${randomBytes(3).toString('hex')}@example.test`;
      const password = 'correct horse battery';
      await api.post('/api/auth/register').send({ email, password, businessName }).expect(201);
      await database.prisma.user.update({ where: { email }, data: { emailVerifiedAt: new Date() } });
      return `Bearer ${(await api.post('/api/auth/login').send({ email, password }).expect(200)).body.accessToken}`;
    }
    const owner = await signUp('Pod Bakery');
    const stranger = await signUp('Other Bakery');
    const instance = (await api.post('/api/instances').set('authorization', owner).send({ provider: 'BAILEYS', name: 'Pod phone' }).expect(201)).body;
    const restartPodPath = `/slot-${instance.slot}/internal/instances/${instance.id}/restart-pod`;

    const refused = await api.post(`/api/instances/${instance.id}/session/restart-pod`).set('authorization', stranger).expect(404);
    expect(refused.body.error.code).toBe('NOT_FOUND');
    expect(podRequests.filter((entry) => entry.path === restartPodPath)).toEqual([]);

    const restarted = await api.post(`/api/instances/${instance.id}/session/restart-pod`).set('authorization', owner).expect(202);
    expect(restarted.body).toEqual({ pod: `baileys-sessions-${instance.slot}`, deleted: true });
    expect(podRequests.filter((entry) => entry.path === restartPodPath)).toEqual([
      { method: 'POST', path: restartPodPath, token: tokens.appApiToken },
    ]);
  });

  it('asks conversation-actors for the AI status and queue statistics through Dapr service invocation', async () => {
    const api = request(service.url);
    const email = `owner.${randomBytes(3).toString('hex')}@example.test`;
    const password = 'correct horse battery';
    const business = (await api.post('/api/auth/register').send({ email, password, businessName: 'Status Bakery' }).expect(201)).body.business.id;
    const bearer = `Bearer ${(await api.post('/api/auth/login').send({ email, password }).expect(200)).body.accessToken}`;
    await expectEventually(async () =>
      expect((await api.get('/api/agent').set('authorization', bearer).expect(200)).body.aiReplies).toEqual({
        enabled: false,
        reason: 'No AI model configured: set OPENAI_API_KEY or OPENAI_BASE_URL',
      }),
    );
    const stats = await api.get('/api/agent/queue-stats').set('authorization', bearer).expect(200);
    expect(stats.body).toMatchObject({ waiting: 1, quarantined: 2 });
    expect(queueStatsAsked).toEqual([business]);
  });

  it('stops gracefully: not ready, no more deliveries taken, port closed, database released', async () => {
    const stopping = service.stop();
    await stopping;
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();
    await expect(service.database.prisma.$queryRaw`SELECT 1`).rejects.toThrow();
  });
});
