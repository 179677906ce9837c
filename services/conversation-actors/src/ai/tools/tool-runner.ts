import { capText, type AgentTool, type ReplyPart, type ToolCallContext, type ToolOutcome } from '@app/domain';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { ToolCall } from '../model/chat-model.ts';

/** A tool call's outcome as the loop uses, records and replays it: what the model reads, and what to send. */
export interface ToolCallOutcome {
  ok: boolean;
  /** What goes back to the model as the tool message (capped): the result as JSON, or `{"error": …}`. */
  content: string;
  /** Set when the call failed (bad arguments, unknown tool, handler error, timeout). */
  error?: string;
  /** Messages the tool asked to send with the reply, in order. */
  send?: ReplyPart[];
}

const validatorCacheLimit = 1_000;

/**
 * The worker is stopping and cut a tool call short: not an outcome to tell the model or to record, but a failed
 * attempt — the call stays unfinished and runs again, with its key, when the buffer is retried.
 */
export class ToolCallInterrupted extends Error {
  override readonly name = 'ToolCallInterrupted';
}

/**
 * Runs one tool call for the model: arguments parsed and validated against the tool's JSON Schema, the handler
 * raced against its timeout (its signal aborted then), the result capped. Every failure becomes an outcome the
 * model is told about — nothing a tool does can throw into the worker.
 */
export class ToolRunner {
  private readonly ajv = new Ajv2020({ allErrors: true, strict: false });
  // Tools are loaded per reply (fresh objects each time), so validators are cached by the schema's text.
  private readonly validators = new Map<string, ValidateFunction>();

  /** `stopping`: aborted when the worker stops; the call's signal is aborted too and the call throws ToolCallInterrupted. */
  async run(tool: AgentTool | undefined, call: ToolCall, context: Omit<ToolCallContext, 'signal'>, stopping?: AbortSignal): Promise<ToolCallOutcome> {
    if (!tool) return failure(`unknown tool "${call.name}"`);
    let args: unknown;
    try {
      args = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
    } catch {
      return failure('the arguments are not valid JSON; call the tool again with a JSON object matching its parameters');
    }
    if (args === null || typeof args !== 'object' || Array.isArray(args)) return failure('the arguments must be a JSON object');
    let validate: ValidateFunction;
    try {
      validate = this.validator(tool.parameters);
    } catch (error) {
      return failure(`the tool's parameter schema is invalid: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!validate(args)) return failure(`invalid arguments: ${this.ajv.errorsText(validate.errors, { dataVar: 'arguments' })}`);

    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<ToolOutcome>((resolve) => {
      timer = setTimeout(() => {
        // Settled before the abort: a handler that answers its abort at once must not win the race.
        resolve({ ok: false, error: `timed out after ${tool.timeoutMs} ms` });
        controller.abort(new Error(`tool ${tool.name} timed out`));
      }, tool.timeoutMs);
    });
    const interrupted = new Promise<'interrupted'>((resolve) => {
      if (!stopping) return;
      const stop = () => {
        resolve('interrupted');
        controller.abort(new Error('the AI worker is stopping'));
      };
      if (stopping.aborted) stop();
      else stopping.addEventListener('abort', stop, { once: true });
    });
    let outcome: ToolOutcome | 'interrupted';
    try {
      outcome = await Promise.race([tool.run(args as Record<string, unknown>, { ...context, signal: controller.signal }), timedOut, interrupted]);
    } catch (error) {
      outcome = { ok: false, error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
    if (outcome === 'interrupted' || stopping?.aborted) throw new ToolCallInterrupted(`tool ${tool.name} interrupted: the AI worker is stopping`);
    return toCallOutcome(outcome);
  }

  private validator(schema: Record<string, unknown>): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema);
      // Bounded: businesses edit their tools; the oldest compiled schema goes first.
      if (this.validators.size >= validatorCacheLimit) this.validators.delete(this.validators.keys().next().value!);
      this.validators.set(key, validate);
    }
    return validate;
  }
}

function failure(error: string): ToolCallOutcome {
  return { ok: false, error, content: capText(JSON.stringify({ error })) };
}

function toCallOutcome(outcome: ToolOutcome | undefined): ToolCallOutcome {
  if (!outcome || typeof outcome !== 'object') return failure('the tool returned no outcome');
  if (!outcome.ok) return failure(typeof outcome.error === 'string' && outcome.error.length > 0 ? outcome.error : 'the tool failed');
  let content: string;
  try {
    content = typeof outcome.result === 'string' ? outcome.result : (JSON.stringify(outcome.result) ?? 'null');
  } catch (error) {
    return failure(`the tool's result is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { ok: true, content: capText(content), ...(outcome.send?.length ? { send: outcome.send } : {}) };
}
