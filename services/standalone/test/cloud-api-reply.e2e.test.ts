import { metaTextMessageWebhook, metaWebhook, postSignedMetaWebhook } from '@app/testkit/meta-graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEventually, metaAppSecret, onboardTenant, startTestPlatform, type TestPlatform, type TestTenant } from './platform-harness.ts';

const phoneNumberId = '106540352242922';
const accessToken = 'EAAG-test-access-token';
const customer = '5215512345678';

interface MessageView {
  id: string;
  direction: string;
  author: string;
  text: string | null;
  status: string;
}

describe('a customer writing to a Cloud API number (standalone, real PostgreSQL)', () => {
  let test: TestPlatform;
  let tenant: TestTenant;

  beforeAll(async () => {
    test = await startTestPlatform();
    tenant = await onboardTenant(test.platform.url, test.doubles.smtp, 'owner@shoes.example');
    test.doubles.graph.addPhoneNumber(phoneNumberId, accessToken);
    const agent = await tenant.api('PUT', '/api/agent', {
      systemPrompt: 'You sell shoes for {{business_name}}.',
      bufferSeconds: 1,
      maxBufferSeconds: 6,
    });
    expect(agent.status).toBe(200);
    const instance = await tenant.api('POST', '/api/instances', {
      provider: 'META',
      name: 'Main number',
      phoneNumberId,
      wabaId: '102290129340398',
      accessToken,
    });
    expect(instance.status).toBe(201);
  });

  afterAll(async () => {
    await test?.close();
  });

  const burst = ['Hola 👋', '¿tienen zapatos rojos?', 'talla 38, por favor'].map((text, index) =>
    metaTextMessageWebhook({ phoneNumberId, from: customer, name: 'Sofía Núñez', text, id: `wamid.burst-${index}` }),
  );
  const post = (payload: unknown) => postSignedMetaWebhook({ url: `${test.platform.url}/webhooks/meta`, appSecret: metaAppSecret, payload });

  it('answers a burst of three messages with exactly one OpenAI call and one Graph API send', async () => {
    for (const webhook of burst) expect((await post(webhook)).status).toBe(200);

    await expectEventually(() => expect(test.doubles.graph.accepted).toHaveLength(1), { timeoutMs: 20_000 });
    const chatRequests = test.doubles.openai.chatRequests();
    expect(chatRequests).toHaveLength(1);
    const prompt = JSON.stringify(chatRequests[0]?.messages);
    for (const text of ['Hola 👋', '¿tienen zapatos rojos?', 'talla 38, por favor']) expect(prompt).toContain(text);
    expect(prompt).toContain('You sell shoes for Shop of owner@shoes.example.');

    const sent = test.doubles.graph.accepted[0];
    expect(sent?.phoneNumberId).toBe(phoneNumberId);
    expect(sent?.to).toBe(customer);
    expect(sent?.type).toBe('text');

    const conversations = await tenant.api<{ items: { id: string }[] }>('GET', '/api/conversations');
    expect(conversations.body.items).toHaveLength(1);
    const conversationId = conversations.body.items[0]!.id;
    await expectEventually(async () => {
      const messages = await tenant.api<{ items: MessageView[] }>('GET', `/api/conversations/${conversationId}/messages`);
      const reply = messages.body.items.find((message) => message.author === 'AI');
      expect(reply?.status).toBe('SENT');
      expect(messages.body.items.filter((message) => message.author === 'CUSTOMER')).toHaveLength(3);
    });
    const buffers = await test.platform.database.prisma.messageBuffer.count();
    expect(buffers).toBe(0);
  });

  it('changes nothing when Meta redelivers the same webhooks', async () => {
    for (const webhook of burst) expect((await post(webhook)).status).toBe(200);
    // Absence can only be shown by waiting: longer than the buffer (1 s) plus a generous margin for the pipeline.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(test.doubles.openai.chatRequests()).toHaveLength(1);
    expect(test.doubles.graph.accepted).toHaveLength(1);
    expect(await test.platform.database.prisma.message.count({ where: { author: 'CUSTOMER' } })).toBe(3);
  });

  it('applies the delivery and read statuses Meta reports for the reply', async () => {
    const wamid = test.doubles.graph.accepted[0]!.wamid;
    const status = (value: string) =>
      metaWebhook({
        phoneNumberId,
        statuses: [{ id: wamid, status: value, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: customer }],
      });
    expect((await post(status('read'))).status).toBe(200);
    expect((await post(status('delivered'))).status).toBe(200); // late and out of order: must not downgrade
    const reply = await test.platform.database.prisma.message.findFirstOrThrow({ where: { author: 'AI' } });
    expect(reply.status).toBe('READ');
  });

  it('refuses a webhook with a bad signature and stores nothing', async () => {
    const forged = metaTextMessageWebhook({ phoneNumberId, from: customer, text: 'forged', id: 'wamid.forged' });
    const response = await postSignedMetaWebhook({
      url: `${test.platform.url}/webhooks/meta`,
      appSecret: 'not-the-app-secret',
      payload: forged,
    });
    expect(response.status).toBe(401);
    expect(await test.platform.database.prisma.message.count({ where: { providerMessageId: 'wamid.forged' } })).toBe(0);
  });
});
