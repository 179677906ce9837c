import { attachVoucher, type PrismaClient } from '@app/db';
import { MessageReceived, Topics } from '@app/domain';
import type { Clock, Subscription } from '@app/runtime/ports';
import type { Logger } from '@app/runtime/service';

/** Its own group: a voucher is attached whether or not the conversation's actor is busy, and retried on its own. */
export const SALES_VOUCHERS_GROUP = 'sales-vouchers';

/**
 * messages.inbound → an image from a customer who owes a payment voucher becomes the voucher of their most recent
 * order in AWAITING_VOUCHER, and the customer is told it arrived (attachVoucher, one transaction). A redelivered
 * event finds the image attached already and changes nothing; an image from anyone else is ignored.
 */
export function voucherIntakeSubscription(dependencies: { prisma: PrismaClient; clock: Clock; logger: Logger }): Subscription {
  return {
    topic: Topics.messagesInbound,
    group: SALES_VOUCHERS_GROUP,
    handler: async (event) => {
      if (event.type !== MessageReceived.type) return 'success';
      const parsed = MessageReceived.schema.safeParse(event);
      if (!parsed.success) return 'drop';
      const { kind, businessId, contactId, conversationId, messageId } = parsed.data.data;
      if (kind !== 'image') return 'success';
      const attached = await attachVoucher(dependencies.prisma, { businessId, contactId, conversationId, messageId, now: dependencies.clock.now() });
      if (attached?.attached) {
        dependencies.logger.info(
          { event: 'order.voucher_received', businessId, orderId: attached.order.id, messageId },
          'payment voucher attached to an order',
        );
      }
      return 'success';
    },
  };
}
