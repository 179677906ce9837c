import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEventually, onboardTenant, startTestPlatform, type TestPlatform, type TestTenant } from './platform-harness.ts';

interface MessageView {
  author: string;
  direction: string;
  text: string | null;
  status: string;
}

describe('the sandbox provider: the whole path with no WhatsApp account', () => {
  let test: TestPlatform;
  let tenant: TestTenant;
  let instanceId: string;

  beforeAll(async () => {
    test = await startTestPlatform();
    tenant = await onboardTenant(test.platform.url, test.doubles.smtp, 'owner@bakery.example');
    await tenant.api('PUT', '/api/agent', { bufferSeconds: 1, maxBufferSeconds: 4 });
    const instance = await tenant.api<{ id: string }>('POST', '/api/instances', { provider: 'SANDBOX', name: 'Test your agent' });
    expect(instance.status).toBe(201);
    instanceId = instance.body.id;
    test.doubles.openai.setReply(() => 'We open at 8am. 🥐');
  });

  afterAll(async () => {
    await test?.close();
  });

  it('stores the AI reply to a sandbox message where the conversations API shows it', async () => {
    const sent = await tenant.api<{ conversationId: string }>('POST', `/api/sandbox/${instanceId}/messages`, {
      from: '+34600111222',
      text: 'When do you open?',
      name: 'Lucía',
    });
    expect(sent.status).toBe(202);

    await expectEventually(
      async () => {
        const messages = await tenant.api<{ items: MessageView[] }>('GET', `/api/conversations/${sent.body.conversationId}/messages`);
        const reply = messages.body.items.find((message) => message.author === 'AI');
        expect(reply).toMatchObject({ direction: 'OUTBOUND', text: 'We open at 8am. 🥐', status: 'SENT' });
      },
      { timeoutMs: 20_000 },
    );
    expect(test.doubles.openai.chatRequests()).toHaveLength(1);
  });

  it('pauses the bot for a contact an operator answers, and the AI stays quiet', async () => {
    const conversations = await tenant.api<{ items: { id: string; contact: { id: string } }[] }>('GET', '/api/conversations');
    const conversation = conversations.body.items[0]!;
    const reply = await tenant.api('POST', `/api/conversations/${conversation.id}/messages`, { text: 'Hi Lucía, this is Ana.' });
    expect(reply.status).toBe(201);

    await tenant.api('POST', `/api/sandbox/${instanceId}/messages`, { from: '+34600111222', text: 'Thanks Ana!' });
    await expectEventually(async () => {
      const messages = await tenant.api<{ items: MessageView[] }>('GET', `/api/conversations/${conversation.id}/messages`);
      expect(messages.body.items.find((message) => message.author === 'OPERATOR')?.status).toBe('SENT');
      expect(messages.body.items.filter((message) => message.author === 'CUSTOMER')).toHaveLength(2);
    });
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // longer than the 1 s buffer: a reply would have come
    expect(test.doubles.openai.chatRequests()).toHaveLength(1);

    const enabled = await tenant.api('PATCH', `/api/contacts/${conversation.contact.id}`, { botDisabled: false });
    expect(enabled.status).toBe(200);
    await tenant.api('POST', `/api/sandbox/${instanceId}/messages`, { from: '+34600111222', text: 'One more question' });
    await expectEventually(() => expect(test.doubles.openai.chatRequests()).toHaveLength(2), { timeoutMs: 20_000 });
  });
});
