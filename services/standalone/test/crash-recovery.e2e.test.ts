import { createTestDatabase } from '@app/db/testing';
import { metaTextMessageWebhook, postSignedMetaWebhook } from '@app/testkit/meta-graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEventually, metaAppSecret, onboardTenant, platformEnvironment, startRemoteDoubles, type RemoteDoubles } from './platform-harness.ts';
import { freePort, startPlatformProcess, type PlatformProcess } from './platform-process.ts';

const phoneNumberId = '109876543210001';
const accessToken = 'EAAG-crash-test-token';
const customer = '447700900123';

describe('a crash in the middle of a burst (standalone process killed with SIGKILL)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let doubles: RemoteDoubles;
  let platform: PlatformProcess | undefined;
  let environment: Record<string, string>;
  let port: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    doubles = await startRemoteDoubles();
    doubles.graph.addPhoneNumber(phoneNumberId, accessToken);
    port = await freePort();
    // A lost AI job is noticed after AI_JOB_TIMEOUT_SECONDS; short here so the second case runs quickly.
    environment = platformEnvironment(doubles, database.url, { AI_JOB_TIMEOUT_SECONDS: '8', LOG_LEVEL: 'warn' });
  });

  afterAll(async () => {
    await platform?.stop();
    await doubles?.close();
    await database?.close();
    await database?.drop();
  });

  it('still sends exactly one reply after the restart', async () => {
    platform = await startPlatformProcess(environment, port);
    const tenant = await onboardTenant(platform.url, doubles.smtp, 'owner@crash.example');
    // A buffer long enough that the kill lands before the flush is due.
    expect((await tenant.api('PUT', '/api/agent', { bufferSeconds: 4, maxBufferSeconds: 20 })).status).toBe(200);
    expect((await tenant.api('POST', '/api/instances', { provider: 'META', name: 'Shop', phoneNumberId, accessToken })).status).toBe(201);

    for (const [index, text] of ['Is the store open today?', 'And tomorrow?'].entries()) {
      const payload = metaTextMessageWebhook({ phoneNumberId, from: customer, text, id: `wamid.crash-${index}` });
      const response = await postSignedMetaWebhook({ url: `${platform.url}/webhooks/meta`, appSecret: metaAppSecret, payload });
      expect(response.status).toBe(200);
    }
    // Both messages reached the actor (its durable flush reminder exists) and no AI call has happened yet.
    await expectEventually(async () => expect(await database.prisma.actorReminder.count({ where: { name: 'flush' } })).toBe(1));
    await platform.kill();
    expect(doubles.openai.chatRequests()).toHaveLength(0);
    expect(doubles.graph.accepted).toHaveLength(0);

    platform = await startPlatformProcess(environment, port);
    await expectEventually(() => expect(doubles.graph.accepted).toHaveLength(1), { timeoutMs: 30_000 });
    const prompt = JSON.stringify(doubles.openai.chatRequests()[0]?.messages);
    expect(prompt).toContain('Is the store open today?');
    expect(prompt).toContain('And tomorrow?');

    // Nothing more goes out later: no second call, no second send.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(doubles.openai.chatRequests()).toHaveLength(1);
    expect(doubles.graph.accepted).toHaveLength(1);
    expect(await database.prisma.messageBuffer.count()).toBe(0);
  }, 120_000);

  it('answers once when the process dies while the model is still thinking', async () => {
    const secondNumber = '109876543210002';
    doubles.graph.addPhoneNumber(secondNumber, accessToken);
    platform ??= await startPlatformProcess(environment, port);
    const tenant = await onboardTenant(platform.url, doubles.smtp, 'owner@slow-model.example');
    await tenant.api('PUT', '/api/agent', { bufferSeconds: 1, maxBufferSeconds: 5 });
    await tenant.api('POST', '/api/instances', { provider: 'META', name: 'Second shop', phoneNumberId: secondNumber, accessToken });
    const sendsBefore = doubles.graph.accepted.length;
    const callsBefore = doubles.openai.chatRequests().length;
    doubles.openai.setLatency(3_000);

    const payload = metaTextMessageWebhook({ phoneNumberId: secondNumber, from: customer, text: 'Do you deliver?', id: 'wamid.slow-1' });
    await postSignedMetaWebhook({ url: `${platform.url}/webhooks/meta`, appSecret: metaAppSecret, payload });
    await expectEventually(() => expect(doubles.openai.chatRequests().length).toBe(callsBefore + 1), { timeoutMs: 15_000 });
    await platform.kill(); // the model's answer never reaches the dead process
    doubles.openai.setLatency(0);

    platform = await startPlatformProcess(environment, port);
    await expectEventually(() => expect(doubles.graph.accepted.length).toBe(sendsBefore + 1), { timeoutMs: 45_000 });
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(doubles.graph.accepted.length).toBe(sendsBefore + 1);
    expect(doubles.graph.accepted.at(-1)?.phoneNumberId).toBe(secondNumber);
  }, 120_000);
});
