import { formatMoney } from '@app/domain/sales/money';
import { canTransition, nextFulfilmentStatus } from '@app/domain/sales/order-status';
import type { OrderStatus, OrderView } from '../../../core/api/api-models';

export interface OrderFilter {
  /** Empty: every status. */
  status: OrderStatus | '';
  /** `yyyy-mm-dd` in the operator's calendar, or empty. */
  from: string;
  to: string;
}

/** The API's query for a filter: whole days, `to` inclusive. */
export function orderQuery(filter: OrderFilter): { status?: string; from?: string; to?: string } {
  const day = (value: string, plusDays = 0) => {
    const date = new Date(`${value}T00:00:00`);
    date.setDate(date.getDate() + plusDays);
    return date.toISOString();
  };
  return {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.from ? { from: day(filter.from) } : {}),
    ...(filter.to ? { to: day(filter.to, 1) } : {}),
  };
}

/** Whether an order (e.g. from a live update) belongs in the list the filter shows. */
export function matchesFilter(order: OrderView, filter: OrderFilter): boolean {
  const query = orderQuery(filter);
  if (filter.status && order.status !== filter.status) return false;
  if (query.from && order.createdAt < query.from) return false;
  if (query.to && order.createdAt >= query.to) return false;
  return true;
}

/** A live or acted-on order into the list: replaced in place, added on top when new and matching, dropped when it no longer matches. */
export function upsertOrder(orders: readonly OrderView[], order: OrderView, filter: OrderFilter): OrderView[] {
  const index = orders.findIndex((existing) => existing.id === order.id);
  const matches = matchesFilter(order, filter);
  if (index < 0) return matches ? [order, ...orders] : [...orders];
  if (!matches) return orders.filter((existing) => existing.id !== order.id);
  return orders.map((existing) => (existing.id === order.id ? order : existing));
}

/** The operator's one-click next step (Paid → Processing → Shipped → Delivered). */
export function quickAction(status: OrderStatus): OrderStatus | null {
  return nextFulfilmentStatus(status);
}

export function canCancel(status: OrderStatus): boolean {
  return canTransition(status, 'CANCELLED');
}

export function money(amountMinor: number, currency: string, locale: string): string {
  return formatMoney({ amountMinor, currency }, locale);
}
