import type { PrismaClient } from '@app/db';
import type { TenantContext } from '../http/tenant-context.ts';
import type { ConversationView, MessageView } from './conversations.schema.ts';
import { conversationViewInclude, toConversationView, toMessageView } from './conversation-views.ts';
import { newestMatchingMessages, searchConversationIds, searchTerm } from './conversation-search.ts';
import { afterCursor, decodeCursor, encodeCursor, type PageCursor } from './page-cursor.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

function conversationCursor(items: { id: string; lastMessageAt: Date | null }[], more: boolean): string | null {
  const last = items.at(-1);
  return more && last ? encodeCursor({ at: last.lastMessageAt?.toISOString() ?? null, id: last.id }) : null;
}

/** Conversations and messages of the caller's business only. */
export function createConversationsRepository(prisma: PrismaClient) {
  async function search(
    tenant: TenantContext,
    query: { limit: number; instanceId?: string; q: string },
    cursor: PageCursor | null,
    now: Date,
  ): Promise<Page<ConversationView>> {
    const term = searchTerm(query.q);
    const found = await searchConversationIds(prisma, {
      businessId: tenant.businessId,
      term,
      cursor,
      take: query.limit + 1,
      ...(query.instanceId ? { instanceId: query.instanceId } : {}),
    });
    const ids = found.slice(0, query.limit);
    const [rows, matches] = await Promise.all([
      prisma.conversation.findMany({ where: { id: { in: ids }, businessId: tenant.businessId }, include: conversationViewInclude }),
      newestMatchingMessages(prisma, { businessId: tenant.businessId, conversationIds: ids, term }),
    ]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const items = ids.map((id) => byId.get(id)).filter((row) => row !== undefined);
    return {
      items: items.map((row) => {
        const match = matches.get(row.id);
        return { ...toConversationView(row, now), searchMatch: match ? { ...match, sentAt: match.sentAt.toISOString() } : null };
      }),
      nextCursor: conversationCursor(items, found.length > query.limit),
    };
  }

  return {
    /** Newest activity first; with `q`, only the conversations the search finds. */
    async list(
      tenant: TenantContext,
      query: { cursor?: string; limit: number; instanceId?: string; q?: string },
      now: Date,
    ): Promise<Page<ConversationView>> {
      const cursor = query.cursor ? decodeCursor(query.cursor) : null;
      if (query.q) return search(tenant, { ...query, q: query.q }, cursor, now);
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
      return { items: items.map((row) => toConversationView(row, now)), nextCursor: conversationCursor(items, rows.length > query.limit) };
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
