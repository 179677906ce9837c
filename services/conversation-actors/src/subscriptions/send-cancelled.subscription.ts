import { cancelOutboundMessage, type PrismaClient } from '@app/db';
import { MessageSendCancelled, outboundMessageIds, Topics } from '@app/domain';
import type { Clock, Subscription } from '@app/runtime/ports';
import type { Logger } from '@app/runtime/service';
import { CONVERSATION_ACTORS_GROUP } from './inbound-message.subscription.ts';

/**
 * message.send-cancelled (published by the actor) → the stored reply, if any, becomes CANCELLED (only while still
 * PENDING) and the burst's buffer row is removed: it was answered by a person, or needed no reply. Both steps are
 * idempotent, so a redelivery — or a provider egress doing the same — changes nothing.
 */
export function sendCancelledSubscription(dependencies: { prisma: PrismaClient; clock: Clock; logger: Logger }): Subscription {
  return {
    topic: Topics.messagesOutbound,
    group: CONVERSATION_ACTORS_GROUP,
    handler: async (event) => {
      if (event.type !== MessageSendCancelled.type) return 'success';
      const parsed = MessageSendCancelled.schema.safeParse(event);
      if (!parsed.success) return 'drop';
      const { bufferId, businessId, reason } = parsed.data.data;
      await dependencies.prisma.$transaction(async (transaction) => {
        for (const messageId of outboundMessageIds(parsed.data.data)) {
          await cancelOutboundMessage(transaction, { messageId, reason, now: dependencies.clock.now() });
        }
        if (bufferId) await transaction.messageBuffer.deleteMany({ where: { id: bufferId, businessId, failedAt: null } });
      });
      dependencies.logger.info({ event: 'ai_reply.cancelled', businessId, bufferId, reason }, 'AI reply not sent');
      return 'success';
    },
  };
}
