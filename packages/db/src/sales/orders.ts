import {
  assertTransition,
  OrderChanged,
  orderNotices,
  OrderTransitionError,
  priceOrder,
  type CataloguePrice,
  type OrderLineRequest,
  type OrderPricingProblem,
  type OrderStatus,
  type OrderTimelineEntry,
} from '@app/domain';
import type { Transaction } from '../database.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { enqueueEvent } from '../outbox/enqueue-event.ts';
import { queueCustomerNotice, type CustomerNoticeResult } from './customer-notice.ts';

/** Include an order's lines in the customer's order. */
export const orderItems = { items: { orderBy: { position: 'asc' } } } satisfies Prisma.OrderInclude;

export type OrderWithItems = Prisma.OrderGetPayload<{ include: typeof orderItems }>;

export type OrderProblem = OrderPricingProblem | { code: 'UNKNOWN_CONTACT'; message: string };

export interface CreateOrderInput {
  businessId: string;
  contactId: string;
  conversationId: string | null;
  items: readonly OrderLineRequest[];
  customer: { name: string; address: string | null; notes: string | null };
  /** AWAITING_VOUCHER: the customer pays by transfer and sends a proof (plans without payment links). */
  initialStatus: 'PENDING' | 'AWAITING_VOUCHER';
  by: OrderTimelineEntry['by'];
  /** A repeated create with the same key returns the first order (an agent's retried tool call). */
  idempotencyKey: string | null;
  now: Date;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Thrown inside a transaction to roll it back with problems the caller reports (never a 500). */
class OrderRejected extends Error {
  constructor(readonly problems: OrderProblem[]) {
    super(problems.map((problem) => problem.message).join(' '));
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

async function orderChanged(
  transaction: Transaction,
  order: { id: string; businessId: string; contactId: string; status: OrderStatus },
  change: 'created' | 'status' | 'voucher-received' | 'voucher-rejected' | 'delivery-agent',
  now: Date,
) {
  await enqueueEvent(
    transaction,
    OrderChanged.topic,
    OrderChanged.create(
      { businessId: order.businessId, orderId: order.id, contactId: order.contactId, status: order.status, change },
      { occurredAt: now },
    ),
    { key: order.id },
  );
}

function appendTimeline(timeline: Prisma.JsonValue, entry: OrderTimelineEntry): Prisma.InputJsonValue {
  const entries = Array.isArray(timeline) ? (timeline as unknown as OrderTimelineEntry[]) : [];
  return [...entries, entry] as unknown as Prisma.InputJsonValue;
}

/**
 * Creates an order priced from the catalogue, in one transaction: the contact is checked to be the business's,
 * tracked stock is taken (a conditional update, so two orders can never take the last unit both), the lines copy
 * today's unit prices and the order.changed event is queued. Problems (unknown or inactive products, bad
 * quantities, no stock) change nothing and are returned, every one of them.
 */
export async function createOrder(
  prisma: PrismaClient,
  input: CreateOrderInput,
): Promise<{ ok: true; order: OrderWithItems; replayed: boolean } | { ok: false; problems: OrderProblem[] }> {
  const replay = async () =>
    input.idempotencyKey
      ? prisma.order.findFirst({ where: { idempotencyKey: input.idempotencyKey, businessId: input.businessId }, include: orderItems })
      : null;
  const earlier = await replay();
  if (earlier) return { ok: true, order: earlier, replayed: true };

  try {
    const order = await prisma.$transaction(async (transaction) => {
      const contact = await transaction.contact.findFirst({ where: { id: input.contactId, businessId: input.businessId }, select: { id: true } });
      if (!contact) throw new OrderRejected([{ code: 'UNKNOWN_CONTACT', message: `Contact ${input.contactId} does not exist.` }]);

      const ids = [...new Set(input.items.map((item) => item.productId))];
      const products = await transaction.product.findMany({
        where: { businessId: input.businessId, id: { in: ids.filter((id) => uuidPattern.test(id)) } },
      });
      const catalogue = new Map<string, CataloguePrice>(products.map((product) => [product.id, product]));
      const priced = priceOrder(input.items, catalogue);
      if (!priced.ok) throw new OrderRejected(priced.problems);

      for (const line of priced.order.lines) {
        if (catalogue.get(line.productId)!.stock === null) continue;
        const taken = await transaction.product.updateMany({
          where: { id: line.productId, businessId: input.businessId, stock: { gte: line.quantity } },
          data: { stock: { decrement: line.quantity } },
        });
        if (taken.count === 0) {
          const now = await transaction.product.findUnique({ where: { id: line.productId }, select: { stock: true } });
          throw new OrderRejected([
            {
              code: 'OUT_OF_STOCK',
              productId: line.productId,
              available: now?.stock ?? 0,
              message: `Only ${now?.stock ?? 0} of ${line.name} left; ${line.quantity} asked for.`,
            },
          ]);
        }
      }

      const at = input.now.toISOString();
      const timeline: OrderTimelineEntry[] = [{ status: 'PENDING', at, by: input.by }];
      if (input.initialStatus === 'AWAITING_VOUCHER') timeline.push({ status: 'AWAITING_VOUCHER', at, by: input.by });
      const order = await transaction.order.create({
        data: {
          businessId: input.businessId,
          contactId: input.contactId,
          conversationId: input.conversationId,
          status: input.initialStatus,
          currency: priced.order.currency,
          totalMinor: priced.order.totalMinor,
          customerName: input.customer.name,
          customerAddress: input.customer.address,
          notes: input.customer.notes,
          timeline: timeline as unknown as Prisma.InputJsonValue,
          idempotencyKey: input.idempotencyKey,
          createdAt: input.now,
        },
      });
      await transaction.orderItem.createMany({
        data: priced.order.lines.map((line, position) => ({
          orderId: order.id,
          position,
          businessId: input.businessId,
          productId: line.productId,
          name: line.name,
          sku: line.sku,
          quantity: line.quantity,
          unitPriceMinor: line.unitPriceMinor,
          lineTotalMinor: line.lineTotalMinor,
        })),
      });
      const created = await transaction.order.findUniqueOrThrow({
        where: { id: order.id },
        include: orderItems,
      });
      await orderChanged(transaction, created, 'created', input.now);
      return created;
    });
    return { ok: true, order, replayed: false };
  } catch (error) {
    if (error instanceof OrderRejected) return { ok: false, problems: error.problems };
    // The same key twice at once: the unique index let one through; answer the other with its order.
    if (input.idempotencyKey && isUniqueViolation(error)) {
      const winner = await replay();
      if (winner) return { ok: true, order: winner, replayed: true };
    }
    throw error;
  }
}

export type OrderNoticeOutcome = CustomerNoticeResult | null;

/**
 * Moves an order to `to` if the domain's table allows it from where the order is (OrderTransitionError carrying
 * the current status otherwise; null when the order is not the business's). A cancelled order gives its tracked
 * stock back. The status update is conditional on the status read, so two operators clicking at once cannot both
 * move it.
 */
export async function transitionOrder(
  prisma: PrismaClient,
  input: {
    businessId: string;
    orderId: string;
    to: OrderStatus;
    by: OrderTimelineEntry['by'];
    now: Date;
    notice?: { text: (order: OrderWithItems) => string; idempotencyKey: string };
  },
): Promise<{ order: OrderWithItems; notice: OrderNoticeOutcome } | null> {
  return prisma.$transaction(async (transaction) => {
    const order = await transaction.order.findFirst({ where: { id: input.orderId, businessId: input.businessId }, include: orderItems });
    if (!order) return null;
    assertTransition(order.status, input.to);
    const moved = await transaction.order.updateMany({
      where: { id: order.id, businessId: input.businessId, status: order.status },
      data: { status: input.to, timeline: appendTimeline(order.timeline, { status: input.to, at: input.now.toISOString(), by: input.by }) },
    });
    if (moved.count === 0) {
      const current = await transaction.order.findUniqueOrThrow({ where: { id: order.id }, select: { status: true } });
      throw new OrderTransitionError(current.status, input.to);
    }
    if (input.to === 'CANCELLED') {
      for (const item of order.items) {
        await transaction.product.updateMany({
          where: { id: item.productId, businessId: input.businessId, stock: { not: null } },
          data: { stock: { increment: item.quantity } },
        });
      }
    }
    const updated = await transaction.order.findUniqueOrThrow({ where: { id: order.id }, include: orderItems });
    await orderChanged(transaction, updated, 'status', input.now);
    const notice = input.notice
      ? await queueCustomerNotice(transaction, {
          businessId: input.businessId,
          contactId: order.contactId,
          conversationId: order.conversationId,
          text: input.notice.text(updated),
          author: 'OPERATOR',
          idempotencyKey: input.notice.idempotencyKey,
          now: input.now,
        })
      : null;
    return { order: updated, notice };
  });
}

/** The voucher has to be there, and the order waiting for one, before it can be confirmed or rejected. */
export class VoucherStateError extends Error {
  constructor(
    readonly current: OrderStatus,
    message: string,
  ) {
    super(message);
    this.name = 'VoucherStateError';
  }
}

/** The operator accepts the voucher: AWAITING_VOUCHER → PAID, and the customer is told. */
export async function confirmVoucher(
  prisma: PrismaClient,
  input: { businessId: string; orderId: string; now: Date },
): Promise<{ order: OrderWithItems; notice: OrderNoticeOutcome } | null> {
  const order = await prisma.order.findFirst({
    where: { id: input.orderId, businessId: input.businessId },
    select: { status: true, voucherMessageId: true },
  });
  if (!order) return null;
  if (order.status !== 'AWAITING_VOUCHER')
    throw new VoucherStateError(order.status, `The order is ${order.status}: it is not waiting for a voucher.`);
  if (!order.voucherMessageId) throw new VoucherStateError(order.status, 'The customer has not sent a voucher for this order yet.');
  return transitionOrder(prisma, {
    businessId: input.businessId,
    orderId: input.orderId,
    to: 'PAID',
    by: 'OPERATOR',
    now: input.now,
    notice: {
      text: (paid) => orderNotices.voucherConfirmed(paid.id, { amountMinor: paid.totalMinor, currency: paid.currency }),
      idempotencyKey: `order-paid:${input.orderId}`,
    },
  });
}

/** The operator refuses the voucher: it is detached, the order keeps waiting, and the customer is asked for a new one. */
export async function rejectVoucher(
  prisma: PrismaClient,
  input: { businessId: string; orderId: string; now: Date },
): Promise<{ order: OrderWithItems; notice: OrderNoticeOutcome } | null> {
  return prisma.$transaction(async (transaction) => {
    const order = await transaction.order.findFirst({ where: { id: input.orderId, businessId: input.businessId } });
    if (!order) return null;
    if (order.status !== 'AWAITING_VOUCHER' || !order.voucherMessageId) {
      throw new VoucherStateError(
        order.status,
        order.status !== 'AWAITING_VOUCHER'
          ? `The order is ${order.status}: it is not waiting for a voucher.`
          : 'The order has no voucher to reject.',
      );
    }
    const rejectedMessageId = order.voucherMessageId;
    const cleared = await transaction.order.updateMany({
      where: { id: order.id, voucherMessageId: rejectedMessageId, status: 'AWAITING_VOUCHER' },
      data: { voucherMessageId: null, voucherAt: null },
    });
    if (cleared.count === 0) throw new VoucherStateError(order.status, 'The voucher changed meanwhile; reload the order.');
    const updated = await transaction.order.findUniqueOrThrow({ where: { id: order.id }, include: orderItems });
    await orderChanged(transaction, updated, 'voucher-rejected', input.now);
    const notice = await queueCustomerNotice(transaction, {
      businessId: input.businessId,
      contactId: order.contactId,
      conversationId: order.conversationId,
      text: orderNotices.voucherRejected(order.id),
      author: 'OPERATOR',
      // One request per rejected voucher: rejecting the next voucher asks again.
      idempotencyKey: `voucher-rejected:${rejectedMessageId}`,
      now: input.now,
    });
    return { order: updated, notice };
  });
}

/**
 * An image from a customer who owes a voucher: it becomes the voucher of their most recent order in
 * AWAITING_VOUCHER (a newer image replaces an earlier one), and the customer is told it was received. Null when
 * the contact has no waiting order. A redelivered message finds itself already attached and changes nothing.
 */
export async function attachVoucher(
  prisma: PrismaClient,
  input: { businessId: string; contactId: string; conversationId: string; messageId: string; now: Date },
): Promise<{ order: OrderWithItems; attached: boolean } | null> {
  return prisma.$transaction(async (transaction) => {
    const already = await transaction.order.findFirst({
      where: { voucherMessageId: input.messageId, businessId: input.businessId },
      include: orderItems,
    });
    if (already) return { order: already, attached: false };
    const waiting = await transaction.order.findFirst({
      where: { businessId: input.businessId, contactId: input.contactId, status: 'AWAITING_VOUCHER' },
      orderBy: { createdAt: 'desc' },
    });
    if (!waiting) return null;
    const order = await transaction.order.update({
      where: { id: waiting.id },
      data: { voucherMessageId: input.messageId, voucherAt: input.now },
      include: orderItems,
    });
    await orderChanged(transaction, order, 'voucher-received', input.now);
    await queueCustomerNotice(transaction, {
      businessId: input.businessId,
      contactId: input.contactId,
      conversationId: input.conversationId,
      text: orderNotices.voucherReceived(order.id),
      author: 'AI',
      idempotencyKey: `voucher-received:${input.messageId}`,
      now: input.now,
    });
    return { order, attached: true };
  });
}

/** Who delivers the order (a name or phone the operator types); null clears it. */
export async function setDeliveryAgent(
  prisma: PrismaClient,
  input: { businessId: string; orderId: string; deliveryAgent: string | null; now: Date },
): Promise<OrderWithItems | null> {
  return prisma.$transaction(async (transaction) => {
    const found = await transaction.order.updateMany({
      where: { id: input.orderId, businessId: input.businessId },
      data: { deliveryAgent: input.deliveryAgent },
    });
    if (found.count === 0) return null;
    const order = await transaction.order.findUniqueOrThrow({ where: { id: input.orderId }, include: orderItems });
    await orderChanged(transaction, order, 'delivery-agent', input.now);
    return order;
  });
}
