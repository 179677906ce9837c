import { recordInboundMessage, type PrismaClient } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { MessageSendRequested, type DomainEvent } from '@app/domain';
import type { DaprService } from '@app/runtime/dapr';
import { createLogger } from '@app/runtime/service';
import { expectEventually } from '@app/testkit';
import { startDaprSidecarDouble, type DaprSidecarDouble } from '@app/testkit/dapr-sidecar';
import { createOpenAiTestServer, type OpenAiTestServer } from '@app/testkit/openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConversationActorsKubernetesConfig } from '../src/config.ts';
import { startConversationActorsService } from '../src/kubernetes/start-conversation-actors-service.ts';

const tokens = { daprApiToken: 'scenario-sidecar-token', appApiToken: 'scenario-app-token' };

/**
 * What a cluster does to the conversation-actors deployable, played against the sidecar double with Dapr 1.17's
 * Redis Streams semantics and no Resiliency (a delivery not finished is gone unless the app kept it): the sidecar
 * restarts under the app, the deployment scales 1 → 2 → 1 and rolls while customers write, the AI workers answer
 * RETRY when full. Every conversation must be answered exactly once.
 */
describe('conversation-actors on Dapr: sidecar restarts, scaling, RETRY and rollouts lose and double nothing', () => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  let openai: OpenAiTestServer;
  let sidecar: DaprSidecarDouble;
  let instances: DaprService[] = [];
  let businessId: string;
  let instanceId: string;
  let customerSequence = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    prisma = database.prisma;
    openai = await createOpenAiTestServer({ latencyMs: 150 });
    const business = await prisma.business.create({ data: { name: 'Scenario Bakery' } });
    businessId = business.id;
    await prisma.agentConfig.create({ data: { businessId, model: 'gpt-4o-mini', bufferSeconds: 1, maxBufferSeconds: 3 } });
    instanceId = (await prisma.instance.create({ data: { businessId, provider: 'SANDBOX', name: 'sandbox' } })).id;
  });

  afterAll(async () => {
    await openai?.close();
    await database?.drop();
  });

  beforeEach(async () => {
    openai.reset();
    sidecar = await startDaprSidecarDouble({ appId: 'conversation-actors', ...tokens, pubsub: { semantics: '1.17' } });
    instances = [];
  });

  afterEach(async () => {
    for (const instance of instances) await instance.stop();
    await sidecar.stop();
  });

  async function startInstance(workerConcurrency = 40): Promise<DaprService> {
    const config = loadConversationActorsKubernetesConfig({
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: '3',
      PORT: '0',
      HOST: '127.0.0.1',
      DAPR_HTTP_URL: sidecar.url,
      DAPR_API_TOKEN: tokens.daprApiToken,
      APP_API_TOKEN: tokens.appApiToken,
      OPENAI_BASE_URL: openai.baseURL,
      OPENAI_API_KEY: 'sk-test',
      AI_MAX_RETRIES: '0',
      AI_TIMEOUT_SECONDS: '10',
      WORKER_CONCURRENCY: String(workerConcurrency),
    });
    const logger = createLogger({ service: 'conversation-actors-scenario', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
    const service = await startConversationActorsService({ config, logger, relay: { pollIntervalMs: 50 } });
    instances.push(service);
    return service;
  }

  /** The deployment now runs `running` (their daprds hand shake; actors placed elsewhere move). */
  async function deploy(running: DaprService[]): Promise<void> {
    await sidecar.scaleApp(running.map((instance) => instance.url));
  }

  async function stopInstance(instance: DaprService, remaining: DaprService[]): Promise<void> {
    await deploy(remaining);
    await instance.stop();
    instances = instances.filter((candidate) => candidate !== instance);
  }

  /** A new customer writes one message, stored as the provider ingress stores it (persisted once, then the outbox). */
  async function customerWrites(text: string): Promise<string> {
    customerSequence += 1;
    const stored = await recordInboundMessage(prisma, {
      businessId,
      instanceId,
      sender: { phone: `5731100000${customerSequence}` },
      providerMessageId: `wamid.scenario.${customerSequence}.${Date.now()}`,
      sentAt: new Date(),
      content: { kind: 'text', text },
    });
    return stored.conversationId;
  }

  function sendRequests(): DomainEvent[] {
    const seen = new Map<string, DomainEvent>();
    for (const message of sidecar.published.filter((entry) => entry.topic === MessageSendRequested.topic)) {
      const event = message.cloudEvent.data as DomainEvent;
      if (event.type === MessageSendRequested.type) seen.set(event.id, event);
    }
    return [...seen.values()];
  }

  /** Every conversation got one AI reply stored and one send request, and the model was asked once per burst. */
  async function expectAnsweredExactlyOnce(conversationIds: string[]): Promise<void> {
    await expectEventually(
      async () => {
        const answered = sendRequests().map((event) => (event.data as { conversationId: string }).conversationId);
        expect([...answered].sort()).toEqual([...conversationIds].sort());
      },
      { timeoutMs: 45_000 },
    );
    const replies = await prisma.message.groupBy({
      by: ['conversationId'],
      where: { conversationId: { in: conversationIds }, author: 'AI' },
      _count: true,
    });
    expect(replies.map((row) => row._count)).toEqual(conversationIds.map(() => 1));
    expect(openai.chatRequests()).toHaveLength(conversationIds.length);
  }

  it('answers every conversation once while its sidecar restarts under the live app', async () => {
    const app = await startInstance();
    await deploy([app]);
    const before = await Promise.all(Array.from({ length: 5 }, (_, index) => customerWrites(`antes ${index}`)));
    await sidecar.restartSidecar();
    const after = await Promise.all(Array.from({ length: 5 }, (_, index) => customerWrites(`después ${index}`)));
    await expectAnsweredExactlyOnce([...before, ...after]);
  });

  it('answers every conversation once while the deployment scales 1 → 2 → 1 under traffic', async () => {
    const first = await startInstance();
    await deploy([first]);
    const conversations: string[] = [];
    const write = async (count: number, label: string) => {
      for (let index = 0; index < count; index++) conversations.push(await customerWrites(`${label} ${index}`));
    };
    await write(6, 'uno');
    const second = await startInstance();
    await deploy([first, second]);
    await write(6, 'dos');
    await stopInstance(second, [first]);
    await write(6, 'otra vez uno');
    await expectAnsweredExactlyOnce(conversations);
  });

  it('answers every conversation once when full AI workers answer RETRY (Dapr 1.17 would drop those messages)', async () => {
    // One worker and ten queued: twenty bursts at once overflow it, and the overflow is answered 'retry'.
    openai.setLatency(400);
    try {
      const app = await startInstance(1);
      await deploy([app]);
      const conversations = await Promise.all(Array.from({ length: 20 }, (_, index) => customerWrites(`lleno ${index}`)));
      await expectAnsweredExactlyOnce(conversations);
      expect(await prisma.pubSubRetry.count()).toBe(0);
    } finally {
      openai.setLatency(150);
    }
  });

  it('answers every conversation once through a rolling update (a new pod up, then the old one drained and stopped)', async () => {
    const old = await startInstance();
    await deploy([old]);
    const conversations = await Promise.all(Array.from({ length: 8 }, (_, index) => customerWrites(`rollout ${index}`)));
    const replacement = await startInstance();
    await deploy([old, replacement]);
    conversations.push(...(await Promise.all(Array.from({ length: 4 }, (_, index) => customerWrites(`durante ${index}`)))));
    await stopInstance(old, [replacement]);
    conversations.push(...(await Promise.all(Array.from({ length: 4 }, (_, index) => customerWrites(`después ${index}`)))));
    await expectAnsweredExactlyOnce(conversations);
  });
});
