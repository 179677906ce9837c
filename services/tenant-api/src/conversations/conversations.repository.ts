import type { PrismaClient } from '@app/db';
import type { TenantContext } from '../http/tenant-context.ts';
import type { ConversationView, MessageView } from './conversations.schema.ts';
import { conversationViewInclude, toConversationView, toMessageView } from './conversation-views.ts';
import { afterCursor, decodeCursor, encodeCursor } from './page-cursor.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Conversations and messages of the caller's business only. */
export function createConversationsRepository(prisma: PrismaClient) {
  return {
    /** Newest activity first. */
    async list(tenant: TenantContext, query: { cursor?: string; limit: number; instanceId?: string }, now: Date): Promise<Page<ConversationView>> {
      const cursor = query.cursor ? decodeCursor(query.cursor) : null;
      const rows = await prisma.conversation.findMany({
        where: {
          businessId: tenant.businessId,
          ...(query.instanceId ? { instanceId: query.instanceId } : {}),
          ...afterCursor('lastMessageAt', cursor, { nullable: true }),
        },
        include: conversationViewInclude,
        orderBy: [{ lastMessageAt: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }],
        take: query.limit + 1,
      });
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      return {
        items: items.map((row) => toConversationView(row, now)),
        nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.lastMessageAt?.toISOString() ?? null, id: last.id }) : null,
      };
    },

    async exists(tenant: TenantContext, id: string): Promise<boolean> {
      return (await prisma.conversation.count({ where: { id, businessId: tenant.businessId } })) > 0;
    },

    /** Newest first; the caller checked the conversation belongs to the tenant, the query checks again. */
    async listMessages(tenant: TenantContext, conversationId: string, query: { cursor?: string; limit: number }): Promise<Page<MessageView>> {
      const cursor = query.cursor ? decodeCursor(query.cursor) : null;
      const rows = await prisma.message.findMany({
        where: { businessId: tenant.businessId, conversationId, ...afterCursor('sentAt', cursor, { nullable: false }) },
        orderBy: [{ sentAt: 'desc' }, { id: 'desc' }],
        take: query.limit + 1,
      });
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      return {
        items: items.map(toMessageView),
        nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.sentAt.toISOString(), id: last.id }) : null,
      };
    },

    async markRead(tenant: TenantContext, id: string): Promise<boolean> {
      const { count } = await prisma.conversation.updateMany({ where: { id, businessId: tenant.businessId }, data: { unreadCount: 0 } });
      return count > 0;
    },
  };
}
