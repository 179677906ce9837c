import { z } from 'zod';
import { defineEvent } from './define-event.ts';
import { Topics } from './topics.ts';

const conversationRef = {
  businessId: z.string(),
  instanceId: z.string(),
  conversationId: z.string(),
  contactId: z.string(),
};

export const MessageReceived = defineEvent(
  'message.received',
  Topics.messagesInbound,
  z.object({
    ...conversationRef,
    messageId: z.string(),
    providerMessageId: z.string().nullable(),
    kind: z.string(),
    /** When the customer sent it (provider timestamp), ISO 8601. */
    sentAt: z.string(),
  }),
);

export const MessageStatusChanged = defineEvent(
  'message.status-changed',
  Topics.messagesStatus,
  z.object({
    businessId: z.string(),
    conversationId: z.string(),
    messageId: z.string(),
    status: z.enum(['SENDING', 'SENT', 'DELIVERED', 'READ', 'PLAYED', 'FAILED', 'CANCELLED']),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    at: z.string(),
  }),
);

/** A stored message's content changed after the fact: the customer edited or deleted it, or its media arrived. */
export const MessageContentChanged = defineEvent(
  'message.content-changed',
  Topics.messagesStatus,
  z.object({
    businessId: z.string(),
    conversationId: z.string(),
    messageId: z.string(),
    change: z.enum(['edited', 'deleted', 'media']),
  }),
);

export const MessageSendRequested = defineEvent(
  'message.send-requested',
  Topics.messagesOutbound,
  z.object({
    ...conversationRef,
    messageId: z.string(),
    /** Which provider service sends it (each provider's egress subscribes and skips the others). */
    provider: z.enum(['META', 'BAILEYS', 'SANDBOX']),
    /** The AI buffer this reply answers; the buffer is deleted once the reply is sent. */
    bufferId: z.string().nullable(),
    /**
     * An AI reply of several messages (its text, then files): all of them in send order, `messageId` first. One
     * event, so the egress sends them one after the other: separate events are not delivered in order by Dapr.
     */
    messageIds: z.array(z.string()).min(1).optional(),
  }),
);

export const MessageSendCancelled = defineEvent(
  'message.send-cancelled',
  Topics.messagesOutbound,
  z.object({
    ...conversationRef,
    messageId: z.string().nullable(),
    bufferId: z.string().nullable(),
    reason: z.enum(['bot_disabled', 'superseded', 'no_reply']),
    /** Every message of a multi-message reply, `messageId` first (see MessageSendRequested). */
    messageIds: z.array(z.string()).min(1).optional(),
  }),
);

/** The messages an outbound event is about, in send order: its `messageIds`, or its one `messageId`. */
export function outboundMessageIds(data: { messageId: string | null; messageIds?: string[] | undefined }): string[] {
  if (data.messageIds && data.messageIds.length > 0) return data.messageIds;
  return data.messageId ? [data.messageId] : [];
}

export const OutboundEvent = z.union([MessageSendRequested.schema, MessageSendCancelled.schema]);
