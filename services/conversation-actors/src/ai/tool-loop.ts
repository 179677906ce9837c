import type { PrismaClient } from '@app/db';
import type { AgentTool, ReplyPart, ToolCallContext } from '@app/domain';
import type { Clock } from '@app/runtime/ports';
import type { Logger } from '@app/runtime/service';
import type { ChatMessage, ChatModel, ChatUsage, ToolDefinition } from './model/chat-model.ts';
import { finishToolCall, loadRecordedLoop, recordRound, startToolCall, toolCallKey, type RecordedRound } from './tools/tool-loop.repository.ts';
import type { ToolCallOutcome, ToolRunner } from './tools/tool-runner.ts';

export interface ToolLoopDependencies {
  prisma: PrismaClient;
  model: ChatModel;
  runner: ToolRunner;
  clock: Clock;
  logger: Logger;
  /** Aborted when the worker stops: a running tool call is cut short and the attempt fails (it is retried). */
  stopping?: AbortSignal;
}

export interface ToolLoopInput {
  /** Who is answered: every tool call gets it, with `<bufferId>:<round>:<callIndex>` as its idempotency key. */
  call: Omit<ToolCallContext, 'idempotencyKey' | 'signal'>;
  bufferId: string;
  attempt: number;
  model: string;
  /** The prompt (system, history, burst). */
  messages: ChatMessage[];
  tools: ReadonlyMap<string, AgentTool>;
  /** Model calls that may ask for tools; one more call without tools follows when the last of them still asks. */
  maxRounds: number;
}

export interface ModelCallTrace {
  round: number;
  usage: ChatUsage;
  durationMs: number;
  /** Taken from an earlier attempt's record instead of asking the model again. */
  replayed: boolean;
}

export interface ToolCallTrace {
  round: number;
  callIndex: number;
  name: string;
  /** As the model wrote them (JSON text, possibly malformed). */
  arguments: string;
  outcome: ToolCallOutcome;
  durationMs: number;
  replayed: boolean;
}

export interface ToolLoopResult {
  /** The model's final text (trimmed; may be empty when a tool's files are the whole answer). */
  text: string;
  /** What tools asked to send, in call order. */
  sendParts: ReplyPart[];
  /** The messages of the last model call, as sent. */
  prompt: ChatMessage[];
  modelCalls: ModelCallTrace[];
  toolCalls: ToolCallTrace[];
}

/**
 * The function-calling loop of one reply. Each model call is recorded (with its tokens) before any tool it asks for
 * runs, and each tool call before and after it runs; a retried or crash-recovered buffer replays what is recorded —
 * the same rounds, the same calls, the recorded results — and only continues from where the last attempt stopped,
 * so no tool with side effects runs twice for one reply (docs/adr/0017-tool-loop-exactly-once.md). A model error
 * is thrown (the worker reports it to the actor); a tool's failure goes back to the model.
 */
export async function runToolLoop(dependencies: ToolLoopDependencies, input: ToolLoopInput): Promise<ToolLoopResult> {
  const { prisma, model, runner, clock } = dependencies;
  const recorded = await loadRecordedLoop(prisma, input.bufferId);
  const definitions: ToolDefinition[] = [...input.tools.values()].map(({ name, description, parameters }) => ({ name, description, parameters }));
  const messages = [...input.messages];
  const result: ToolLoopResult = { text: '', sendParts: [], prompt: messages, modelCalls: [], toolCalls: [] };

  for (let round = 0; ; round += 1) {
    // After maxRounds rounds of tool calls, one last call without tools: the agent answers with what it has.
    const offerTools = definitions.length > 0 && round < input.maxRounds;
    let response: RecordedRound | undefined = recorded.rounds.get(round);
    const replayed = response !== undefined;
    if (!response) {
      const started = performance.now();
      const answer = await model.chat({ model: input.model, messages: [...messages], ...(offerTools ? { tools: definitions } : {}) });
      const text = answer.text?.trim() ?? '';
      const toolCalls = offerTools ? answer.toolCalls : [];
      response = await recordRound(prisma, {
        bufferId: input.bufferId,
        businessId: input.call.businessId,
        attempt: input.attempt,
        round,
        provider: model.provider,
        model: input.model,
        text: answer.text,
        toolCalls,
        usage: answer.usage,
        durationMs: performance.now() - started,
        now: clock.now(),
        replayable: toolCalls.length > 0 || text.length > 0,
      });
    }
    result.modelCalls.push({ round, usage: response.usage, durationMs: response.durationMs, replayed });
    result.prompt = [...messages];
    // A replayed round's calls are answered even if the tools changed since: the model already asked for them.
    if (response.toolCalls.length === 0 || (!offerTools && !replayed)) {
      result.text = response.text?.trim() ?? '';
      return result;
    }

    messages.push({ role: 'assistant', content: response.text, toolCalls: response.toolCalls });
    for (const [callIndex, call] of response.toolCalls.entries()) {
      const idempotencyKey = toolCallKey(input.bufferId, round, callIndex);
      const previous = recorded.toolCalls.get(idempotencyKey);
      let outcome: ToolCallOutcome;
      let durationMs: number;
      if (previous?.outcome) {
        outcome = previous.outcome;
        durationMs = previous.durationMs ?? 0;
      } else {
        const tool = input.tools.get(call.name);
        const key = { idempotencyKey, bufferId: input.bufferId, businessId: input.call.businessId, round, callIndex, name: call.name };
        const startedAt = clock.now();
        if (tool?.sideEffects) await startToolCall(prisma, key, startedAt);
        if (previous)
          dependencies.logger.warn(
            { event: 'ai_tools.resumed_call', tool: call.name, idempotencyKey },
            'running an unfinished tool call again with its key',
          );
        const started = performance.now();
        outcome = await runner.run(tool, call, { ...input.call, idempotencyKey }, dependencies.stopping);
        durationMs = performance.now() - started;
        await finishToolCall(prisma, key, { outcome, durationMs, startedAt, now: clock.now() });
        if (!outcome.ok)
          dependencies.logger.info({ event: 'ai_tools.call_failed', tool: call.name, error: outcome.error }, 'tool call failed; the model is told');
      }
      result.toolCalls.push({
        round,
        callIndex,
        name: call.name,
        arguments: call.arguments,
        outcome,
        durationMs,
        replayed: previous?.outcome !== undefined && previous.outcome !== null,
      });
      if (outcome.send) result.sendParts.push(...outcome.send);
      messages.push({ role: 'tool', toolCallId: call.id, content: outcome.content });
    }
  }
}
