import { isStatusAdvance, type DeliveryStatus } from '@app/domain';
import { Prisma } from '../generated/prisma/client.ts';
import { queryRawFast } from '../raw-query.ts';
import { deterministicUuid } from './deterministic-id.ts';
import { preparedSql, statusChangedOutboxInsert, utc, type OutboundStatus } from './message-status-sql.ts';
import type { SqlClient } from './record-inbound-message.ts';

export interface DeliveryStatusInput {
  instanceId: string;
  providerMessageId: string;
  status: DeliveryStatus;
  /** The provider's time of the status; defaults to now. */
  at?: Date;
  errors?: { code: number | string; title?: string; message?: string; details?: string }[];
}

export type DeliveryStatusOutcome =
  | { applied: true; messageId: string }
  /** unknown: no outbound message with this provider id (sent elsewhere, or not recorded yet); stale: not an advance. */
  | { applied: false; reason: 'unknown' | 'stale' };

const fromStored: Record<string, DeliveryStatus | null | 'final'> = {
  PENDING: null,
  SENDING: null,
  SENT: 'sent',
  DELIVERED: 'delivered',
  READ: 'read',
  PLAYED: 'played',
  FAILED: 'failed',
  CANCELLED: 'final',
  RECEIVED: 'final',
};

const maxAttempts = 5;

/**
 * Applies a provider status webhook to the stored outbound message, monotonically (`isStatusAdvance`: webhooks
 * arrive out of order, `delivered` may be skipped). Optimistic: the update only lands if the status it was
 * computed from is still the stored one; otherwise it is recomputed. A redelivered status changes nothing.
 */
export async function applyDeliveryStatus(client: SqlClient, input: DeliveryStatusInput): Promise<DeliveryStatusOutcome> {
  const at = input.at ?? new Date();
  const next = input.status.toUpperCase() as OutboundStatus;
  const firstError = input.errors?.[0];
  const errorCode = input.status === 'failed' && firstError ? String(firstError.code) : null;
  const errorMessage = input.status === 'failed' && firstError ? (firstError.details ?? firstError.message ?? firstError.title ?? null) : null;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const [message] = await queryRawFast<{ id: string; status: string }>(
      client,
      Prisma.sql`${preparedSql}
SELECT id::text, status::text FROM message
WHERE "instanceId" = ${input.instanceId}::uuid AND "providerMessageId" = ${input.providerMessageId}::text
  AND direction = 'OUTBOUND'::"MessageDirection"`,
    );
    if (!message) return { applied: false, reason: 'unknown' };
    const current = fromStored[message.status];
    if (current === 'final' || current === undefined || !isStatusAdvance(current, input.status)) {
      return { applied: false, reason: 'stale' };
    }
    const rows = await queryRawFast<{ id: string }>(
      client,
      Prisma.sql`${preparedSql}
WITH changed AS (
  UPDATE message m SET status = ${next}::"MessageStatus", "statusAt" = ${utc(at)},
    "errorCode" = COALESCE(${errorCode}::text, m."errorCode"), "errorMessage" = COALESCE(${errorMessage}::text, m."errorMessage")
  WHERE m.id = ${message.id}::uuid AND m.status = ${message.status}::"MessageStatus"
  RETURNING m.id, m."businessId", m."conversationId"
),
event AS (${statusChangedOutboxInsert({
        id: deterministicUuid(`message.status-changed:${message.id}:${next}`),
        messageId: message.id,
        status: next,
        errorCode,
        errorMessage,
        at,
      })})
SELECT id::text FROM changed`,
    );
    if (rows.length > 0) return { applied: true, messageId: message.id };
    // Someone else changed the status between our read and our write: decide again on the new value.
  }
  return { applied: false, reason: 'stale' };
}
