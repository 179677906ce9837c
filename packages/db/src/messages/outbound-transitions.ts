import { randomUUID } from 'node:crypto';
import { Prisma } from '../generated/prisma/client.ts';
import { queryRawFast } from '../raw-query.ts';
import { deterministicUuid } from './deterministic-id.ts';
import { preparedSql, statusChangedOutboxInsert, utc } from './message-status-sql.ts';
import type { SqlClient } from './record-inbound-message.ts';

/** An outbound message a provider egress now owns (status SENDING), with what it needs to address it. */
export interface ClaimedOutboundMessage {
  id: string;
  businessId: string;
  conversationId: string;
  instanceId: string;
  kind: string;
  text: string | null;
  content: Record<string, unknown>;
  /** Including this claim. */
  sendAttempts: number;
  contact: { id: string; phone: string | null; waUserId: string | null; lid: string | null };
}

/**
 * PENDING → SENDING, atomically. Returns null when the message is not (or no longer) pending: another worker
 * has it, it was sent, cancelled or failed. A claim is the only way to send, so nothing is sent twice.
 */
export async function claimOutboundMessage(
  client: SqlClient,
  messageId: string,
  options: { now?: Date } = {},
): Promise<ClaimedOutboundMessage | null> {
  const now = options.now ?? new Date();
  const rows = await queryRawFast<ClaimRow>(client, Prisma.sql`${preparedSql}
WITH changed AS (
  UPDATE message m SET status = 'SENDING'::"MessageStatus", "sendAttempts" = m."sendAttempts" + 1, "statusAt" = ${utc(now)}
  WHERE m.id = ${messageId}::uuid AND m.status = 'PENDING'::"MessageStatus" AND m.direction = 'OUTBOUND'::"MessageDirection"
  RETURNING m.id, m."businessId", m."conversationId", m."instanceId", m.kind, m.text, m.content, m."sendAttempts"
),
event AS (${statusChangedOutboxInsert({ eventId: randomUUID(), status: 'SENDING', errorCode: null, errorMessage: null, at: now })})
SELECT c.id::text, c."businessId"::text, c."conversationId"::text, c."instanceId"::text, c.kind, c.text, c.content,
       c."sendAttempts", p.id::text AS "contactId", p.phone, p."waUserId", p.lid
FROM changed c
JOIN conversation v ON v.id = c."conversationId"
JOIN contact p ON p.id = v."contactId"`);
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    businessId: row.businessId,
    conversationId: row.conversationId,
    instanceId: row.instanceId,
    kind: row.kind,
    text: row.text,
    content: (row.content ?? {}) as Record<string, unknown>,
    sendAttempts: Number(row.sendAttempts),
    contact: { id: row.contactId, phone: row.phone, waUserId: row.waUserId, lid: row.lid },
  };
}

interface ClaimRow {
  id: string;
  businessId: string;
  conversationId: string;
  instanceId: string;
  kind: string;
  text: string | null;
  content: unknown;
  sendAttempts: number | bigint;
  contactId: string;
  phone: string | null;
  waUserId: string | null;
  lid: string | null;
}

/**
 * SENDING → SENT with the provider's id. When the message answers an AI buffer, the buffer row is deleted in the
 * same statement: the burst is done exactly when its reply is out. Returns false if the message was not SENDING.
 */
