import { randomUUID } from 'node:crypto';
import { Prisma, preparedMarker, queryRawFast, type PrismaClient } from '@app/db';
import { describeContent, messagePreview, type MessageContent, type ReplyPart } from '@app/domain';
import type { BufferJob } from './buffer-lease.repository.ts';
import type { ReplyTraceRecord } from './reply-trace.ts';
import type { PromptMessage } from './reply-prompt.ts';

/** Parts one reply may have (its text and files); more is a runaway tool, cut off with a warning. */
export const MAX_REPLY_PARTS = 20;

/**
 * One AI reply per buffer: its first message carries this key (unique), so a redelivered job finds it; the other
 * parts `ai-reply:<bufferId>:<n>`, n from 1, in send order.
 */
export function replyIdempotencyKey(bufferId: string, part = 0): string {
  return part === 0 ? `ai-reply:${bufferId}` : `ai-reply:${bufferId}:${part}`;
}

/** The stored reply's messages in send order; empty when none is stored. */
export async function findReplyIds(prisma: PrismaClient, bufferId: string): Promise<string[]> {
  const keys = Array.from({ length: MAX_REPLY_PARTS }, (_, part) => replyIdempotencyKey(bufferId, part));
  const rows = await prisma.message.findMany({ where: { idempotencyKey: { in: keys } }, select: { id: true, idempotencyKey: true } });
  const order = new Map(keys.map((key, index) => [key, index]));
  return rows.sort((a, b) => order.get(a.idempotencyKey!)! - order.get(b.idempotencyKey!)!).map((row) => row.id);
}

export interface AgentSettings {
  systemPrompt: string;
  model: string;
  historyLimit: number;
}

export interface PromptInputs {
  business: { name: string; timezone: string; botEnabled: boolean };
  /** The instance the conversation is on (what tools are told). */
  provider: 'META' | 'BAILEYS' | 'SANDBOX';
  agent: AgentSettings;
  contactName: string | null;
  history: PromptMessage[];
  burst: PromptMessage[];
}

// The schema's defaults, for a business that never saved its agent settings.
const defaultAgent: AgentSettings = {
  systemPrompt: 'You are a helpful assistant for this business. Answer briefly and kindly.',
  model: 'gpt-4o-mini',
  historyLimit: 20,
};

interface PromptInputsRow {
  name: string;
  timezone: string;
  botEnabled: boolean;
  systemPrompt: string | null;
  model: string | null;
  historyLimit: number | null;
  contactName: string | null;
  provider: PromptInputs['provider'] | null;
  /** Oldest first, `sentAt` as ISO text (UTC). */
  burst: Array<Omit<PromptMessage, 'sentAt'> & { sentAt: string }>;
  history: Array<Omit<PromptMessage, 'sentAt'> & { sentAt: string }>;
}

const promptMessageJson = (alias: string) =>
  Prisma.raw(`json_build_object('id', ${alias}.id::text, 'direction', ${alias}.direction::text, 'author', ${alias}.author::text, 'kind', ${alias}.kind,
    'text', ${alias}.text, 'content', ${alias}.content, 'sentAt', to_char(${alias}."sentAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`);

/**
 * Everything the prompt needs, scoped to the job's business, in ONE statement (each AI job asks): the business,
 * its agent settings, the contact's name, the burst (the buffer's messages) and the history before it (the
 * newest `historyLimit` others up to the burst's last message, without replies that never went out).
 * Null when the business is gone.
 */
