import { Agent, get, type IncomingMessage } from 'node:http';
import { migrateDatabase, recordInboundMessage } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { CONVERSATION_ACTOR_TYPE, conversationActorId, type ConversationSnapshot } from '@app/domain';
import { createDaprActorClient, deadLetterTopicOf, type DaprService } from '@app/runtime/dapr';
import { ConfigError, createLogger } from '@app/runtime/service';
import { expectEventually } from '@app/testkit';
import { startDaprSidecarDouble, type DaprSidecarDouble } from '@app/testkit/dapr-sidecar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConversationActorsKubernetesConfig } from '../config.ts';
import { startConversationActorsService } from './start-conversation-actors-service.ts';

const tokens = { daprApiToken: 'actors-sidecar-token', appApiToken: 'actors-app-token' };

let database: TestDatabase;
let sidecar: DaprSidecarDouble;
let service: DaprService;
let startedBeforeMigrations = false;

beforeAll(async () => {
  // An empty database: this deployable waits for tenant-api to migrate it.
  database = await createTestDatabase({ migrated: false });
  sidecar = await startDaprSidecarDouble({ appId: 'conversation-actors', apiToken: tokens.daprApiToken, appApiToken: tokens.appApiToken });
  const config = loadConversationActorsKubernetesConfig({
    DATABASE_URL: database.url,
    PORT: '0',
    HOST: '127.0.0.1',
    DAPR_HOST: new URL(sidecar.url).hostname,
    DAPR_HTTP_PORT: new URL(sidecar.url).port,
    DAPR_API_TOKEN: tokens.daprApiToken,
    APP_API_TOKEN: tokens.appApiToken,
  });
  const starting = startConversationActorsService({
    config,
    logger: createLogger({ service: 'conversation-actors-test', level: 'silent' }),
    relay: { pollIntervalMs: 50 },
  }).then((started) => {
    startedBeforeMigrations = !migrated;
    return started;
  });
  let migrated = false;
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await migrateDatabase(database);
  migrated = true;
  service = await starting;
  await sidecar.connectApp(service.url);
});

afterAll(async () => {
  await service?.stop();
  await sidecar?.stop();
  await database?.drop();
});

