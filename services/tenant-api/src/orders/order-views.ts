import { orderItems, type OrderWithItems, type Prisma, type PrismaClient } from '@app/db';
import { orderReference, type OrderTimelineEntry } from '@app/domain';
import type { OrderView } from './orders.schema.ts';

export type OrderWithContact = OrderWithItems & { contact: { id: string; name: string | null; phone: string | null } };

export const withContact = { ...orderItems, contact: { select: { id: true, name: true, phone: true } } } satisfies Prisma.OrderInclude;

export function toOrderView(order: OrderWithContact): OrderView {
  return {
    id: order.id,
    reference: orderReference(order.id),
    status: order.status,
    currency: order.currency,
    totalMinor: order.totalMinor,
    contact: order.contact,
    conversationId: order.conversationId,
    customer: { name: order.customerName, address: order.customerAddress, notes: order.notes },
    items: order.items.map(({ productId, name, sku, quantity, unitPriceMinor, lineTotalMinor }) => ({
      productId,
      name,
      sku,
      quantity,
      unitPriceMinor,
      lineTotalMinor,
    })),
    deliveryAgent: order.deliveryAgent,
    voucher: order.voucherMessageId
      ? {
          messageId: order.voucherMessageId,
          receivedAt: order.voucherAt?.toISOString() ?? null,
          mediaPath: `/api/messages/${order.voucherMessageId}/media`,
        }
      : null,
    timeline: order.timeline as unknown as OrderTimelineEntry[],
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

/** One order as the API shows it, or null when it is not the business's (the live updates load it this way). */
export async function loadOrderView(prisma: PrismaClient, businessId: string, orderId: string): Promise<OrderView | null> {
  const order = await prisma.order.findFirst({ where: { id: orderId, businessId }, include: withContact });
  return order ? toOrderView(order) : null;
}
