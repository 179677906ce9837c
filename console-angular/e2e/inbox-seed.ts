import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@app/db';

/**
 * Large inboxes written straight into the database (the API would take minutes to ingest them one by one):
 * used by the browser suite and by the console scrolling benchmark.
 */

export interface Owner {
  email: string;
  password: string;
  business: string;
}

/** Registers through the API (the real password hashing) and marks the address verified, as the e-mail link would. */
export async function registerVerifiedOwner(platformUrl: string, prisma: PrismaClient, owner: Owner): Promise<{ businessId: string }> {
  const response = await fetch(`${platformUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: owner.email, password: owner.password, businessName: owner.business }),
  });
  if (response.status !== 201) throw new Error(`register answered ${response.status}: ${await response.text()}`);
  const user = await prisma.user.update({ where: { email: owner.email }, data: { emailVerifiedAt: new Date() } });
  return { businessId: user.businessId };
}

/** Phone of the n-th seeded contact; the sandbox can write as them (`from: '+' + phone`). */
export const seededPhone = (index: number): string => `3460${String(index).padStart(7, '0')}`;
/** Name of the n-th seeded contact; contact 0 has the most recent conversation and the long chat. */
export const seededName = (index: number): string => `Customer ${String(index).padStart(5, '0')}`;
/** Text of the n-th message of the long chat (0 is the oldest); every fifth one is long enough to wrap. */
export function seededMessageText(index: number): string {
  const label = `Message ${String(index).padStart(5, '0')}`;
  if (index % 5 === 0) return `${label}: ${'a longer message that wraps over several lines in the bubble, '.repeat(3).trim()}`;
  if (index % 7 === 0) return `${label}\nwith a second line\nand a third`;
  return label;
}

export interface SeededInbox {
  instanceId: string;
  chatConversationId: string;
  chatContactId: string;
}

/**
 * `conversations` conversations on one sandbox number (newest first: contact 0 at `now`, one minute apart), and a
 * chat of `chatMessages` messages (customer and AI alternating, three minutes apart, the newest at `now`) with contact 0.
 */
export async function seedInbox(
  prisma: PrismaClient,
  options: { businessId: string; conversations: number; chatMessages: number; now?: Date; instanceName?: string },
): Promise<SeededInbox> {
  const now = options.now ?? new Date();
  const { businessId } = options;
  const instance = await prisma.instance.create({ data: { businessId, provider: 'SANDBOX', name: options.instanceName ?? 'Seeded sandbox' } });
  const contactIds = Array.from({ length: options.conversations }, () => randomUUID());
  const conversationIds = Array.from({ length: options.conversations }, () => randomUUID());
  const chunk = 2_000;
  for (let start = 0; start < options.conversations; start += chunk) {
    const indexes = Array.from({ length: Math.min(chunk, options.conversations - start) }, (_, offset) => start + offset);
    await prisma.contact.createMany({
      data: indexes.map((index) => ({ id: contactIds[index]!, businessId, phone: seededPhone(index), name: seededName(index) })),
    });
    await prisma.conversation.createMany({
      data: indexes.map((index) => {
        const at = new Date(now.getTime() - index * 60_000);
        return {
          id: conversationIds[index]!,
          businessId,
          instanceId: instance.id,
          contactId: contactIds[index]!,
          lastInboundAt: at,
          lastMessageAt: at,
          lastMessagePreview: index === 0 ? seededMessageText(options.chatMessages - 1) : `Last message of ${seededName(index)}`,
          unreadCount: index % 4,
        };
      }),
    });
  }
  const chatConversationId = conversationIds[0]!;
  for (let start = 0; start < options.chatMessages; start += chunk) {
    const indexes = Array.from({ length: Math.min(chunk, options.chatMessages - start) }, (_, offset) => start + offset);
    await prisma.message.createMany({
      data: indexes.map((index) => {
        const inbound = index % 2 === 0;
        const text = seededMessageText(index);
        return {
          businessId,
          conversationId: chatConversationId,
          instanceId: instance.id,
          direction: inbound ? ('INBOUND' as const) : ('OUTBOUND' as const),
          author: inbound ? ('CUSTOMER' as const) : ('AI' as const),
          kind: 'text',
          text,
          content: { kind: 'text', text },
          providerMessageId: `seeded-${index}`,
          status: inbound ? ('RECEIVED' as const) : ('READ' as const),
          sentAt: new Date(now.getTime() - (options.chatMessages - 1 - index) * 180_000),
        };
      }),
    });
  }
  return { instanceId: instance.id, chatConversationId, chatContactId: contactIds[0]! };
}

/** One conversation with a contact and the given messages (oldest first, a minute apart, the last one `lastAt`). */
export async function seedConversation(
  prisma: PrismaClient,
  options: {
    businessId: string;
    instanceId: string;
    name: string;
    phone: string;
    lastInboundAt: Date;
    /** Default: lastInboundAt. */
    lastMessageAt?: Date;
    messages: {
      direction: 'INBOUND' | 'OUTBOUND';
      author: 'CUSTOMER' | 'AI' | 'OPERATOR';
      kind: string;
      text: string | null;
      content: object;
      providerMessageId: string;
    }[];
  },
): Promise<{ conversationId: string; contactId: string }> {
  const { businessId, instanceId } = options;
  const contact = await prisma.contact.create({ data: { businessId, name: options.name, phone: options.phone } });
  const last = options.lastInboundAt;
  const conversation = await prisma.conversation.create({
    data: {
      businessId,
      instanceId,
      contactId: contact.id,
      lastInboundAt: last,
      lastMessageAt: options.lastMessageAt ?? last,
      lastMessagePreview: options.messages.at(-1)?.text ?? null,
    },
  });
  await prisma.message.createMany({
    data: options.messages.map((message, index) => ({
      businessId,
      conversationId: conversation.id,
      instanceId,
      ...message,
      status: message.direction === 'INBOUND' ? ('RECEIVED' as const) : ('DELIVERED' as const),
      sentAt: new Date(last.getTime() - (options.messages.length - 1 - index) * 60_000),
    })),
  });
  return { conversationId: conversation.id, contactId: contact.id };
}
