import { randomUUID } from 'node:crypto';
import { describeContent, MessageReceived, messagePreview, pendingDownloadState, type MessageContent } from '@app/domain';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import type { PendingMediaDownload } from '../media-downloads/media-download.repository.ts';
import { queryRawFast } from '../raw-query.ts';
import { deterministicUuid } from './deterministic-id.ts';
import { preparedSql } from './message-status-sql.ts';

/** Any client that can run raw SQL: the PrismaClient or an interactive transaction. */
export type SqlClient = Pick<PrismaClient, '$queryRaw'>;

/** How the customer is known to the provider. At least one identifier; the phone alone is never assumed. */
export interface InboundSender {
  /** Digits only, no `+`. */
  phone?: string | null;
  /** Meta's business-scoped user id (BSUID). */
  waUserId?: string | null;
  /** WhatsApp Web's linked id (Baileys). */
  lid?: string | null;
  name?: string | null;
}

export interface InboundMessageInput {
  businessId: string;
  instanceId: string;
  sender: InboundSender;
  providerMessageId: string;
  /** When the customer sent it (provider timestamp). */
  sentAt: Date;
  content: MessageContent;
  /** Provider extras kept next to the content (a Click-to-WhatsApp referral …). */
  extra?: Record<string, unknown>;
  /**
   * The media is to be downloaded into the object store: the message is stored with `media.download.state =
   * 'pending'` and its `media_download` row, in the same statement (a duplicate adds none). Called with the message's
   * id to seal the source for it, e.g. `(messageId) => queue.pendingDownload({ messageId, source })`.
   */
  mediaDownload?: (messageId: string) => PendingMediaDownload;
  /** The write time; defaults to now. */
  now?: Date;
}

export interface RecordInboundResult {
  /** True when this provider message id was already stored for the instance: nothing was changed. */
  duplicate: boolean;
  messageId: string;
  conversationId: string;
  contactId: string;
}

const maxAttempts = 4;

/** The id a message gets from its instance and provider id, so a replay computes the same one. */
export function inboundMessageId(instanceId: string, providerMessageId: string): string {
  return deterministicUuid(`message:${instanceId}:${providerMessageId}`);
}

// Data-modifying CTEs always run to completion, referenced or not (PostgreSQL docs, "WITH Queries"), so
// filled_contact, touched_conversation and outbox need no reader.

/**
 * Stores one customer message exactly once, in ONE SQL statement (hence one transaction and one round trip):
 * find-or-create the contact by any of its identifiers (filling in identifiers learnt later), find-or-create the
 * conversation, insert the message (`(instanceId, providerMessageId)` unique: a duplicate changes nothing),
 * bump the conversation's window, preview and unread count, and write `message.received` to the outbox.
 * A concurrent creation of the same contact or conversation makes the statement find nothing; it is then re-run.
 */
export async function recordInboundMessage(client: SqlClient, input: InboundMessageInput): Promise<RecordInboundResult> {
  const sender = normalizeSender(input.sender);
  for (let attempt = 1; ; attempt++) {
    try {
      const rows = await queryRawFast<ResultRow>(client, inboundStatement(input, sender));
      const row = rows[0];
      if (row?.messageId && row.conversationId && row.contactId) {
        return { duplicate: row.duplicate, messageId: row.messageId, conversationId: row.conversationId, contactId: row.contactId };
      }
    } catch (error) {
      // 23505: a concurrent writer filled in the same identifier first; the next run sees its row.
      if (!isUniqueViolation(error) || attempt >= maxAttempts) throw error;
    }
    if (attempt >= maxAttempts) throw new Error(`recordInboundMessage: could not store ${input.providerMessageId} after ${attempt} attempts`);
  }
}

/**
 * Several messages of one webhook, in order. Each is atomic on its own (one statement), so a crash between two
 * leaves the stored ones stored and the redelivery stores the rest.
 */
export async function recordInboundMessages(client: SqlClient, inputs: InboundMessageInput[]): Promise<RecordInboundResult[]> {
  const results: RecordInboundResult[] = [];
  for (const input of inputs) results.push(await recordInboundMessage(client, input));
  return results;
}

interface ResultRow {
  messageId: string | null;
  conversationId: string | null;
  contactId: string | null;
  duplicate: boolean;
}

function normalizeSender(sender: InboundSender) {
  const clean = (value: string | null | undefined) => (value && value.trim() !== '' ? value.trim() : null);
  const normalized = { phone: clean(sender.phone?.replace(/^\+/, '')), waUserId: clean(sender.waUserId), lid: clean(sender.lid), name: clean(sender.name) };
  if (!normalized.phone && !normalized.waUserId && !normalized.lid) {
    throw new Error('recordInboundMessage: the sender has no phone, user id or lid');
  }
  return normalized;
}

