/** Where an order is. AWAITING_VOUCHER: the customer owes a payment proof (plans without payment links). */
export const orderStatuses = ['PENDING', 'AWAITING_VOUCHER', 'PAID', 'PROCESSING', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/**
 * The allowed moves, all in one table. An order is cancelled only before it leaves the shop; DELIVERED and
 * CANCELLED are final. Rejecting a voucher is no move: the order stays AWAITING_VOUCHER and waits for a new one.
 */
export const orderTransitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['AWAITING_VOUCHER', 'PAID', 'CANCELLED'],
  AWAITING_VOUCHER: ['PAID', 'CANCELLED'],
  PAID: ['PROCESSING', 'CANCELLED'],
  PROCESSING: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: [],
  CANCELLED: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return orderTransitions[from].includes(to);
}

/** A move the table does not allow; carries the order's current status so the caller can show it (HTTP 409). */
export class OrderTransitionError extends Error {
  constructor(
    readonly current: OrderStatus,
    readonly requested: OrderStatus,
  ) {
    const allowed = orderTransitions[current];
    super(
      allowed.length === 0
        ? `The order is ${current}, which is final: it cannot become ${requested}.`
        : `The order is ${current}: it can become ${allowed.join(' or ')}, not ${requested}.`,
    );
    this.name = 'OrderTransitionError';
  }
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw new OrderTransitionError(from, to);
}

/** One entry of an order's timeline: when it reached a status, and who moved it. */
export interface OrderTimelineEntry {
  status: OrderStatus;
  at: string;
  by: 'AI' | 'OPERATOR' | 'CUSTOMER' | 'SYSTEM';
}

/** The operator's next quick action from a status (Paid → Processing → Shipped → Delivered), if there is one. */
export function nextFulfilmentStatus(status: OrderStatus): OrderStatus | null {
  const next: Partial<Record<OrderStatus, OrderStatus>> = { PAID: 'PROCESSING', PROCESSING: 'SHIPPED', SHIPPED: 'DELIVERED' };
  return next[status] ?? null;
}
