import { createTestDatabase } from '@app/db/testing';
import { metaContact, metaMessage, metaWebhook, postSignedMetaWebhook } from '@app/testkit/meta-graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEventually, metaAppSecret, onboardTenant, platformEnvironment, startRemoteDoubles, type RemoteDoubles } from './platform-harness.ts';
import { freePort, startPlatformProcess, type PlatformProcess } from './platform-process.ts';

const phoneNumberId = '109876543219999';
const accessToken = 'EAAG-at-scale-test-token';
const conversations = 1_000;
const deliveriesPerWebhook = 3;
const customerOf = (index: number) => String(447_700_100_000 + index);

describe('1,000 conversations through two SIGKILLs, every webhook delivered three times', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let doubles: RemoteDoubles;
  let platform: PlatformProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    doubles = await startRemoteDoubles();
    doubles.graph.addPhoneNumber(phoneNumberId, accessToken);
  });

  afterAll(async () => {
    await platform?.stop();
    await doubles?.close();
    await database?.drop();
  });

  it('answers every conversation exactly once', async () => {
    const port = await freePort();
    const environment = platformEnvironment(doubles, database.url, { AI_JOB_TIMEOUT_SECONDS: '50', WORKER_CONCURRENCY: '200', LOG_LEVEL: 'warn' });
    platform = await startPlatformProcess(environment, port);
    const tenant = await onboardTenant(platform.url, doubles.smtp, 'owner@at-scale.example');
    expect((await tenant.api('PUT', '/api/agent', { bufferSeconds: 15, maxBufferSeconds: 60 })).status).toBe(200);
    const created = await tenant.api('POST', '/api/instances', { provider: 'META', name: 'Shop', phoneNumberId, accessToken });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    // Each conversation is a burst of two messages in one webhook (Meta groups messages that arrive together); Meta
    // delivers every webhook three times, at once, and again until it gets a 200 (the process was dead).
    const webhooks = Array.from({ length: conversations }, (_, index) =>
      metaWebhook({
        phoneNumberId,
        contacts: [metaContact({ from: customerOf(index), name: `Customer ${index}` })],
        messages: ['Hola, ¿tienen talla 38?', '¿Y en rojo?'].map((text, position) =>
          metaMessage('text', { text: { body: text } }, { from: customerOf(index), id: `wamid.at-scale-${index}-${position}` }),
        ),
      }),
    );
    const acknowledged = new Set<object>();
    const deliver = async (payload: object) => {
      const statuses = await Promise.all(
        Array.from({ length: deliveriesPerWebhook }, () =>
          postSignedMetaWebhook({ url: `${platform!.url}/webhooks/meta`, appSecret: metaAppSecret, payload }).then(
            (response) => response.status,
            () => 0,
          ),
        ),
      );
      if (statuses.includes(200)) acknowledged.add(payload);
    };
    let conversationsDone = 0;
    /** Every conversation's webhooks not yet acknowledged, in order, 16 conversations at a time. */
    const deliverAll = () => {
      let next = 0;
      return Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let index = next++; index < conversations; index = next++) {
            if (!acknowledged.has(webhooks[index]!)) await deliver(webhooks[index]!);
            conversationsDone++;
          }
        }),
      );
    };

    // The model is slow until the second kill: every reply is still being thought about when it lands.
    doubles.openai.setLatency(45_000);

    // 1. SIGKILL in the middle of the webhooks.
    let sending = deliverAll();
    await expectEventually(() => expect(conversationsDone).toBeGreaterThanOrEqual(conversations / 2), { timeoutMs: 120_000, intervalMs: 20 });
    await platform.kill();
    await sending;
    platform = await startPlatformProcess(environment, port);

    // 2. SIGKILL while the model is answering the first bursts (no reply has gone out yet), webhooks still arriving.
    sending = deliverAll();
    await expectEventually(() => expect(doubles.openai.chatRequests().length).toBeGreaterThan(0), { timeoutMs: 120_000, intervalMs: 20 });
    expect(doubles.graph.accepted).toHaveLength(0);
    await platform.kill();
    await sending;
    doubles.openai.setLatency(200);
    platform = await startPlatformProcess(environment, port);
    await deliverAll();
    expect(acknowledged.size).toBe(conversations);
    expect(await database.prisma.message.count({ where: { direction: 'INBOUND' } })).toBe(conversations * 2);

    await expectEventually(() => expect(doubles.graph.accepted.length).toBeGreaterThanOrEqual(conversations), {
      timeoutMs: 240_000,
      intervalMs: 500,
    });
    // Nothing more goes out later: late retries, reminders and redeliveries change nothing.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const repliesPerCustomer = new Map<string, number>();
    for (const sent of doubles.graph.accepted) repliesPerCustomer.set(sent.to ?? '', (repliesPerCustomer.get(sent.to ?? '') ?? 0) + 1);
    expect(doubles.graph.accepted).toHaveLength(conversations);
    expect(repliesPerCustomer.size).toBe(conversations);
    expect([...repliesPerCustomer.values()].every((count) => count === 1)).toBe(true);
    expect(await database.prisma.messageBuffer.count()).toBe(0);
  }, 600_000);
});
