import { randomUUID } from 'node:crypto';
import { Prisma, preparedMarker, queryRawFast, type PrismaClient } from '@app/db';
import { messagePreview } from '@app/domain';
import type { BufferJob } from './buffer-lease.repository.ts';
import type { PromptMessage } from './reply-prompt.ts';

/** One AI reply per buffer: the reply message carries this key (unique), so a redelivered job finds it. */
export function replyIdempotencyKey(bufferId: string): string {
  return `ai-reply:${bufferId}`;
}

export async function findReplyId(prisma: PrismaClient, bufferId: string): Promise<string | null> {
  const reply = await prisma.message.findUnique({ where: { idempotencyKey: replyIdempotencyKey(bufferId) }, select: { id: true } });
  return reply?.id ?? null;
}

export interface AgentSettings {
  systemPrompt: string;
  model: string;
  historyLimit: number;
}

export interface PromptInputs {
  business: { name: string; timezone: string; botEnabled: boolean };
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
export async function loadPromptInputs(prisma: PrismaClient, job: BufferJob & { contactId: string }): Promise<PromptInputs | null> {
  const rows = await queryRawFast<PromptInputsRow>(
    prisma,
    Prisma.sql`${Prisma.raw(preparedMarker)}
    WITH settings AS (
      SELECT b.name, b.timezone, b."botEnabled", a."systemPrompt", a.model, a."historyLimit",
             (SELECT c.name FROM contact c WHERE c.id = ${job.contactId}::uuid AND c."businessId" = b.id) AS "contactName",
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
    SELECT s.name, s.timezone, s."botEnabled", s."systemPrompt", s.model, s."historyLimit", s."contactName",
           (SELECT COALESCE(json_agg(${promptMessageJson('b')} ORDER BY b."sentAt", b."createdAt"), '[]'::json) FROM burst b) AS burst,
           (SELECT COALESCE(json_agg(${promptMessageJson('h')} ORDER BY h."sentAt", h."createdAt"), '[]'::json) FROM history h) AS history
    FROM settings s`,
  );
  const row = rows[0];
  if (!row) return null;
  const settings: AgentSettings =
    row.systemPrompt !== null && row.model !== null && row.historyLimit !== null
      ? { systemPrompt: row.systemPrompt, model: row.model, historyLimit: row.historyLimit }
      : defaultAgent;
  const toPromptMessage = (message: PromptInputsRow['burst'][number]): PromptMessage => ({ ...message, sentAt: new Date(message.sentAt) });
  return {
    business: { name: row.name, timezone: row.timezone, botEnabled: row.botEnabled },
    agent: settings,
    contactName: row.contactName ?? null,
    history: row.history.map(toPromptMessage),
    burst: row.burst.map(toPromptMessage),
  };
}

export interface StoreReplyInput {
  job: BufferJob & { instanceId: string };
  text: string;
  /** Who answered (`openai` …), recorded with the token usage. */
  provider: string;
  model: string;
  usage: { promptTokens: number; completionTokens: number; totalTokens: number };
  now: Date;
}

/**
 * In ONE transaction: the reply message (AI, OUTBOUND, PENDING, keyed by the buffer), its token usage (unique per
 * buffer, so a redelivery counts once) and the buffer's lease released. Returns the reply id — the existing one
 * when another worker stored it first.
 */
export async function storeReply(prisma: PrismaClient, input: StoreReplyInput): Promise<string> {
  const { job } = input;
  const now = Prisma.sql`(${input.now.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
  // One statement (one round trip, its own transaction) instead of BEGIN + four writes + COMMIT: this runs for every
  // AI reply. A reply already stored under the buffer's key makes the message insert do nothing, and every other
  // write is conditional on that insert, so a redelivery changes nothing and gets the existing id below.
  const rows = await queryRawFast<{ id: string }>(
    prisma,
    Prisma.sql`${Prisma.raw(preparedMarker)}
    WITH reply AS (
      INSERT INTO message ("id", "businessId", "conversationId", "instanceId", "direction", "author", "kind", "text", "content", "idempotencyKey", "status", "sentAt", "createdAt")
      VALUES (${randomUUID()}::uuid, ${job.businessId}::uuid, ${job.conversationId}::uuid, ${job.instanceId}::uuid, 'OUTBOUND'::"MessageDirection", 'AI'::"MessageAuthor",
              'text', ${input.text}::text, ${JSON.stringify({ kind: 'text', text: input.text })}::jsonb, ${replyIdempotencyKey(job.bufferId)}::text,
              'PENDING'::"MessageStatus", ${now}, ${now})
      ON CONFLICT ("idempotencyKey") DO NOTHING
      RETURNING "id"
    ),
    touched_conversation AS (
      UPDATE conversation SET "lastMessageAt" = ${now}, "lastMessagePreview" = ${messagePreview(input.text)}::text, "updatedAt" = ${now}
      WHERE "id" = ${job.conversationId}::uuid AND "businessId" = ${job.businessId}::uuid AND EXISTS (SELECT 1 FROM reply)
    ),
    usage AS (
      INSERT INTO token_usage ("id", "businessId", "provider", "feature", "model", "promptTokens", "completionTokens", "totalTokens", "sourceId", "createdAt")
      SELECT ${randomUUID()}::uuid, ${job.businessId}::uuid, ${input.provider}::text, 'reply', ${input.model}::text, ${input.usage.promptTokens}::integer,
             ${input.usage.completionTokens}::integer, ${input.usage.totalTokens}::integer, ${job.bufferId}::text, ${now}
      WHERE EXISTS (SELECT 1 FROM reply)
      ON CONFLICT DO NOTHING
    ),
    released AS (
      UPDATE message_buffer SET "processingUntil" = NULL, "updatedAt" = ${now} WHERE "id" = ${job.bufferId}::uuid AND EXISTS (SELECT 1 FROM reply)
    )
    SELECT "id"::text AS "id" FROM reply`,
  );
  const stored = rows[0]?.id ?? (await findReplyId(prisma, job.bufferId));
  if (!stored) throw new Error(`storeReply: no reply stored for buffer ${job.bufferId}`);
  return stored;
}
