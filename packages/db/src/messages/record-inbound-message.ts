import { cleanStrings, describeContent, MessageReceived, messagePreview, pendingDownloadState, type MessageContent } from '@app/domain';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import { createGroupCommit } from '../group-commit.ts';
import { installOnce } from '../install-once.ts';
import type { PendingMediaDownload } from '../media-downloads/media-download.repository.ts';
import { queryRawFast } from '../raw-query.ts';
import { deterministicUuid } from './deterministic-id.ts';
import { preparedMarker } from './prepared-statement.ts';

/** The PrismaClient (its statement function is installed once per client, in a transaction of its own). */
export type SqlClient = Pick<PrismaClient, '$queryRaw' | '$transaction'>;

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

/** The id a message gets from its instance and provider id, so a replay computes the same one. */
export function inboundMessageId(instanceId: string, providerMessageId: string): string {
  return deterministicUuid(`message:${instanceId}:${providerMessageId}`);
}

/**
 * Stores one customer message exactly once, in ONE statement (one transaction, one round trip): find-or-create the
 * contact by any of its identifiers (filling in identifiers learnt later), find-or-create the conversation, insert
 * the message (`(instanceId, providerMessageId)` unique: a duplicate changes nothing), bump the conversation's
 * window, preview and unread count, and write `message.received` to the outbox.
 */
export async function recordInboundMessage(client: SqlClient, input: InboundMessageInput): Promise<RecordInboundResult> {
  const [result] = await recordInboundBatch(client, [inboundRow(input)]);
  return result!;
}

/**
 * Several messages of one webhook, in order, in ONE statement: all of them are stored or none (a redelivery
 * stores the rest), and they reach their conversation in this order.
 */
export async function recordInboundMessages(client: SqlClient, inputs: InboundMessageInput[]): Promise<RecordInboundResult[]> {
  if (inputs.length === 0) return [];
  return recordInboundBatch(client, inputs.map(inboundRow));
}

export interface InboundMessageWriter {
  /** Stores the message (see recordInboundMessage); resolves once it is durable. */
  record(input: InboundMessageInput): Promise<RecordInboundResult>;
  /** Stores the messages of one webhook together, in order (see recordInboundMessages): all of them or none. */
  recordAll(inputs: InboundMessageInput[]): Promise<RecordInboundResult[]>;
}

export interface InboundMessageWriterOptions {
  /** Most messages one statement stores (default 200; one webhook's messages are never split). */
  maxBatch?: number;
  /** Statements in flight at once (default 2); messages arriving meanwhile wait and go in the next one. */
  maxConcurrentBatches?: number;
}

/**
 * Group commit for the webhook path (see createGroupCommit): messages that arrive while earlier statements run are
 * stored together by the next statement, and each webhook is answered once its own rows are committed. One bad
 * message fails only its own webhook.
 */
export function createInboundMessageWriter(client: SqlClient, options: InboundMessageWriterOptions = {}): InboundMessageWriter {
  const group = createGroupCommit((rows: InboundRow[]) => recordInboundBatch(client, rows), {
    maxBatch: options.maxBatch ?? 200,
    maxConcurrentBatches: options.maxConcurrentBatches ?? 2,
  });
  return {
    record: async (input) => (await group.submit([inboundRow(input)]))[0]!,
    recordAll: (inputs) => group.submit(inputs.map(inboundRow)),
  };
}

/** One message as the statement takes it: everything computed here, only the ids the database decides left out. */
interface InboundRow {
  businessId: string;
  instanceId: string;
  providerMessageId: string;
  messageId: string;
  phone: string | null;
  waUserId: string | null;
  lid: string | null;
  name: string | null;
  sentAt: string;
  now: string;
  kind: string;
  text: string;
  preview: string;
  content: unknown;
  topic: string;
  /** message.received, built from its schema; the statement fills in data.conversationId and data.contactId. */
  event: unknown;
  mediaDownload: { provider: string; source: string } | null;
}