function inboundStatement(input: InboundMessageInput, sender: ReturnType<typeof normalizeSender>): Prisma.Sql {
  const now = (input.now ?? new Date()).toISOString();
  const sentAt = input.sentAt.toISOString();
  const business = input.businessId;
  const instance = input.instanceId;
  const messageId = inboundMessageId(instance, input.providerMessageId);
  const eventId = deterministicUuid(`message.received:${messageId}`);
  const description = describeContent(input.content);
  const preview = messagePreview(description);
  const stored = input.mediaDownload ? withPendingDownload(input.content) : input.content;
  const content = JSON.stringify(input.extra ? { ...stored, ...input.extra } : stored);
  const { phone, waUserId, lid, name } = sender;
  // Timestamps travel as ISO strings and are stored as UTC, whatever the session time zone.
  const ts = (value: string) => Prisma.sql`(${value}::timestamptz AT TIME ZONE 'UTC')`;

  return Prisma.sql`${preparedSql}
WITH existing_message AS (
  SELECT m.id, m."conversationId", c."contactId"
  FROM message m JOIN conversation c ON c.id = m."conversationId"
  WHERE m."instanceId" = ${instance}::uuid AND m."providerMessageId" = ${input.providerMessageId}::text
),
found_contact AS (
  SELECT id, phone, "waUserId", lid, name FROM contact
  WHERE "businessId" = ${business}::uuid
    AND ("waUserId" = ${waUserId}::text OR lid = ${lid}::text OR phone = ${phone}::text)
  ORDER BY ("waUserId" = ${waUserId}::text) IS TRUE DESC, (lid = ${lid}::text) IS TRUE DESC
  LIMIT 1
),
new_contact AS (
  INSERT INTO contact (id, "businessId", phone, "waUserId", lid, name, "updatedAt")
  SELECT ${randomUUID()}::uuid, ${business}::uuid, ${phone}::text, ${waUserId}::text, ${lid}::text, ${name}::text, ${ts(now)}
  WHERE NOT EXISTS (SELECT 1 FROM found_contact) AND NOT EXISTS (SELECT 1 FROM existing_message)
  ON CONFLICT DO NOTHING
  RETURNING id
),
filled_contact AS (
  -- An identifier learnt later (the phone of a BSUID-only contact, say) is added unless another contact holds it.
  UPDATE contact c SET
    phone = CASE WHEN c.phone IS NULL AND NOT EXISTS (SELECT 1 FROM contact o WHERE o."businessId" = c."businessId" AND o.phone = ${phone}::text)
                 THEN ${phone}::text ELSE c.phone END,
    "waUserId" = CASE WHEN c."waUserId" IS NULL AND NOT EXISTS (SELECT 1 FROM contact o WHERE o."businessId" = c."businessId" AND o."waUserId" = ${waUserId}::text)
                 THEN ${waUserId}::text ELSE c."waUserId" END,
    lid = CASE WHEN c.lid IS NULL AND NOT EXISTS (SELECT 1 FROM contact o WHERE o."businessId" = c."businessId" AND o.lid = ${lid}::text)
                 THEN ${lid}::text ELSE c.lid END,
    name = COALESCE(${name}::text, c.name),
    "updatedAt" = ${ts(now)}
  FROM found_contact f
  WHERE c.id = f.id AND NOT EXISTS (SELECT 1 FROM existing_message)
    AND ((f.phone IS NULL AND ${phone}::text IS NOT NULL) OR (f."waUserId" IS NULL AND ${waUserId}::text IS NOT NULL)
      OR (f.lid IS NULL AND ${lid}::text IS NOT NULL) OR (${name}::text IS NOT NULL AND f.name IS DISTINCT FROM ${name}::text))
  RETURNING c.id
),
contact_row AS (
  SELECT id FROM found_contact UNION ALL SELECT id FROM new_contact
),
found_conversation AS (
  SELECT v.id FROM conversation v JOIN contact_row r ON v."contactId" = r.id WHERE v."instanceId" = ${instance}::uuid
),
new_conversation AS (
  INSERT INTO conversation (id, "businessId", "instanceId", "contactId", "lastInboundAt", "lastMessageAt", "lastMessagePreview", "unreadCount", "updatedAt")
  SELECT ${randomUUID()}::uuid, ${business}::uuid, ${instance}::uuid, r.id, ${ts(sentAt)}, ${ts(sentAt)}, ${preview}::text, 1, ${ts(now)}
  FROM contact_row r
  WHERE NOT EXISTS (SELECT 1 FROM found_conversation) AND NOT EXISTS (SELECT 1 FROM existing_message)
  ON CONFLICT DO NOTHING
  RETURNING id
),
conversation_row AS (
  SELECT id FROM found_conversation UNION ALL SELECT id FROM new_conversation
),
new_message AS (
  INSERT INTO message (id, "businessId", "conversationId", "instanceId", direction, author, kind, text, content, "providerMessageId", status, "sentAt")
  SELECT ${messageId}::uuid, ${business}::uuid, v.id, ${instance}::uuid, 'INBOUND'::"MessageDirection", 'CUSTOMER'::"MessageAuthor",
         ${input.content.kind}::text, ${description}::text, ${content}::jsonb, ${input.providerMessageId}::text, 'RECEIVED'::"MessageStatus", ${ts(sentAt)}
  FROM conversation_row v
  WHERE NOT EXISTS (SELECT 1 FROM existing_message)
  ON CONFLICT ("instanceId", "providerMessageId") DO NOTHING
  RETURNING id, "conversationId"
),
touched_conversation AS (
  -- Only an existing conversation is updated here; a new one was inserted with these values already.
  UPDATE conversation v SET
    "lastInboundAt" = GREATEST(v."lastInboundAt", ${ts(sentAt)}),
    "lastMessageAt" = GREATEST(v."lastMessageAt", ${ts(sentAt)}),
    "lastMessagePreview" = CASE WHEN v."lastMessageAt" IS NULL OR v."lastMessageAt" <= ${ts(sentAt)} THEN ${preview}::text ELSE v."lastMessagePreview" END,
    "unreadCount" = v."unreadCount" + 1,
    "updatedAt" = ${ts(now)}
  FROM new_message m
  WHERE v.id = m."conversationId" AND v.id IN (SELECT id FROM found_conversation)
  RETURNING v.id
),
outbox AS (
  INSERT INTO outbox_event (topic, key, payload)
  SELECT ${MessageReceived.topic}::text, m."conversationId"::text, jsonb_build_object(
    'id', ${eventId}::text,
    'type', ${MessageReceived.type}::text,
    'occurredAt', ${now}::text,
    'data', jsonb_build_object(
      'businessId', ${business}::text, 'instanceId', ${instance}::text, 'conversationId', m."conversationId"::text,
      'contactId', r.id::text, 'messageId', m.id::text, 'providerMessageId', ${input.providerMessageId}::text,
      'kind', ${input.content.kind}::text, 'sentAt', ${sentAt}::text))
  FROM new_message m CROSS JOIN contact_row r
  RETURNING id
)${pendingMediaDownload(input, messageId)}
SELECT
  COALESCE((SELECT id::text FROM new_message), (SELECT id::text FROM existing_message)) AS "messageId",
  COALESCE((SELECT "conversationId"::text FROM new_message), (SELECT "conversationId"::text FROM existing_message)) AS "conversationId",
  COALESCE((SELECT "contactId"::text FROM existing_message), (SELECT id::text FROM contact_row LIMIT 1)) AS "contactId",
  EXISTS (SELECT 1 FROM existing_message) AS duplicate`;
}

function withPendingDownload(content: MessageContent): MessageContent {
  if (!('media' in content) || !content.media) throw new Error(`recordInboundMessage: a media download for a ${content.kind} message without media`);
  return { ...content, media: { ...content.media, download: pendingDownloadState } };
}

/** The download row of a new message (none for a duplicate: it comes from new_message). */
function pendingMediaDownload(input: InboundMessageInput, messageId: string): Prisma.Sql {
  if (!input.mediaDownload) return Prisma.empty;
  const { provider, source } = input.mediaDownload(messageId);
  return Prisma.sql`,
pending_media_download AS (
  INSERT INTO media_download ("messageId", "businessId", "instanceId", provider, source)
  SELECT m.id, ${input.businessId}::uuid, ${input.instanceId}::uuid, ${provider}::"Provider", ${source}::text FROM new_message m
  ON CONFLICT DO NOTHING
  RETURNING "messageId"
)`;
}

function isUniqueViolation(error: unknown): boolean {
  const text = `${(error as { code?: string }).code ?? ''} ${(error as Error).message ?? ''} ${JSON.stringify((error as { meta?: unknown }).meta ?? {})}`;
  return text.includes('23505') || /unique constraint/i.test(text);
}
