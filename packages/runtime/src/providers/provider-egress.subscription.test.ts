import { MessageSendRequested } from '@app/domain';
import { describe, expect, it } from 'vitest';
import type { PrismaClient } from '@app/db';
import type { DeliveryOutcome } from '../ports/pub-sub.ts';
import { providerEgressSubscription, type SendRequest } from './provider-egress.subscription.ts';

const ref = { businessId: 'b', instanceId: 'i', conversationId: 'c', contactId: 'k' };

/** A provider whose sends are idempotent per message (as the claim makes them): a sent message is a no-op. */
function provider(failOnce: Set<string> = new Set()) {
  const sent: Array<{ messageId: string; bufferId: string | null }> = [];
  const send = async ({ data }: SendRequest): Promise<DeliveryOutcome> => {
    if (sent.some((entry) => entry.messageId === data.messageId)) return 'success';
    if (failOnce.delete(data.messageId)) return 'retry';
    if (data.messageId === 'unsendable') return 'drop';
    sent.push({ messageId: data.messageId, bufferId: data.bufferId });
    return 'success';
  };
  const subscription = providerEgressSubscription({ provider: 'SANDBOX', group: 'test', prisma: {} as PrismaClient, send });
  return { sent, handle: subscription.handler };
}

describe('provider egress of a reply of several messages', () => {
  it('sends them one after the other in order, the buffer with the last, and resumes after a retry without reordering', async () => {
    const event = MessageSendRequested.create({
      ...ref,
      messageId: 'text',
      messageIds: ['text', 'file-1', 'file-2'],
      provider: 'SANDBOX',
      bufferId: 'buf',
    });
    const { sent, handle } = provider(new Set(['file-1']));
    expect(await handle(event)).toBe('retry'); // file-1 failed: file-2 must wait for it
    expect(sent.map((entry) => entry.messageId)).toEqual(['text']);
    expect(await handle(event)).toBe('success'); // the redelivery: text is a no-op, then file-1, file-2
    expect(sent).toEqual([
      { messageId: 'text', bufferId: null },
      { messageId: 'file-1', bufferId: null },
      { messageId: 'file-2', bufferId: 'buf' },
    ]);
  });

  it('goes on past a part that cannot be sent, and sends a single message as before', async () => {
    const { sent, handle } = provider();
    await handle(
      MessageSendRequested.create({ ...ref, messageId: 'unsendable', messageIds: ['unsendable', 'next'], provider: 'SANDBOX', bufferId: 'buf' }),
    );
    expect(sent.map((entry) => entry.messageId)).toEqual(['next']);
    await handle(MessageSendRequested.create({ ...ref, messageId: 'alone', provider: 'SANDBOX', bufferId: 'buf-2' }));
    expect(sent.at(-1)).toEqual({ messageId: 'alone', bufferId: 'buf-2' });
    await handle(MessageSendRequested.create({ ...ref, messageId: 'meta', provider: 'META', bufferId: null }));
    expect(sent.map((entry) => entry.messageId)).not.toContain('meta');
  });
});
