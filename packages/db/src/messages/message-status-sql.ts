import { MessageStatusChanged } from '@app/domain';
import { Prisma } from '../generated/prisma/client.ts';
import { preparedMarker } from './prepared-statement.ts';

export type OutboundStatus = 'SENDING' | 'SENT' | 'DELIVERED' | 'READ' | 'PLAYED' | 'FAILED' | 'CANCELLED';

/** Timestamps travel as ISO strings and are stored as UTC, whatever the session time zone. */
export function utc(value: Date): Prisma.Sql {
  return Prisma.sql`(${value.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}

type StatusChangedData = ReturnType<typeof MessageStatusChanged.create>['data'];

/**
 * The tail of a status transition statement: given a CTE `changed(id, "businessId", "conversationId")` holding
 * the rows that really changed, writes one `message.status-changed` per row to the outbox (same statement, so
 * the event exists if and only if the change committed). The event is built from its definition here and passed
 * as one parameter; the statement only fills in the two ids that the changed row alone knows.
 */
export function statusChangedOutboxInsert(
  input: Omit<StatusChangedData, 'businessId' | 'conversationId' | 'at'> & { id: string; at: Date },
): Prisma.Sql {
  const { id, at, ...data } = input;
  // Filled in from the changed row below.
  const event = MessageStatusChanged.create({ ...data, businessId: '', conversationId: '', at: at.toISOString() }, { id });
  return Prisma.sql`
INSERT INTO outbox_event (topic, key, payload)
SELECT ${MessageStatusChanged.topic}::text, c."conversationId"::text,
  jsonb_set(jsonb_set(${JSON.stringify(event)}::jsonb, '{data,businessId}', to_jsonb(c."businessId"::text)), '{data,conversationId}', to_jsonb(c."conversationId"::text))
FROM changed c`;
}

/** Put first in a hot-path statement: it is then run as a named prepared statement (see prepared-statement.ts). */
export const preparedSql = Prisma.raw(preparedMarker);