export async function loadPromptInputs(
  prisma: PrismaClient,
  job: BufferJob & { contactId: string; instanceId: string },
): Promise<PromptInputs | null> {
  const rows = await queryRawFast<PromptInputsRow>(
    prisma,
    Prisma.sql`${Prisma.raw(preparedMarker)}
    WITH settings AS (
      SELECT b.name, b.timezone, b."botEnabled", a."systemPrompt", a.model, a."historyLimit",
             (SELECT c.name FROM contact c WHERE c.id = ${job.contactId}::uuid AND c."businessId" = b.id) AS "contactName",
             (SELECT i.provider::text FROM instance i WHERE i.id = ${job.instanceId}::uuid AND i."businessId" = b.id) AS provider,
             CASE WHEN a."systemPrompt" IS NOT NULL AND a.model IS NOT NULL AND a."historyLimit" IS NOT NULL
                  THEN a."historyLimit" ELSE ${defaultAgent.historyLimit}::integer END AS "effectiveHistoryLimit"
      FROM business b LEFT JOIN agent_config a ON a."businessId" = b.id
      WHERE b.id = ${job.businessId}::uuid
    ),
    burst AS (
      SELECT m.id, m.direction, m.author, m.kind, m.text, m.content, m."sentAt", m."createdAt" FROM message m
      WHERE m.id = ANY(${job.messageIds}::uuid[]) AND m."businessId" = ${job.businessId}::uuid AND m."conversationId" = ${job.conversationId}::uuid
    ),
    history AS (
      SELECT m.id, m.direction, m.author, m.kind, m.text, m.content, m."sentAt", m."createdAt" FROM message m
      WHERE m."businessId" = ${job.businessId}::uuid AND m."conversationId" = ${job.conversationId}::uuid
        AND m.id <> ALL(${job.messageIds}::uuid[])
        AND m.status NOT IN ('CANCELLED'::"MessageStatus", 'FAILED'::"MessageStatus")
        -- Messages after the burst (the next burst, waiting) are not history yet.
        AND m."sentAt" <= COALESCE((SELECT max("sentAt") FROM burst), 'infinity'::timestamp)
      ORDER BY m."sentAt" DESC, m."createdAt" DESC
      LIMIT COALESCE((SELECT "effectiveHistoryLimit" FROM settings), 0)
    )
    SELECT s.name, s.timezone, s."botEnabled", s."systemPrompt", s.model, s."historyLimit", s."contactName", s.provider,
           (SELECT COALESCE(json_agg(${promptMessageJson('b')} ORDER BY b."sentAt", b."createdAt"), '[]'::json) FROM burst b) AS burst,
           (SELECT COALESCE(json_agg(${promptMessageJson('h')} ORDER BY h."sentAt", h."createdAt"), '[]'::json) FROM history h) AS history
    FROM settings s`,
  );
  const row = rows[0];
  if (!row || !row.provider) return null; // the business or its instance is gone
  const settings: AgentSettings =
    row.systemPrompt !== null && row.model !== null && row.historyLimit !== null
      ? { systemPrompt: row.systemPrompt, model: row.model, historyLimit: row.historyLimit }
      : defaultAgent;
  const toPromptMessage = (message: PromptInputsRow['burst'][number]): PromptMessage => ({ ...message, sentAt: new Date(message.sentAt) });
  return {
    business: { name: row.name, timezone: row.timezone, botEnabled: row.botEnabled },
    provider: row.provider,
    agent: settings,
    contactName: row.contactName ?? null,
    history: row.history.map(toPromptMessage),
    burst: row.burst.map(toPromptMessage),
  };
}

export interface StoreReplyInput {
  job: BufferJob & { instanceId: string };
  /** The reply's messages in send order (at most MAX_REPLY_PARTS). */
  parts: ReplyPart[];
  trace: ReplyTraceRecord;
  now: Date;
}

/** The stored form of a reply part. */
function partContent(part: ReplyPart): { kind: string; text: string | null; content: MessageContent } {
  if (part.kind === 'text') return { kind: 'text', text: part.text, content: { kind: 'text', text: part.text } };
  const content: MessageContent = part.kind === 'audio' ? { kind: 'audio', media: part.media, voice: false } : { kind: part.kind, media: part.media };
  return { kind: part.kind, text: part.media.caption ?? null, content };
}

/**
 * In ONE statement (its own transaction): the reply's messages (AI, OUTBOUND, PENDING; the first keyed by the
 * buffer, the others by buffer and position; a millisecond apart so the inbox shows them in send order), the
 * conversation's preview, the reply's trace and the buffer's lease released. Token usage is recorded per model call
 * by the tool loop. Returns the reply's message ids in order — the existing ones when another worker stored it first.
 */
