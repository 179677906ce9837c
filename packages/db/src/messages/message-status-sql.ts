import { MessageStatusChanged } from '@app/domain';
import { Prisma } from '../generated/prisma/client.ts';
import { preparedMarker } from './prepared-statement.ts';

export type OutboundStatus = 'SENDING' | 'SENT' | 'DELIVERED' | 'READ' | 'PLAYED' | 'FAILED' | 'CANCELLED';

/** Timestamps travel as ISO strings and are stored as UTC, whatever the session time zone. */
export function utc(value: Date): Prisma.Sql {
  return Prisma.sql`(${value.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}

/**
 * The tail of a status transition statement: given a CTE `changed(id, "businessId", "conversationId")` holding
 * the rows that really changed, writes one `message.status-changed` per row to the outbox (same statement, so
 * the event exists if and only if the change committed).
 */
export function statusChangedOutboxInsert(options: {
  eventId: string;
  status: OutboundStatus;
  errorCode: string | null;
  errorMessage: string | null;
  at: Date;
}): Prisma.Sql {
  return Prisma.sql`
INSERT INTO outbox_event (topic, key, payload)
SELECT ${MessageStatusChanged.topic}::text, c."conversationId"::text, jsonb_build_object(
  'id', ${options.eventId}::text,
  'type', ${MessageStatusChanged.type}::text,
  'occurredAt', ${new Date().toISOString()}::text,
  'data', jsonb_build_object(
    'businessId', c."businessId"::text, 'conversationId', c."conversationId"::text, 'messageId', c.id::text,
    'status', ${options.status}::text, 'errorCode', ${options.errorCode}::text, 'errorMessage', ${options.errorMessage}::text,
    'at', ${options.at.toISOString()}::text))
FROM changed c`;
}

/** Put first in a hot-path statement: it is then run as a named prepared statement (see prepared-statement.ts). */
export const preparedSql = Prisma.raw(preparedMarker);
