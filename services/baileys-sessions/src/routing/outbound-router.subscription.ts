import { MessageSendCancelled, MessageSendRequested, outboundMessageIds, Topics } from '@app/domain';
import { cancelOutboundMessage, enqueueEvent, type PrismaClient } from '@app/db';
import type { Subscription } from '@app/runtime/ports';
import type { Logger } from '@app/runtime/service';
import { baileysSlotTopic } from './slot-topic.ts';

export interface OutboundRouterDependencies {
  prisma: PrismaClient;
  logger: Logger;
  /** Wakes the outbox relay after a forward (it polls anyway). */
  onForwarded?: () => void;
}

export const baileysRouterGroup = 'baileys-router';

/**
 * Kubernetes only (docs/adr/0007-baileys-session-routing.md): Dapr hands each `messages.outbound` event to ONE pod
 * of the baileys-sessions app id, rarely the one that runs the session. That pod forwards a BAILEYS send to
 * `messages.outbound.baileys.<slot>` through the outbox (same event, same id, in one transaction), which only the
 * owning pod subscribes to. A redelivered event is forwarded again; the egress's PENDING → SENDING claim makes the
 * copy a no-op, so nothing is sent twice. Cancellations only change the database: done here, by whichever pod.
 */
export function createOutboundRouterSubscription(deps: OutboundRouterDependencies): Subscription {
  return {
    topic: Topics.messagesOutbound,
    group: baileysRouterGroup,
    async handler(event) {
      if (event.type === MessageSendCancelled.type) {
        const parsed = MessageSendCancelled.schema.safeParse(event);
        if (!parsed.success) return 'drop';
        const { reason } = parsed.data.data;
        for (const messageId of outboundMessageIds(parsed.data.data)) await cancelOutboundMessage(deps.prisma, { messageId, reason });
        return 'success';
      }
      if (event.type !== MessageSendRequested.type) return 'success';
      const parsed = MessageSendRequested.schema.safeParse(event);
      if (!parsed.success) return 'drop';
      const { data } = parsed.data;
      if (data.provider !== 'BAILEYS') return 'success';
      const instance = await deps.prisma.instance.findUnique({ where: { id: data.instanceId }, select: { slot: true } });
      // Deleted instance: its messages went with it.
      if (!instance) return 'success';
      if (instance.slot === null) {
        deps.logger.error(
          { event: 'baileys_router.no_slot', instanceId: data.instanceId, messageId: data.messageId },
          'BAILEYS instance without a slot',
        );
        return 'drop';
      }
      const topic = baileysSlotTopic(instance.slot);
      await deps.prisma.$transaction((transaction) => enqueueEvent(transaction, topic, event, { key: data.conversationId }));
      deps.onForwarded?.();
      deps.logger.debug({ event: 'baileys_router.forwarded', messageId: data.messageId, topic }, 'send routed to its slot');
      return 'success';
    },
  };
}
