import { Prisma, type PrismaClient } from '@app/db';
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

const promptMessageSelect = { id: true, direction: true, author: true, kind: true, text: true, content: true, sentAt: true } as const;

/** Everything the prompt needs, scoped to the job's business. Null when the business or conversation is gone. */
export async function loadPromptInputs(prisma: PrismaClient, job: BufferJob & { contactId: string }): Promise<PromptInputs | null> {
  const [business, agent, contact] = await Promise.all([
    prisma.business.findUnique({ where: { id: job.businessId }, select: { name: true, timezone: true, botEnabled: true } }),
    prisma.agentConfig.findUnique({ where: { businessId: job.businessId }, select: { systemPrompt: true, model: true, historyLimit: true } }),
    prisma.contact.findFirst({ where: { id: job.contactId, businessId: job.businessId }, select: { name: true } }),
  ]);
  if (!business) return null;
  const settings = agent ?? defaultAgent;
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
    contactName: contact?.name ?? null,
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
  try {
    return await prisma.$transaction(async (transaction) => {
      const reply = await transaction.message.create({
        data: {
          businessId: job.businessId,
          conversationId: job.conversationId,
          instanceId: input.job.instanceId,
          direction: 'OUTBOUND',
          author: 'AI',
          kind: 'text',
          text: input.text,
          content: { kind: 'text', text: input.text },
          idempotencyKey: replyIdempotencyKey(job.bufferId),
          status: 'PENDING',
          sentAt: input.now,
        },
        select: { id: true },
      });
      await transaction.tokenUsage.createMany({
        data: [
          {
            businessId: job.businessId,
            provider: 'openai',
            feature: 'reply',
            model: input.model,
            promptTokens: input.usage.promptTokens,
            completionTokens: input.usage.completionTokens,
            totalTokens: input.usage.totalTokens,
            sourceId: job.bufferId,
          },
        ],
        skipDuplicates: true,
      });
      await transaction.messageBuffer.updateMany({ where: { id: job.bufferId }, data: { processingUntil: null } });
      return reply.id;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const existing = await findReplyId(prisma, job.bufferId);
      if (existing) return existing;
    }
    throw error;
  }
}
