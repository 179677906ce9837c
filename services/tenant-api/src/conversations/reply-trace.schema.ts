import { z } from 'zod';

export const replyTraceParamsSchema = z.object({ id: z.uuid(), messageId: z.uuid() });

const promptMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string().nullable(),
  toolCalls: z.array(z.object({ id: z.string(), name: z.string(), arguments: z.string() })).optional(),
  toolCallId: z.string().optional(),
});

/** Why an AI reply said what it said (kept for the configured retention, 30 days by default). */
export const replyTraceSchema = z.object({
  /** Every message of the reply, in send order. */
  messageIds: z.array(z.uuid()),
  provider: z.string(),
  model: z.string(),
  /** The messages of the last model call as sent, secrets redacted. */
  prompt: z.array(promptMessageSchema),
  modelCalls: z.array(
    z.object({
      round: z.number().int(),
      promptTokens: z.number().int(),
      completionTokens: z.number().int(),
      totalTokens: z.number().int(),
      durationMs: z.number().int(),
      costUsd: z.number().nullable(),
    }),
  ),
  toolCalls: z.array(
    z.object({
      round: z.number().int(),
      name: z.string(),
      /** As parsed from the model's JSON; the raw text when it was not JSON. */
      arguments: z.unknown(),
      /** What the model read (capped at 16 KB); null when the call failed. */
      result: z.string().nullable(),
      error: z.string().nullable(),
      durationMs: z.number().int(),
    }),
  ),
  tokens: z.object({ prompt: z.number().int(), completion: z.number().int(), total: z.number().int() }),
  /** Estimated from the configured price table; null for a model without a price. */
  costUsd: z.number().nullable(),
  latency: z.object({
    /** From the burst's first message to the AI job's start (the buffering wait included). */
    bufferWaitMs: z.number().int(),
    modelMs: z.number().int(),
    toolMs: z.number().int(),
    totalMs: z.number().int(),
  }),
  createdAt: z.string(),
});

export type ReplyTraceView = z.infer<typeof replyTraceSchema>;
