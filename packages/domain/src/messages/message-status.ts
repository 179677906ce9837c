/** Outbound delivery states as providers report them. */
export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'played' | 'failed';

const rank: Record<DeliveryStatus, number> = { sent: 1, delivered: 2, read: 3, played: 4, failed: 5 };

/**
 * Status webhooks arrive out of order and 'delivered' may be skipped. A status only moves forward; 'failed'
 * wins over 'sent' but not over a later proof of delivery (a message read on one device stays read).
 */
export function isStatusAdvance(current: DeliveryStatus | null, next: DeliveryStatus): boolean {
  if (current === null) return true;
  if (next === 'failed') return current === 'sent';
  if (current === 'failed') return next !== 'sent';
  return rank[next] > rank[current];
}
