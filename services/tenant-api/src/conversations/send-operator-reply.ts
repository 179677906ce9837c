import { enqueueEvent, type PrismaClient } from '@app/db';
import { ContactBotToggled, isReplyWindowOpen, MessageSendRequested, messagePreview } from '@app/domain';
import type { Clock } from '@app/runtime/ports';
import { AppError } from '@app/runtime/service';
import type { TenantContext } from '../http/tenant-context.ts';
import { notFound } from '../http/validate.ts';
import { isUniqueViolation } from '../unique-violation.ts';
import type { MessageView } from './conversations.schema.ts';
import { toMessageView } from './conversation-views.ts';

export interface OperatorReplyInput {
  conversationId: string;
  text: string;
  /** From the Idempotency-Key header: a retried request returns the first one's message instead of sending twice. */
  idempotencyKey?: string;
}

/**
 * A person answers from the console. In one transaction: the message (PENDING, for the provider's egress), the
 * conversation's preview, the hand-off (the bot pauses for this contact) and the two events in the outbox.
 * Outside the 24-hour window the Cloud API refuses free text, so nothing is stored and the caller gets 422.
 */
export async function sendOperatorReply(
  deps: { prisma: PrismaClient; clock: Clock },
  tenant: TenantContext,
  input: OperatorReplyInput,
): Promise<{ message: MessageView; replayed: boolean }> {
  // Namespaced by conversation: keys are unique across the table, and clients only promise uniqueness per request.
  const storedKey = input.idempotencyKey ? `operator-reply:${input.conversationId}:${input.idempotencyKey}` : null;
  const replay = async () => {
    if (!storedKey) return null;
    const existing = await deps.prisma.message.findFirst({ where: { idempotencyKey: storedKey, businessId: tenant.businessId } });
    return existing ? { message: toMessageView(existing), replayed: true } : null;
  };

  const earlier = await replay();
  if (earlier) return earlier;

  const now = deps.clock.now();
  try {
    const message = await deps.prisma.$transaction(async (transaction) => {
      const conversation = await transaction.conversation.findFirst({
        where: { id: input.conversationId, businessId: tenant.businessId },
        include: { instance: true, business: { include: { agentConfig: true } } },
      });
      if (!conversation) throw notFound('Conversation');
      if (conversation.instance.provider === 'META' && !isReplyWindowOpen(conversation.lastInboundAt, now)) {
        throw new AppError(
          'WINDOW_CLOSED',
          'The 24-hour customer-service window is closed: WhatsApp only accepts approved templates until the customer writes again, so this free-text reply was not sent.',
          { lastInboundAt: conversation.lastInboundAt?.toISOString() ?? null },
        );
      }

      const created = await transaction.message.create({
        data: {
          businessId: tenant.businessId,
          conversationId: conversation.id,
          instanceId: conversation.instanceId,
          direction: 'OUTBOUND',
          author: 'OPERATOR',
          kind: 'text',
          text: input.text,
          content: { kind: 'text', text: input.text },
          idempotencyKey: storedKey,
          status: 'PENDING',
          sentAt: now,
        },
      });
      // A person answering has read the conversation.
      await transaction.conversation.update({
        where: { id: conversation.id },
        data: {
          lastMessageAt: now,
          lastMessagePreview: messagePreview(input.text),
          unreadCount: 0,
        },
      });

      const handoffMinutes = conversation.business.agentConfig?.handoffMinutes ?? 0;
      const until = handoffMinutes > 0 ? new Date(now.getTime() + handoffMinutes * 60_000) : null;
      await transaction.contact.update({
        where: { id: conversation.contactId },
        data: { botDisabled: true, botDisabledUntil: until },
      });

      const conversationRef = {
        businessId: tenant.businessId,
        instanceId: conversation.instanceId,
        conversationId: conversation.id,
        contactId: conversation.contactId,
      };
      await enqueueEvent(
        transaction,
        MessageSendRequested.topic,
        MessageSendRequested.create(
          { ...conversationRef, messageId: created.id, provider: conversation.instance.provider, bufferId: null },
          { occurredAt: now },
        ),
        { key: conversation.id },
      );
      await enqueueEvent(
        transaction,
        ContactBotToggled.topic,
        ContactBotToggled.create(
          {
            businessId: tenant.businessId,
            contactId: conversation.contactId,
            botDisabled: true,
            until: until?.toISOString() ?? null,
            reason: 'operator_reply',
          },
          { occurredAt: now },
        ),
        { key: conversation.contactId },
      );
      return created;
    });
    return { message: toMessageView(message), replayed: false };
  } catch (error) {
    // The same key sent twice at once: the unique index let one through; answer the other with its message.
    if (storedKey && isUniqueViolation(error)) {
      const winner = await replay();
      if (winner) return winner;
    }
    throw error;
  }
}