export async function markOutboundSent(
  client: SqlClient,
  input: { messageId: string; providerMessageId: string; bufferId?: string | null; now?: Date },
): Promise<boolean> {
  const now = input.now ?? new Date();
  const deleteBuffer = input.bufferId
    ? Prisma.sql`, deleted_buffer AS (
  DELETE FROM message_buffer b USING changed c WHERE b.id = ${input.bufferId}::uuid AND b."businessId" = c."businessId" RETURNING b.id)`
    : Prisma.empty;
  const rows = await queryRawFast<{ id: string }>(client, Prisma.sql`${preparedSql}
WITH changed AS (
  UPDATE message m SET status = 'SENT'::"MessageStatus", "providerMessageId" = ${input.providerMessageId}::text,
    "statusAt" = ${utc(now)}, "errorCode" = NULL, "errorMessage" = NULL
  WHERE m.id = ${input.messageId}::uuid AND m.status = 'SENDING'::"MessageStatus"
  RETURNING m.id, m."businessId", m."conversationId"
)${deleteBuffer},
event AS (${statusChangedOutboxInsert({
    eventId: deterministicUuid(`message.status-changed:${input.messageId}:SENT`),
    status: 'SENT',
    errorCode: null,
    errorMessage: null,
    at: now,
  })})
SELECT id::text FROM changed`);
  return rows.length > 0;
}

/** PENDING or SENDING → FAILED with the provider's error; a permanent outcome (no retry will follow). */
export async function markOutboundFailed(
  client: SqlClient,
  input: { messageId: string; code: string; message: string; now?: Date },
): Promise<boolean> {
  const now = input.now ?? new Date();
  const rows = await queryRawFast<{ id: string }>(client, Prisma.sql`${preparedSql}
WITH changed AS (
  UPDATE message m SET status = 'FAILED'::"MessageStatus", "statusAt" = ${utc(now)},
    "errorCode" = ${input.code}::text, "errorMessage" = ${input.message}::text
  WHERE m.id = ${input.messageId}::uuid AND m.status IN ('PENDING'::"MessageStatus", 'SENDING'::"MessageStatus")
  RETURNING m.id, m."businessId", m."conversationId"
),
event AS (${statusChangedOutboxInsert({
    eventId: deterministicUuid(`message.status-changed:${input.messageId}:FAILED`),
    status: 'FAILED',
    errorCode: input.code,
    errorMessage: input.message,
    at: now,
  })})
SELECT id::text FROM changed`);
  return rows.length > 0;
}

/**
 * SENDING → PENDING after a retryable provider error (throttling …), keeping the error for the record, so the
 * next delivery of the send request can claim it again. No event: PENDING is not a delivery state.
 */
export async function releaseOutboundMessage(
  client: SqlClient,
  input: { messageId: string; code: string; message: string; now?: Date },
): Promise<boolean> {
  const now = input.now ?? new Date();
  const rows = await queryRawFast<{ id: string }>(client, Prisma.sql`${preparedSql}
UPDATE message SET status = 'PENDING'::"MessageStatus", "statusAt" = ${utc(now)},
  "errorCode" = ${input.code}::text, "errorMessage" = ${input.message}::text
WHERE id = ${input.messageId}::uuid AND status = 'SENDING'::"MessageStatus"
RETURNING id::text`);
  return rows.length > 0;
}

/** PENDING → CANCELLED (a person took over, or the reply was superseded). A message already out is untouched. */
export async function cancelOutboundMessage(
  client: SqlClient,
  input: { messageId: string; reason?: string; now?: Date },
): Promise<boolean> {
  const now = input.now ?? new Date();
  const rows = await queryRawFast<{ id: string }>(client, Prisma.sql`${preparedSql}
WITH changed AS (
  UPDATE message m SET status = 'CANCELLED'::"MessageStatus", "statusAt" = ${utc(now)},
    "errorCode" = NULL, "errorMessage" = ${input.reason ?? null}::text
  WHERE m.id = ${input.messageId}::uuid AND m.status = 'PENDING'::"MessageStatus" AND m.direction = 'OUTBOUND'::"MessageDirection"
  RETURNING m.id, m."businessId", m."conversationId"
),
event AS (${statusChangedOutboxInsert({
    eventId: deterministicUuid(`message.status-changed:${input.messageId}:CANCELLED`),
    status: 'CANCELLED',
    errorCode: null,
    errorMessage: input.reason ?? null,
    at: now,
  })})
SELECT id::text FROM changed`);
  return rows.length > 0;
}
