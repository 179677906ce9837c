import { cancelOutboundMessage, type PrismaClient } from '@app/db';
import { MessageSendCancelled, MessageSendRequested, outboundMessageIds, Topics } from '@app/domain';
import type { DeliveryOutcome, Subscription } from '../ports/pub-sub.ts';

export type SendRequest = ReturnType<typeof MessageSendRequested.parse>;

export interface ProviderEgressOptions {
  provider: SendRequest['data']['provider'];
  group: string;
  prisma: PrismaClient;
  /**
   * How this provider sends one stored message (claim, send, mark SENT/FAILED through the outbound transitions).
   * A message already sent, failed or cancelled must answer 'success' and change nothing.
   */
  send(request: SendRequest): Promise<DeliveryOutcome>;
}

/**
 * The `messages.outbound` subscription every provider's egress shares: it sends the requests of its own provider
 * (the others are left to their own egress) and applies cancellations, which only ever change a PENDING message.
 * A malformed event is dropped; it cannot become valid by being retried.
 *
 * A reply of several messages comes as one event and is sent one message after the other, each as a request of its
 * own (`send` never sees `messageIds`). A part that asks for a retry stops the rest: the redelivery finds the parts
 * before it already sent (a no-op) and goes on from there, so the customer never sees them out of order. The
 * answered buffer goes with the last part.
 */
export function providerEgressSubscription(options: ProviderEgressOptions): Subscription {
  return {
    topic: Topics.messagesOutbound,
    group: options.group,
    async handler(event) {
      if (event.type === MessageSendRequested.type) {
        const parsed = MessageSendRequested.schema.safeParse(event);
        if (!parsed.success) return 'drop';
        if (parsed.data.data.provider !== options.provider) return 'success';
        const { messageIds: _parts, ...single } = parsed.data.data;
        const ids = outboundMessageIds(parsed.data.data);
        for (const [index, messageId] of ids.entries()) {
          const last = index === ids.length - 1;
          const outcome = await options.send({ ...parsed.data, data: { ...single, messageId, bufferId: last ? single.bufferId : null } });
          if (outcome === 'retry') return 'retry';
          // 'drop' (this part cannot be sent): the others still go.
        }
        return 'success';
      }
      if (event.type === MessageSendCancelled.type) {
        const parsed = MessageSendCancelled.schema.safeParse(event);
        if (!parsed.success) return 'drop';
        const { reason } = parsed.data.data;
        for (const messageId of outboundMessageIds(parsed.data.data)) await cancelOutboundMessage(options.prisma, { messageId, reason });
        return 'success';
      }
      return 'success';
    },
  };
}
