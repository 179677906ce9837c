import { capText, estimateCostUsd, redactSecrets, sumCosts, type ModelPrice } from '@app/domain';
import type { ToolLoopResult } from './tool-loop.ts';

/** A reply's trace as stored (reply_trace), written with the reply. */
export interface ReplyTraceRecord {
  provider: string;
  model: string;
  prompt: unknown;
  modelCalls: Array<{
    round: number;
    promptTokens: number;
    completionTokens: number;
    totalTokens: number;
    durationMs: number;
    costUsd: number | null;
  }>;
  toolCalls: Array<{ round: number; name: string; arguments: unknown; result: string | null; error: string | null; durationMs: number }>;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costUsd: number | null;
  bufferWaitMs: number;
  modelMs: number;
  toolMs: number;
  totalMs: number;
}

export interface ReplyTraceInput {
  provider: string;
  model: string;
  loop: ToolLoopResult;
  prices: Readonly<Record<string, ModelPrice>>;
  /** Values never stored: the tools' secrets (HTTP-tool headers …). */
  secrets: readonly string[];
  /** The burst's first message, the job's start and now: the latency split. */
  firstMessageAt: Date;
  jobStartedAt: Date;
  now: Date;
}

/** What an operator sees under "why this reply": every call, its tokens, cost and time, secrets redacted. */
export function buildReplyTrace(input: ReplyTraceInput): ReplyTraceRecord {
  const { loop } = input;
  const modelCalls = loop.modelCalls.map((call) => ({
    round: call.round,
    ...call.usage,
    durationMs: Math.round(call.durationMs),
    costUsd: estimateCostUsd(input.prices, input.model, call.usage),
  }));
  const toolCalls = loop.toolCalls.map((call) => ({
    round: call.round,
    name: call.name,
    arguments: parseArguments(call.arguments),
    result: call.outcome.ok ? capText(call.outcome.content) : null,
    error: call.outcome.ok ? null : (call.outcome.error ?? 'failed'),
    durationMs: Math.round(call.durationMs),
  }));
  const modelMs = modelCalls.reduce((sum, call) => sum + call.durationMs, 0);
  const toolMs = toolCalls.reduce((sum, call) => sum + call.durationMs, 0);
  return redactSecrets(
    {
      provider: input.provider,
      model: input.model,
      prompt: loop.prompt,
      modelCalls,
      toolCalls,
      promptTokens: modelCalls.reduce((sum, call) => sum + call.promptTokens, 0),
      completionTokens: modelCalls.reduce((sum, call) => sum + call.completionTokens, 0),
      totalTokens: modelCalls.reduce((sum, call) => sum + call.totalTokens, 0),
      costUsd: sumCosts(modelCalls.map((call) => call.costUsd)),
      bufferWaitMs: Math.max(0, input.jobStartedAt.getTime() - input.firstMessageAt.getTime()),
      modelMs,
      toolMs,
      totalMs: Math.max(0, input.now.getTime() - input.firstMessageAt.getTime()),
    },
    input.secrets,
  );
}

/** The arguments as JSON when they parse (readable in the console), else the text the model wrote. */
function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
