import type { AgentTool, ReplyPart, ToolCallContext } from '@app/domain';
import type { Clock } from '@app/runtime/ports';
import type { Logger } from '@app/runtime/service';
import type { ChatMessage, ChatModel, ChatUsage, ToolDefinition } from './model/chat-model.ts';
import { toolCallKey, type RecordedLoop, type RecordedRound, type RecordRoundInput, type ToolCallRecordKey } from './tools/tool-loop.repository.ts';
import type { ToolCallOutcome, ToolRunner } from './tools/tool-runner.ts';

/**
 * Where the loop records its model calls and tool calls, and reads back what earlier attempts recorded: the
 * database for a reply (tool-loop.repository.ts), nothing for a test run that sends and keeps nothing.
 */
export interface ToolLoopJournal {
  load(bufferId: string): Promise<RecordedLoop>;
  /** The round as it stands: another worker's recording of it wins over ours. */
  recordRound(input: RecordRoundInput): Promise<RecordedRound>;
  startToolCall(key: ToolCallRecordKey, now: Date): Promise<void>;
  finishToolCall(key: ToolCallRecordKey, finished: { outcome: ToolCallOutcome; durationMs: number; startedAt: Date; now: Date }): Promise<void>;
}

/** A journal that keeps nothing: every attempt starts afresh (test runs of the agent). */
export const scratchJournal: ToolLoopJournal = {
  load: async () => ({ rounds: new Map(), toolCalls: new Map() }),
  recordRound: async ({ round, text, toolCalls, usage, durationMs }) => ({ round, text, toolCalls, usage, durationMs }),
  startToolCall: async () => undefined,
  finishToolCall: async () => undefined,
};

export interface ToolLoopDependencies {
  journal: ToolLoopJournal;
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
  /** Passed to every model call (AI_MAX_OUTPUT_TOKENS). */
  maxOutputTokens?: number;
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
  const { journal, model, runner, clock } = dependencies;
  const recorded = await journal.load(input.bufferId);
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
      const answer = await model.chat({
        model: input.model,
        messages: [...messages],
        ...(offerTools ? { tools: definitions } : {}),
        ...(input.maxOutputTokens ? { maxOutputTokens: input.maxOutputTokens } : {}),
      });
      const text = answer.text?.trim() ?? '';
      const toolCalls = offerTools ? answer.toolCalls : [];
      response = await journal.recordRound({
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
        if (tool?.sideEffects) await journal.startToolCall(key, startedAt);
        if (previous)
          dependencies.logger.warn(
            { event: 'ai_tools.resumed_call', tool: call.name, idempotencyKey },
            'running an unfinished tool call again with its key',
          );
        const started = performance.now();
        outcome = await runner.run(tool, call, { ...input.call, idempotencyKey }, dependencies.stopping);
        durationMs = performance.now() - started;
        await journal.finishToolCall(key, { outcome, durationMs, startedAt, now: clock.now() });
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
