import { claimOutboundMessage, markOutboundSent, type PrismaClient } from '@app/db';
import type { Clock, EventHandler, Subscription } from '@app/runtime/ports';
import { providerEgressSubscription, type SendRequest } from '@app/runtime/providers';
import type { Logger } from '@app/runtime/service';

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
export function sandboxEgressSubscription(deps: SandboxEgressDependencies): Subscription {
  async function deliver({ data: request }: SendRequest) {
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
      deps.logger.info(
        { event: 'sandbox_egress.sent', businessId: request.businessId, conversationId: request.conversationId, messageId: request.messageId },
        'sandbox message delivered',
      );
    }
    return 'success' as const;
  }
  return providerEgressSubscription({ provider: 'SANDBOX', group: 'sandbox-egress', prisma: deps.prisma, send: deliver });
}

/** The handler alone, for callers that subscribe it themselves. */
export function createSandboxEgressHandler(deps: SandboxEgressDependencies): EventHandler {
  return sandboxEgressSubscription(deps).handler;
}
