import { replyWindowExpiresAt } from '@app/domain';
import type { ConversationView, MessageView } from './conversations.schema.ts';

export interface ConversationRecord {
  id: string;
  lastInboundAt: Date | null;
  lastMessageAt: Date | null;
  lastMessagePreview: string | null;
  unreadCount: number;
  instance: { id: string; name: string; provider: ConversationView['instance']['provider'] };
  contact: { id: string; name: string | null; phone: string | null; waUserId: string | null; botDisabled: boolean; botDisabledUntil: Date | null };
}

/** The relations a ConversationRecord needs, for every query that renders a ConversationView. */
export const conversationViewInclude = {
  instance: { select: { id: true, name: true, provider: true } },
  contact: { select: { id: true, name: true, phone: true, waUserId: true, botDisabled: true, botDisabledUntil: true } },
} as const;

export interface MessageRecord {
  id: string;
  conversationId: string;
  direction: MessageView['direction'];
  author: MessageView['author'];
  kind: string;
  text: string | null;
  content: unknown;
  providerMessageId?: string | null;
  status: MessageView['status'];
  errorCode: string | null;
  errorMessage: string | null;
  sentAt: Date;
  statusAt: Date | null;
}

/** A pause with a time that has passed is over, even before anything has switched the flag back. */
export function isBotPaused(contact: { botDisabled: boolean; botDisabledUntil: Date | null }, now: Date): boolean {
  return contact.botDisabled && (contact.botDisabledUntil === null || contact.botDisabledUntil.getTime() > now.getTime());
}

export function toConversationView(conversation: ConversationRecord, now: Date): ConversationView {
  const expiresAt = replyWindowExpiresAt(conversation.lastInboundAt);
  const paused = isBotPaused(conversation.contact, now);
  return {
    id: conversation.id,
    instance: { id: conversation.instance.id, name: conversation.instance.name, provider: conversation.instance.provider },
    contact: {
      id: conversation.contact.id,
      name: conversation.contact.name,
      phone: conversation.contact.phone,
      waUserId: conversation.contact.waUserId,
    },
    lastMessageAt: conversation.lastMessageAt?.toISOString() ?? null,
    lastMessagePreview: conversation.lastMessagePreview,
    unreadCount: conversation.unreadCount,
    window: { open: expiresAt !== null && now.getTime() < expiresAt.getTime(), expiresAt: expiresAt?.toISOString() ?? null },
    botDisabled: paused,
    botDisabledUntil: paused ? (conversation.contact.botDisabledUntil?.toISOString() ?? null) : null,
  };
}

export function toMessageView(message: MessageRecord): MessageView {
  return {
    id: message.id,
    conversationId: message.conversationId,
    direction: message.direction,
    author: message.author,
    kind: message.kind,
    text: message.text,
    content: message.content,
    providerMessageId: message.providerMessageId ?? null,
    status: message.status,
    errorCode: message.errorCode,
    errorMessage: message.errorMessage,
    sentAt: message.sentAt.toISOString(),
    statusAt: message.statusAt?.toISOString() ?? null,
  };
}
