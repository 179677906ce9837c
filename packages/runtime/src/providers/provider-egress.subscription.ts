import { cancelOutboundMessage, type PrismaClient } from '@app/db';
import { MessageSendCancelled, MessageSendRequested, Topics } from '@app/domain';
import type { DeliveryOutcome, Subscription } from '../ports/pub-sub.ts';

export type SendRequest = ReturnType<typeof MessageSendRequested.parse>;

export interface ProviderEgressOptions {
  provider: SendRequest['data']['provider'];
  group: string;
  prisma: PrismaClient;
  /** How this provider sends one stored message (claim, send, mark SENT/FAILED through the outbound transitions). */
  send(request: SendRequest): Promise<DeliveryOutcome>;
}

/**
 * The `messages.outbound` subscription every provider's egress shares: it sends the requests of its own provider
 * (the others are left to their own egress) and applies cancellations, which only ever change a PENDING message.
 * A malformed event is dropped; it cannot become valid by being retried.
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
        return options.send(parsed.data);
      }
      if (event.type === MessageSendCancelled.type) {
        const parsed = MessageSendCancelled.schema.safeParse(event);
        if (!parsed.success) return 'drop';
        const { messageId, reason } = parsed.data.data;
        if (messageId) await cancelOutboundMessage(options.prisma, { messageId, reason });
        return 'success';
      }
      return 'success';
    },
  };
}
