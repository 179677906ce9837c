import { describe, expect, it } from 'vitest';
import type { OrderView } from '../../../core/api/api-models';
import { canCancel, matchesFilter, money, orderQuery, quickAction, upsertOrder } from './order-list';

const order = (id: string, status: OrderView['status'], createdAt = '2026-03-02T10:00:00.000Z'): OrderView =>
  ({ id, status, createdAt, reference: `#${id}`, totalMinor: 100, currency: 'EUR' }) as OrderView;

describe('order list', () => {
  it('walks the quick actions and knows when an order can still be cancelled', () => {
    expect([quickAction('PAID'), quickAction('PROCESSING'), quickAction('SHIPPED'), quickAction('DELIVERED')]).toEqual([
      'PROCESSING',
      'SHIPPED',
      'DELIVERED',
      null,
    ]);
    expect(canCancel('AWAITING_VOUCHER')).toBe(true);
    expect(canCancel('SHIPPED')).toBe(false);
  });

  it('upserts live orders: in place, on top when new and matching, removed when they stop matching', () => {
    const filter = { status: 'PAID' as const, from: '', to: '' };
    const list = [order('a', 'PAID')];
    expect(upsertOrder(list, order('b', 'PAID'), filter).map((entry) => entry.id)).toEqual(['b', 'a']);
    expect(upsertOrder(list, order('c', 'PENDING'), filter)).toEqual(list);
    expect(upsertOrder(list, order('a', 'PROCESSING'), filter)).toEqual([]);
    expect(upsertOrder(list, order('a', 'PROCESSING'), { status: '', from: '', to: '' })[0]!.status).toBe('PROCESSING');
  });

  it('turns whole days into the API’s range, the last day included', () => {
    const query = orderQuery({ status: '', from: '2026-03-01', to: '2026-03-02' });
    expect(new Date(query.to!).getTime() - new Date(query.from!).getTime()).toBe(2 * 24 * 3600 * 1000);
    expect(
      matchesFilter(order('a', 'PAID', new Date('2026-03-02T23:00:00').toISOString()), { status: '', from: '2026-03-01', to: '2026-03-02' }),
    ).toBe(true);
    expect(
      matchesFilter(order('a', 'PAID', new Date('2026-03-03T00:00:01').toISOString()), { status: '', from: '2026-03-01', to: '2026-03-02' }),
    ).toBe(false);
  });

  it('formats minor units in the currency', () => {
    expect(money(1250, 'EUR', 'en')).toBe('€12.50');
  });
});
