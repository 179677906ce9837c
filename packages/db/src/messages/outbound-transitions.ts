import { randomUUID } from 'node:crypto';
import { Prisma } from '../generated/prisma/client.ts';
import { queryRawFast } from '../raw-query.ts';
import { deterministicUuid } from './deterministic-id.ts';
import { preparedSql, statusChangedOutboxInsert, utc, type OutboundStatus } from './message-status-sql.ts';
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
  const rows = await queryRawFast<ClaimRow>(
    client,
    Prisma.sql`${preparedSql}
WITH changed AS (
  UPDATE message m SET status = 'SENDING'::"MessageStatus", "sendAttempts" = m."sendAttempts" + 1, "statusAt" = ${utc(now)}
  WHERE m.id = ${messageId}::uuid AND m.status = 'PENDING'::"MessageStatus" AND m.direction = 'OUTBOUND'::"MessageDirection"
  RETURNING m.id, m."businessId", m."conversationId", m."instanceId", m.kind, m.text, m.content, m."sendAttempts"
),
event AS (${statusChangedOutboxInsert({ id: randomUUID(), messageId, status: 'SENDING', errorCode: null, errorMessage: null, at: now })})
SELECT c.id::text, c."businessId"::text, c."conversationId"::text, c."instanceId"::text, c.kind, c.text, c.content,
       c."sendAttempts", p.id::text AS "contactId", p.phone, p."waUserId", p.lid
FROM changed c
JOIN conversation v ON v.id = c."conversationId"
JOIN contact p ON p.id = v."contactId"`,
  );
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
 * The status transitions of an outbound message after its claim, one row each: from which states it may happen
 * (a message in any other state is left alone and the call answers false) and whether it is a delivery state that
 * open consoles are told about (`message.status-changed`, written to the outbox in the same statement).
 */
const outboundTransitions = {
  /** SENDING → SENT with the provider's id (and the AI buffer it answers deleted: the burst is done). */
  sent: { to: 'SENT', from: ['SENDING'], announced: true },
  /** PENDING or SENDING → FAILED with the provider's error; permanent (no retry follows). */
  failed: { to: 'FAILED', from: ['PENDING', 'SENDING'], announced: true },
  /** SENDING → PENDING after a retryable error, the error kept for the record; PENDING is no delivery state. */
  released: { to: 'PENDING', from: ['SENDING'], announced: false },
  /** PENDING → CANCELLED (a person took over, or the reply was superseded); a message already out is untouched. */
  cancelled: { to: 'CANCELLED', from: ['PENDING'], announced: true },
} as const satisfies Record<string, { to: OutboundStatus | 'PENDING'; from: readonly ('PENDING' | 'SENDING')[]; announced: boolean }>;

type OutboundTransition = keyof typeof outboundTransitions;

interface TransitionInput {
  messageId: string;
  now: Date;
  errorCode: string | null;
  errorMessage: string | null;
  /** SENT: the provider's id of the message. */
  providerMessageId?: string;
  /** SENT: the AI buffer the message answers, deleted in the same statement. */
  bufferId?: string | null;
}

/** Applies one transition of the table in a single statement; false when the message was not in a `from` state. */
async function transitionOutbound(client: SqlClient, name: OutboundTransition, input: TransitionInput): Promise<boolean> {
  const transition = outboundTransitions[name];
  const { messageId, now } = input;
  const providerMessageId =
    input.providerMessageId === undefined ? Prisma.empty : Prisma.sql`, "providerMessageId" = ${input.providerMessageId}::text`;
  const deleteBuffer = input.bufferId
    ? Prisma.sql`,
deleted_buffer AS (
  DELETE FROM message_buffer b USING changed c WHERE b.id = ${input.bufferId}::uuid AND b."businessId" = c."businessId" RETURNING b.id)`
    : Prisma.empty;
  const event = transition.announced
    ? Prisma.sql`,
event AS (${statusChangedOutboxInsert({
        id: deterministicUuid(`message.status-changed:${messageId}:${transition.to}`),
        messageId,
        status: transition.to,
        errorCode: input.errorCode,
        errorMessage: input.errorMessage,
        at: now,
      })})`
    : Prisma.empty;
  const rows = await queryRawFast<{ id: string }>(
    client,
    Prisma.sql`${preparedSql}
WITH changed AS (
  UPDATE message m SET status = ${transition.to}::"MessageStatus", "statusAt" = ${utc(now)},
    "errorCode" = ${input.errorCode}::text, "errorMessage" = ${input.errorMessage}::text${providerMessageId}
  -- The states travel as one text: on PGlite a one-element array parameter arrived as a bare string.
  WHERE m.id = ${messageId}::uuid AND m.status = ANY(string_to_array(${transition.from.join(',')}::text, ',')::"MessageStatus"[]) AND m.direction = 'OUTBOUND'::"MessageDirection"
  RETURNING m.id, m."businessId", m."conversationId"
)${deleteBuffer}${event}
SELECT id::text FROM changed`,
  );
  return rows.length > 0;
}

/**
 * SENDING → SENT with the provider's id. When the message answers an AI buffer, the buffer row is deleted in the
 * same statement: the burst is done exactly when its reply is out. Returns false if the message was not SENDING.
 */
export function markOutboundSent(
  client: SqlClient,
  input: { messageId: string; providerMessageId: string; bufferId?: string | null; now?: Date },
): Promise<boolean> {
  const { messageId, providerMessageId, bufferId } = input;
  return transitionOutbound(client, 'sent', {
    messageId,
    providerMessageId,
    bufferId,
    now: input.now ?? new Date(),
    errorCode: null,
    errorMessage: null,
  });
}

/** PENDING or SENDING → FAILED with the provider's error; a permanent outcome (no retry will follow). */
export function markOutboundFailed(client: SqlClient, input: { messageId: string; code: string; message: string; now?: Date }): Promise<boolean> {
  return transitionOutbound(client, 'failed', {
    messageId: input.messageId,
    now: input.now ?? new Date(),
    errorCode: input.code,
    errorMessage: input.message,
  });
}

/**
 * SENDING → PENDING after a retryable provider error (throttling …), keeping the error for the record, so the
 * next delivery of the send request can claim it again. No event: PENDING is not a delivery state.
 */
export function releaseOutboundMessage(client: SqlClient, input: { messageId: string; code: string; message: string; now?: Date }): Promise<boolean> {
  return transitionOutbound(client, 'released', {
    messageId: input.messageId,
    now: input.now ?? new Date(),
    errorCode: input.code,
    errorMessage: input.message,
  });
}

/** PENDING → CANCELLED (a person took over, or the reply was superseded). A message already out is untouched. */
export function cancelOutboundMessage(client: SqlClient, input: { messageId: string; reason?: string; now?: Date }): Promise<boolean> {
  return transitionOutbound(client, 'cancelled', {
    messageId: input.messageId,
    now: input.now ?? new Date(),
    errorCode: null,
    errorMessage: input.reason ?? null,
  });
}