describe('conversation-actors Kubernetes entry (PostgreSQL, Dapr sidecar double)', () => {
  it('requires DATABASE_URL and validates the sidecar settings', () => {
    expect(() => loadConversationActorsKubernetesConfig({ DAPR_HTTP_URL: 'not a url' })).toThrow(ConfigError);
    try {
      loadConversationActorsKubernetesConfig({ DAPR_HTTP_URL: 'not a url' });
    } catch (error) {
      expect((error as ConfigError).problems.map((problem) => problem.split(':')[0])).toEqual(['DATABASE_URL', 'DAPR_HTTP_URL', 'APP_API_TOKEN']);
    }
  });

  it('waited for the migrations instead of starting on an empty database', () => {
    expect(startedBeforeMigrations).toBe(false);
  });

  it('serves what daprd needs: ConversationActor in /dapr/config, and the topics of this app id', () => {
    expect(sidecar.appConfig).toMatchObject({ entities: [CONVERSATION_ACTOR_TYPE], reentrancy: { enabled: false } });
    // No model configured here, so no AI worker on ai.requests (the Dapr suite, with a model, has it).
    const read = sidecar.subscriptions.map((entry) => entry.topic).filter((topic) => !topic.endsWith('.dead-letter'));
    expect(read.sort()).toEqual(['contacts.bot-control', 'messages.inbound', 'messages.outbound']);
    expect(new Set(sidecar.subscriptions.map((entry) => entry.pubsubname))).toEqual(new Set(['pubsub']));
  });

  it('relays message.received through the sidecar and the delivery reaches the actor', async () => {
    const business = await database.prisma.business.create({ data: { name: 'Relay Bakery' } });
    const instance = await database.prisma.instance.create({ data: { businessId: business.id, provider: 'SANDBOX', name: 'sandbox' } });
    const stored = await recordInboundMessage(database.prisma, {
      businessId: business.id,
      instanceId: instance.id,
      sender: { phone: '573009998877' },
      providerMessageId: 'wamid.entry.1',
      sentAt: new Date(),
      content: { kind: 'text', text: 'hola' },
    });
    await expectEventually(() => expect(sidecar.published.map((message) => message.topic)).toContain('messages.inbound'));
    const actors = createDaprActorClient({ daprHttpUrl: sidecar.url, daprApiToken: tokens.daprApiToken });
    const actorId = conversationActorId(instance.id, stored.contactId);
    await expectEventually(async () =>
      expect((await actors.invoke<ConversationSnapshot>(CONVERSATION_ACTOR_TYPE, actorId, 'getSnapshot')).openBuffer?.messageIds).toEqual([
        stored.messageId,
      ]),
    );
    // The flush reminder lives in the sidecar (the Scheduler), not in our database.
    expect(
      sidecar
        .reminders()
        .filter((entry) => entry.actorId === actorId)
        .map((entry) => entry.name),
    ).toContain('flush');
    expect(await database.prisma.actorReminder.count()).toBe(0);
  });

  it('answers the status routes only to its sidecar (service invocation carries the app token)', async () => {
    expect((await fetch(`${service.url}/internal/ai-status`)).status).toBe(401);
    const viaSidecar = await fetch(`${sidecar.url}/v1.0/invoke/conversation-actors/method/internal/ai-status`, {
      headers: { 'dapr-api-token': tokens.daprApiToken },
    });
    expect(await viaSidecar.json()).toEqual({ enabled: false, reason: 'No AI model configured: set OPENAI_API_KEY or OPENAI_BASE_URL' });
  });

  it('keeps an idle connection of its sidecar open past the Node default of 5 s (daprd reuses them for 90 s)', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const healthz = () =>
      new Promise<{ response: IncomingMessage; reusedSocket: boolean }>((resolve, reject) => {
        const request = get(`${service.url}/healthz`, { agent }, (response) =>
          response.resume().on('end', () => resolve({ response, reusedSocket: request.reusedSocket })),
        );
        request.on('error', reject);
      });
    try {
      await healthz();
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      const again = await healthz();
      // The same socket carried the second request: the server did not close it while daprd would still use it.
      expect(again.response.statusCode).toBe(200);
      expect(again.reusedSocket).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it('is not ready, and says why, when its sidecar was refused at /dapr/config for a wrong app token', async () => {
    const mismatched = await startDaprSidecarDouble({ appId: 'conversation-actors', apiToken: tokens.daprApiToken, appApiToken: 'another-token' });
    const config = loadConversationActorsKubernetesConfig({
      DATABASE_URL: database.url,
      PORT: '0',
      HOST: '127.0.0.1',
      DAPR_HTTP_URL: mismatched.url,
      DAPR_API_TOKEN: tokens.daprApiToken,
      APP_API_TOKEN: tokens.appApiToken,
    });
    const second = await startConversationActorsService({ config, logger: createLogger({ service: 'conversation-actors-test', level: 'silent' }) });
    try {
      await mismatched.connectApp(second.url);
      expect(mismatched.appConfig).toBeNull(); // daprd would host no actors here, and carry on silently
      const readiness = await fetch(`${second.url}/readyz`);
      expect(readiness.status).toBe(503);
      expect(((await readiness.json()) as { checks: Record<string, string> }).checks.sidecarHandshake).toContain('APP_API_TOKEN');
    } finally {
      await second.stop();
      await mismatched.stop();
    }
  });

  it('declares a dead-letter topic for every topic it reads, and reads those too', () => {
    const topics = new Set(sidecar.subscriptions.map((entry) => entry.topic));
    const primary = sidecar.subscriptions.filter((entry) => !entry.topic.endsWith('.dead-letter'));
    for (const subscription of primary) {
      expect(subscription.deadLetterTopic).toBe(deadLetterTopicOf(subscription.topic));
      expect(topics).toContain(deadLetterTopicOf(subscription.topic));
    }
  });

  it('is ready with database and sidecar reachable; a graceful stop closes the port and releases the database', async () => {
    expect(((await (await fetch(`${service.url}/readyz`)).json()) as { checks: unknown }).checks).toMatchObject({
      database: 'ok',
      sidecar: 'ok',
      accepting: 'ok',
    });
    await service.stop();
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();
    await expect(service.database.prisma.$queryRaw`SELECT 1`).rejects.toThrow();
  });
});
