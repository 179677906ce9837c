import { isReplyWindowOpen, MessageSendRequested, messagePreview } from '@app/domain';
import type { Transaction } from '../database.ts';
import { enqueueEvent } from '../outbox/enqueue-event.ts';

export type CustomerNoticeResult = { sent: true; messageId: string } | { sent: false; reason: 'no_conversation' | 'window_closed' };

/**
 * A text the platform sends a customer about something it did (a voucher received, a payment confirmed), through
 * the normal outbound path: the message PENDING plus message.send-requested, in the caller's transaction, so it
 * goes out if and only if the change commits. Unlike an operator's reply it does not pause the bot. The
 * idempotency key makes a repeated notice (a redelivered event, a retried request) one message.
 */
export async function queueCustomerNotice(
  transaction: Transaction,
  input: {
    businessId: string;
    contactId: string;
    /** The conversation to answer in; null or gone: the contact's most recent one. */
    conversationId: string | null;
    text: string;
    author: 'AI' | 'OPERATOR';
    idempotencyKey: string;
    now: Date;
  },
): Promise<CustomerNoticeResult> {
  const existing = await transaction.message.findUnique({ where: { idempotencyKey: input.idempotencyKey }, select: { id: true, businessId: true } });
  if (existing && existing.businessId === input.businessId) return { sent: true, messageId: existing.id };

  const conversation =
    (input.conversationId
      ? await transaction.conversation.findFirst({ where: { id: input.conversationId, businessId: input.businessId }, include: { instance: true } })
      : null) ??
    (await transaction.conversation.findFirst({
      where: { contactId: input.contactId, businessId: input.businessId },
      orderBy: { lastMessageAt: { sort: 'desc', nulls: 'last' } },
      include: { instance: true },
    }));
  if (!conversation) return { sent: false, reason: 'no_conversation' };
  // The Cloud API refuses free text outside the 24-hour window; the change itself still stands.
  if (conversation.instance.provider === 'META' && !isReplyWindowOpen(conversation.lastInboundAt, input.now)) {
    return { sent: false, reason: 'window_closed' };
  }

  const message = await transaction.message.create({
    data: {
      businessId: input.businessId,
      conversationId: conversation.id,
      instanceId: conversation.instanceId,
      direction: 'OUTBOUND',
      author: input.author,
      kind: 'text',
      text: input.text,
      content: { kind: 'text', text: input.text },
      idempotencyKey: input.idempotencyKey,
      status: 'PENDING',
      sentAt: input.now,
    },
  });
  await transaction.conversation.update({
    where: { id: conversation.id },
    data: { lastMessageAt: input.now, lastMessagePreview: messagePreview(input.text) },
  });
  await enqueueEvent(
    transaction,
    MessageSendRequested.topic,
    MessageSendRequested.create(
      {
        businessId: input.businessId,
        instanceId: conversation.instanceId,
        conversationId: conversation.id,
        contactId: conversation.contactId,
        messageId: message.id,
        provider: conversation.instance.provider,
        bufferId: null,
      },
      { occurredAt: input.now },
    ),
    { key: conversation.id },
  );
  return { sent: true, messageId: message.id };
}
