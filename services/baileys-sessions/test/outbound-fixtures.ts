import { enqueueEvent, type Prisma } from '@app/db';
import { MessageSendRequested, Topics } from '@app/domain';

/** A BAILEYS conversation as the tests create it. */
export interface ConversationTarget {
  business: { id: string };
  instance: { id: string };
  conversation: { id: string };
}

/** An AI text reply of the conversation, as conversation-actors stores it (status and times overridable). */
export function outboundTextMessage(
  target: ConversationTarget,
  text: string,
  overrides: Partial<Pick<Prisma.MessageUncheckedCreateInput, 'status' | 'statusAt' | 'sendAttempts' | 'sentAt'>> = {},
): Prisma.MessageUncheckedCreateInput {
  return {
    businessId: target.business.id,
    conversationId: target.conversation.id,
    instanceId: target.instance.id,
    direction: 'OUTBOUND',
    author: 'AI',
    kind: 'text',
    text,
    content: { kind: 'text', text },
    status: 'PENDING',
    sentAt: new Date(),
    ...overrides,
  };
}

/** What conversation-actors does: the reply and its send request, in the caller's transaction. */
export async function requestSendIn(
  transaction: Prisma.TransactionClient,
  target: ConversationTarget & { contact: { id: string } },
  text: string,
): Promise<string> {
  const message = await transaction.message.create({ data: outboundTextMessage(target, text) });
  const event = MessageSendRequested.create({
    businessId: target.business.id,
    instanceId: target.instance.id,
    conversationId: target.conversation.id,
    contactId: target.contact.id,
    messageId: message.id,
    provider: 'BAILEYS',
    bufferId: null,
  });
  await enqueueEvent(transaction, Topics.messagesOutbound, event, { key: target.conversation.id });
  return message.id;
}
