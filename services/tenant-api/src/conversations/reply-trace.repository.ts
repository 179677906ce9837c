import type { PrismaClient } from '@app/db';
import type { TenantContext } from '../http/tenant-context.ts';
import type { ReplyTraceView } from './reply-trace.schema.ts';

/** The trace of the AI reply a message belongs to, within the tenant and conversation; null when there is none. */
export async function findReplyTrace(
  prisma: PrismaClient,
  tenant: TenantContext,
  conversationId: string,
  messageId: string,
): Promise<ReplyTraceView | null> {
  const trace = await prisma.replyTrace.findFirst({ where: { businessId: tenant.businessId, conversationId, messageIds: { has: messageId } } });
  if (!trace) return null;
  return {
    messageIds: trace.messageIds,
    provider: trace.provider,
    model: trace.model,
    prompt: trace.prompt as ReplyTraceView['prompt'],
    modelCalls: trace.modelCalls as ReplyTraceView['modelCalls'],
    toolCalls: trace.toolCalls as ReplyTraceView['toolCalls'],
    tokens: { prompt: trace.promptTokens, completion: trace.completionTokens, total: trace.totalTokens },
    costUsd: trace.costUsd,
    latency: { bufferWaitMs: trace.bufferWaitMs, modelMs: trace.modelMs, toolMs: trace.toolMs, totalMs: trace.totalMs },
    createdAt: trace.createdAt.toISOString(),
  };
}