function inboundRow(input: InboundMessageInput): InboundRow {
  const sender = normalizeSender(input.sender);
  const now = input.now ?? new Date();
  const messageId = inboundMessageId(input.instanceId, input.providerMessageId);
  const description = describeContent(input.content);
  const stored = input.mediaDownload ? withPendingDownload(input.content) : input.content;
  const event = MessageReceived.create(
    {
      businessId: input.businessId,
      instanceId: input.instanceId,
      conversationId: '',
      contactId: '',
      messageId,
      providerMessageId: input.providerMessageId,
      kind: input.content.kind,
      sentAt: input.sentAt.toISOString(),
    },
    { id: deterministicUuid(`message.received:${messageId}`), occurredAt: now },
  );
  const download = input.mediaDownload?.(messageId);
  // What the customer's phone sent may hold NUL or broken surrogates, which jsonb refuses: one such message
  // would fail the whole group-committed statement (and other customers' messages with it).
  return cleanStrings({
    businessId: input.businessId,
    instanceId: input.instanceId,
    providerMessageId: input.providerMessageId,
    messageId,
    ...sender,
    sentAt: input.sentAt.toISOString(),
    now: now.toISOString(),
    kind: input.content.kind,
    text: description,
    preview: messagePreview(description),
    content: input.extra ? { ...stored, ...input.extra } : stored,
    topic: MessageReceived.topic,
    event,
    mediaDownload: download ? { provider: download.provider, source: download.source } : null,
  });
}

interface ResultRow {
  messageId: string;
  conversationId: string;
  contactId: string;
  duplicate: boolean;
}

const maxAttempts = 4;

async function recordInboundBatch(client: SqlClient, rows: InboundRow[]): Promise<RecordInboundResult[]> {
  await installInboundFunction(client);
  for (let attempt = 1; ; attempt++) {
    try {
      const results = await queryRawFast<ResultRow>(
        client,
        Prisma.sql`${Prisma.raw(preparedMarker)} SELECT * FROM record_inbound_messages(${JSON.stringify(rows)}::jsonb)`,
      );
      return results.map(({ messageId, conversationId, contactId, duplicate }) => ({ messageId, conversationId, contactId, duplicate }));
    } catch (error) {
      // 23505: a concurrent writer filled in the same identifier first; 40P01: two batches crossed (rare, since
      // every batch locks conversations in one order). The next run sees the other's rows.
      if (!isRetryable(error) || attempt >= maxAttempts) throw error;
    }
  }
}

function normalizeSender(sender: InboundSender) {
  const clean = (value: string | null | undefined) => (value && value.trim() !== '' ? value.trim() : null);
  const normalized = {
    phone: clean(sender.phone?.replace(/^\+/, '')),
    waUserId: clean(sender.waUserId),
    lid: clean(sender.lid),
    name: clean(sender.name),
  };
  if (!normalized.phone && !normalized.waUserId && !normalized.lid) {
    throw new Error('recordInboundMessage: the sender has no phone, user id or lid');
  }
  return normalized;
}

function withPendingDownload(content: MessageContent): MessageContent {
  if (!('media' in content) || !content.media) throw new Error(`recordInboundMessage: a media download for a ${content.kind} message without media`);
  return { ...content, media: { ...content.media, download: pendingDownloadState } };
}

function isRetryable(error: unknown): boolean {
  const text = `${(error as { code?: string }).code ?? ''} ${(error as Error).message ?? ''} ${JSON.stringify((error as { meta?: unknown }).meta ?? {})}`;
  return text.includes('23505') || /unique constraint/i.test(text) || text.includes('40P01') || /deadlock detected/i.test(text);
}