export async function storeReply(prisma: PrismaClient, input: StoreReplyInput): Promise<string[]> {
  const { job, trace } = input;
  if (input.parts.length === 0 || input.parts.length > MAX_REPLY_PARTS) throw new Error(`storeReply: ${input.parts.length} parts`);
  const now = Prisma.sql`(${input.now.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
  const stored = input.parts.map(partContent);
  const ids = stored.map(() => randomUUID());
  const sentAts = stored.map((_, index) => new Date(input.now.getTime() + index).toISOString());
  const preview = messagePreview(describeContent(stored.at(-1)!.content));
  // One statement (one round trip) instead of BEGIN + writes + COMMIT: this runs for every AI reply. The first part
  // already stored under the buffer's key makes every insert do nothing (they are one statement: all or none),
  // and every other write is conditional on them, so a redelivery changes nothing and gets the existing ids below.
  const rows = await queryRawFast<{ id: string }>(
    prisma,
    Prisma.sql`${Prisma.raw(preparedMarker)}
    WITH parts AS (
      SELECT * FROM unnest(${ids}::uuid[], ${stored.map((_, index) => replyIdempotencyKey(job.bufferId, index))}::text[], ${stored.map((part) => part.kind)}::text[],
                           ${stored.map((part) => part.text)}::text[], ${stored.map((part) => JSON.stringify(part.content))}::text[], ${sentAts}::text[])
             WITH ORDINALITY AS p(id, key, kind, text, content, sent_at, position)
    ),
    reply AS (
      INSERT INTO message ("id", "businessId", "conversationId", "instanceId", "direction", "author", "kind", "text", "content", "idempotencyKey", "status", "sentAt", "createdAt")
      SELECT p.id, ${job.businessId}::uuid, ${job.conversationId}::uuid, ${job.instanceId}::uuid, 'OUTBOUND'::"MessageDirection", 'AI'::"MessageAuthor",
             p.kind, p.text, p.content::jsonb, p.key, 'PENDING'::"MessageStatus", (p.sent_at::timestamptz AT TIME ZONE 'UTC'), ${now}
      FROM parts p ORDER BY p.position
      ON CONFLICT ("idempotencyKey") DO NOTHING
      RETURNING "id"
    ),
    touched_conversation AS (
      UPDATE conversation SET "lastMessageAt" = ${now}, "lastMessagePreview" = ${preview}::text, "updatedAt" = ${now}
      WHERE "id" = ${job.conversationId}::uuid AND "businessId" = ${job.businessId}::uuid AND EXISTS (SELECT 1 FROM reply)
    ),
    trace AS (
      INSERT INTO reply_trace ("bufferId", "businessId", "conversationId", "messageIds", "provider", "model", "prompt", "modelCalls", "toolCalls",
                               "promptTokens", "completionTokens", "totalTokens", "costUsd", "bufferWaitMs", "modelMs", "toolMs", "totalMs", "createdAt")
      SELECT ${job.bufferId}::uuid, ${job.businessId}::uuid, ${job.conversationId}::uuid, ${ids}::uuid[], ${trace.provider}::text, ${trace.model}::text,
             ${JSON.stringify(trace.prompt)}::jsonb, ${JSON.stringify(trace.modelCalls)}::jsonb, ${JSON.stringify(trace.toolCalls)}::jsonb,
             ${trace.promptTokens}::integer, ${trace.completionTokens}::integer, ${trace.totalTokens}::integer, ${trace.costUsd}::double precision,
             ${trace.bufferWaitMs}::integer, ${Math.round(trace.modelMs)}::integer, ${Math.round(trace.toolMs)}::integer, ${trace.totalMs}::integer, ${now}
      WHERE EXISTS (SELECT 1 FROM reply)
      ON CONFLICT DO NOTHING
    ),
    released AS (
      UPDATE message_buffer SET "processingUntil" = NULL, "updatedAt" = ${now} WHERE "id" = ${job.bufferId}::uuid AND EXISTS (SELECT 1 FROM reply)
    )
    SELECT "id"::text AS "id" FROM reply`,
  );
  if (rows.length > 0) return ids; // ours, in send order
  const existing = await findReplyIds(prisma, job.bufferId);
  if (existing.length === 0) throw new Error(`storeReply: no reply stored for buffer ${job.bufferId}`);
  return existing;
}
