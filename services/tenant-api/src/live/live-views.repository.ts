import type { PrismaClient } from '@app/db';
import type { ConversationView, MessageView } from '../conversations/conversations.schema.ts';
import { conversationViewInclude, toConversationView, toMessageView } from '../conversations/conversation-views.ts';

/**
 * Events carry ids, not content: live updates load the current rows and render them with the same view functions
 * as the REST routes, so a client cannot tell a pushed view from a fetched one. Every query is scoped by business.
 */
export function createLiveViewsRepository(prisma: PrismaClient) {
  return {
    async message(businessId: string, messageId: string): Promise<MessageView | null> {
      const message = await prisma.message.findFirst({ where: { id: messageId, businessId } });
      return message ? toMessageView(message) : null;
    },

    async conversation(businessId: string, conversationId: string, now: Date): Promise<ConversationView | null> {
      const conversation = await prisma.conversation.findFirst({ where: { id: conversationId, businessId }, include: conversationViewInclude });
      return conversation ? toConversationView(conversation, now) : null;
    },

    async conversationsOfContact(businessId: string, contactId: string, now: Date): Promise<ConversationView[]> {
      const conversations = await prisma.conversation.findMany({
        where: { contactId, businessId },
        include: conversationViewInclude,
        orderBy: { id: 'asc' },
      });
      return conversations.map((conversation) => toConversationView(conversation, now));
    },

    async botEnabled(businessId: string): Promise<boolean | null> {
      const business = await prisma.business.findUnique({ where: { id: businessId }, select: { botEnabled: true } });
      return business?.botEnabled ?? null;
    },
  };
}
