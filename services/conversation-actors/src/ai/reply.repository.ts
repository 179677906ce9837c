import { randomUUID } from 'node:crypto';
import { Prisma, preparedMarker, type PrismaClient } from '@app/db';
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

interface SettingsRow {
  name: string;
  timezone: string;
  botEnabled: boolean;
  systemPrompt: string | null;
  model: string | null;
  historyLimit: number | null;
  contactName: string | null;
}

const promptMessageSelect = { id: true, direction: true, author: true, kind: true, text: true, content: true, sentAt: true } as const;

/** Everything the prompt needs, scoped to the job's business. Null when the business or conversation is gone. */
export async function loadPromptInputs(prisma: PrismaClient, job: BufferJob & { contactId: string }): Promise<PromptInputs | null> {
  // One round trip for the business, its agent settings and the contact's name (each AI job asks).
  const rows = await prisma.$queryRaw<SettingsRow[]>`${Prisma.raw(preparedMarker)}
    SELECT b.name, b.timezone, b."botEnabled", a."systemPrompt", a.model, a."historyLimit",
           (SELECT c.name FROM contact c WHERE c.id = ${job.contactId}::uuid AND c."businessId" = b.id) AS "contactName"
    FROM business b LEFT JOIN agent_config a ON a."businessId" = b.id
    WHERE b.id = ${job.businessId}::uuid`;
  const row = rows[0];
  if (!row) return null;
  const business = { name: row.name, timezone: row.timezone, botEnabled: row.botEnabled };
  const contact = { name: row.contactName };
  const settings: AgentSettings =
    row.systemPrompt !== null && row.model !== null && row.historyLimit !== null
      ? { systemPrompt: row.systemPrompt, model: row.model, historyLimit: row.historyLimit }
      : defaultAgent;
  const burst = await prisma.message.findMany({
    where: { id: { in: job.messageIds }, businessId: job.businessId, conversationId: job.conversationId },
    orderBy: [{ sentAt: 'asc' }, { createdAt: 'asc' }],
    select: promptMessageSelect,
  });
  const burstEnd = burst.at(-1)?.sentAt;
  const history =
    settings.historyLimit > 0
      ? await prisma.message.findMany({
          where: {
            businessId: job.businessId,
            conversationId: job.conversationId,
            id: { notIn: job.messageIds },
            // Replies that never went out (cancelled, failed) are not part of what the customer saw.
            status: { notIn: ['CANCELLED', 'FAILED'] },
            // Messages after the burst (the next burst, waiting) are not history yet.
            ...(burstEnd ? { sentAt: { lte: burstEnd } } : {}),
          },
          orderBy: [{ sentAt: 'desc' }, { createdAt: 'desc' }],
          take: settings.historyLimit,
          select: promptMessageSelect,
        })
      : [];
  return {
    business,
    agent: settings,
    contactName: contact.name ?? null,
    history: history.reverse(),
    burst,
  };
}

export interface StoreReplyInput {
  job: BufferJob & { instanceId: string };
  text: string;
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
  const rows = await prisma.$queryRaw<{ id: string }[]>`${Prisma.raw(preparedMarker)}
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
      SELECT ${randomUUID()}::uuid, ${job.businessId}::uuid, 'openai', 'reply', ${input.model}::text, ${input.usage.promptTokens}::integer,
             ${input.usage.completionTokens}::integer, ${input.usage.totalTokens}::integer, ${job.bufferId}::text, ${now}
      WHERE EXISTS (SELECT 1 FROM reply)
      ON CONFLICT DO NOTHING
    ),
    released AS (
      UPDATE message_buffer SET "processingUntil" = NULL, "updatedAt" = ${now} WHERE "id" = ${job.bufferId}::uuid AND EXISTS (SELECT 1 FROM reply)
    )
    SELECT "id"::text AS "id" FROM reply`;
  const stored = rows[0]?.id ?? (await findReplyId(prisma, job.bufferId));
  if (!stored) throw new Error(`storeReply: no reply stored for buffer ${job.bufferId}`);
  return stored;
}