// The statement is a PL/pgSQL function so that its order is explicit: first every row's contact and conversation
// are found or created (in arrival order), then, in conversation order, each message is inserted and its
// conversation locked and bumped BEFORE its outbox event takes an id. So the events of one conversation are numbered
// in the order their messages commit, and concurrent batches lock conversations in one order (no deadlock).
// Timestamps travel as ISO strings and are stored as UTC, whatever the session time zone.
const inboundFunction = `CREATE OR REPLACE FUNCTION record_inbound_messages(batch jsonb)
RETURNS TABLE ("messageId" text, "conversationId" text, "contactId" text, duplicate boolean) LANGUAGE plpgsql AS $$
#variable_conflict use_variable
DECLARE
  n integer := jsonb_array_length(batch);
  contacts uuid[] := array_fill(NULL::uuid, ARRAY[n]);
  conversations uuid[] := array_fill(NULL::uuid, ARRAY[n]);
  messages uuid[] := array_fill(NULL::uuid, ARRAY[n]);
  duplicates boolean[] := array_fill(false, ARRAY[n]);
  item jsonb;
  i integer;
  attempt integer;
  hit record;
  contact_id uuid;
  conversation_id uuid;
  message_id uuid;
  business_id uuid;
  instance_id uuid;
  v_phone text;
  v_wa text;
  v_lid text;
  v_name text;
  at_now timestamp;
  sent_at timestamp;
BEGIN
  FOR i IN 1..n LOOP
    item := batch->(i - 1);
    business_id := (item->>'businessId')::uuid;
    instance_id := (item->>'instanceId')::uuid;
    v_phone := item->>'phone'; v_wa := item->>'waUserId'; v_lid := item->>'lid'; v_name := item->>'name';
    at_now := (item->>'now')::timestamptz AT TIME ZONE 'UTC';

    SELECT m.id, m."conversationId", c."contactId" INTO hit
    FROM message m JOIN conversation c ON c.id = m."conversationId"
    WHERE m."instanceId" = instance_id AND m."providerMessageId" = item->>'providerMessageId';
    IF FOUND THEN
      duplicates[i] := true; messages[i] := hit.id; conversations[i] := hit."conversationId"; contacts[i] := hit."contactId";
      CONTINUE;
    END IF;

    contact_id := NULL;
    FOR attempt IN 1..4 LOOP
      SELECT c.id, c.phone, c."waUserId", c.lid, c.name INTO hit FROM contact c
      WHERE c."businessId" = business_id AND (c."waUserId" = v_wa OR c.lid = v_lid OR c.phone = v_phone)
      ORDER BY (c."waUserId" = v_wa) IS TRUE DESC, (c.lid = v_lid) IS TRUE DESC
      LIMIT 1;
      IF FOUND THEN
        contact_id := hit.id;
        IF (hit.phone IS NULL AND v_phone IS NOT NULL) OR (hit."waUserId" IS NULL AND v_wa IS NOT NULL)
           OR (hit.lid IS NULL AND v_lid IS NOT NULL) OR (v_name IS NOT NULL AND hit.name IS DISTINCT FROM v_name) THEN
          -- An identifier learnt later (the phone of a BSUID-only contact, say) is added unless another contact holds it.
          UPDATE contact c SET
            phone = CASE WHEN c.phone IS NULL AND NOT EXISTS (SELECT 1 FROM contact o WHERE o."businessId" = c."businessId" AND o.phone = v_phone)
                         THEN v_phone ELSE c.phone END,
            "waUserId" = CASE WHEN c."waUserId" IS NULL AND NOT EXISTS (SELECT 1 FROM contact o WHERE o."businessId" = c."businessId" AND o."waUserId" = v_wa)
                         THEN v_wa ELSE c."waUserId" END,
            lid = CASE WHEN c.lid IS NULL AND NOT EXISTS (SELECT 1 FROM contact o WHERE o."businessId" = c."businessId" AND o.lid = v_lid)
                         THEN v_lid ELSE c.lid END,
            name = COALESCE(v_name, c.name),
            "updatedAt" = at_now
          WHERE c.id = contact_id;
        END IF;
        EXIT;
      END IF;
      -- A concurrent creation of the same contact makes this insert do nothing; the next look finds its row.
      INSERT INTO contact (id, "businessId", phone, "waUserId", lid, name, "updatedAt")
      VALUES (gen_random_uuid(), business_id, v_phone, v_wa, v_lid, v_name, at_now)
      ON CONFLICT DO NOTHING
      RETURNING id INTO contact_id;
      EXIT WHEN contact_id IS NOT NULL;
    END LOOP;
    IF contact_id IS NULL THEN RAISE EXCEPTION 'record_inbound_messages: no contact for %', item->>'providerMessageId'; END IF;

    conversation_id := NULL;
    FOR attempt IN 1..4 LOOP
      SELECT v.id INTO conversation_id FROM conversation v WHERE v."instanceId" = instance_id AND v."contactId" = contact_id;
      EXIT WHEN conversation_id IS NOT NULL;
      INSERT INTO conversation (id, "businessId", "instanceId", "contactId", "unreadCount", "updatedAt")
      VALUES (gen_random_uuid(), business_id, instance_id, contact_id, 0, at_now)
      ON CONFLICT DO NOTHING
      RETURNING id INTO conversation_id;
      EXIT WHEN conversation_id IS NOT NULL;
    END LOOP;
    IF conversation_id IS NULL THEN RAISE EXCEPTION 'record_inbound_messages: no conversation for %', item->>'providerMessageId'; END IF;
    contacts[i] := contact_id;
    conversations[i] := conversation_id;
  END LOOP;

  FOR i IN SELECT o FROM generate_series(1, n) AS o WHERE NOT duplicates[o] ORDER BY conversations[o]::text COLLATE "C", o LOOP
    item := batch->(i - 1);
    instance_id := (item->>'instanceId')::uuid;
    at_now := (item->>'now')::timestamptz AT TIME ZONE 'UTC';
    sent_at := (item->>'sentAt')::timestamptz AT TIME ZONE 'UTC';
    INSERT INTO message (id, "businessId", "conversationId", "instanceId", direction, author, kind, text, content, "providerMessageId", status, "sentAt")
    VALUES ((item->>'messageId')::uuid, (item->>'businessId')::uuid, conversations[i], instance_id, 'INBOUND', 'CUSTOMER',
            item->>'kind', item->>'text', item->'content', item->>'providerMessageId', 'RECEIVED', sent_at)
    ON CONFLICT ("instanceId", "providerMessageId") DO NOTHING
    RETURNING id INTO message_id;
    IF message_id IS NULL THEN
      -- The same message twice in one batch, or stored by a concurrent writer since the first look.
      SELECT m.id, m."conversationId", c."contactId" INTO hit
      FROM message m JOIN conversation c ON c.id = m."conversationId"
      WHERE m."instanceId" = instance_id AND m."providerMessageId" = item->>'providerMessageId';
      duplicates[i] := true; messages[i] := hit.id; conversations[i] := hit."conversationId"; contacts[i] := hit."contactId";
      CONTINUE;
    END IF;
    messages[i] := message_id;
    UPDATE conversation v SET
      "lastInboundAt" = GREATEST(v."lastInboundAt", sent_at),
      "lastMessageAt" = GREATEST(v."lastMessageAt", sent_at),
      "lastMessagePreview" = CASE WHEN v."lastMessageAt" IS NULL OR v."lastMessageAt" <= sent_at THEN item->>'preview' ELSE v."lastMessagePreview" END,
      "unreadCount" = v."unreadCount" + 1,
      "updatedAt" = at_now
    WHERE v.id = conversations[i];
    INSERT INTO outbox_event (topic, key, payload)
    VALUES (item->>'topic', conversations[i]::text,
            jsonb_set(jsonb_set(item->'event', '{data,conversationId}', to_jsonb(conversations[i]::text)), '{data,contactId}', to_jsonb(contacts[i]::text)));
    IF jsonb_typeof(item->'mediaDownload') = 'object' THEN
      INSERT INTO media_download ("messageId", "businessId", "instanceId", provider, source)
      VALUES (messages[i], (item->>'businessId')::uuid, instance_id, (item->'mediaDownload'->>'provider')::"Provider", item->'mediaDownload'->>'source')
      ON CONFLICT DO NOTHING;
    END IF;
  END LOOP;

  RETURN QUERY SELECT messages[o]::text, conversations[o]::text, contacts[o]::text, duplicates[o] FROM generate_series(1, n) AS o ORDER BY o;
END
$$`;

const installLockId = 874_201_333;

function installInboundFunction(client: SqlClient): Promise<void> {
  return installOnce(client, installLockId, inboundFunction);
}
