import { claimOutboundMessage, markOutboundSent, type PrismaClient } from '@app/db';
import { MessageSendRequested, Topics } from '@app/domain';
import type { Clock, EventHandler, Logger, Subscription } from '@app/runtime';

export interface SandboxEgressDependencies {
  prisma: PrismaClient;
  logger: Logger;
  clock: Clock;
}

/**
 * The sandbox provider's egress: there is no WhatsApp to talk to, so "sending" is the state change alone
 * (PENDING → SENDING → SENT, through the same transitions as every provider, which also delete the answered
 * buffer and publish the status). Messages of other providers are left to their own egress.
 */
export function createSandboxEgressHandler(deps: SandboxEgressDependencies): EventHandler {
  return async (event) => {
    if (event.type !== MessageSendRequested.type) return 'success';
    const parsed = MessageSendRequested.schema.safeParse(event);
    if (!parsed.success) {
      deps.logger.warn({ event: 'sandbox_egress.malformed_event', eventId: event.id }, 'dropping a malformed send request');
      return 'drop';
    }
    const request = parsed.data.data;
    if (request.provider !== 'SANDBOX') return 'success';
    const now = deps.clock.now();
    // A redelivery after a crash between claim and mark finds the message SENDING: the claim returns null and the
    // mark below finishes the job. A message already SENT or CANCELLED is left as it is by both.
    await claimOutboundMessage(deps.prisma, request.messageId, { now });
    const sent = await markOutboundSent(deps.prisma, {
      messageId: request.messageId,
      providerMessageId: `sandbox.out.${request.messageId}`,
      bufferId: request.bufferId,
      now,
    });
    if (sent) {
      deps.logger.info({ event: 'sandbox_egress.sent', businessId: request.businessId, conversationId: request.conversationId, messageId: request.messageId }, 'sandbox message delivered');
    }
    return 'success';
  };
}

/** The subscription as the pub/sub port takes it: topic `messages.outbound`, group `sandbox-egress`. */
export function sandboxEgressSubscription(deps: SandboxEgressDependencies): Subscription {
  return { topic: Topics.messagesOutbound, group: 'sandbox-egress', handler: createSandboxEgressHandler(deps) };
}
