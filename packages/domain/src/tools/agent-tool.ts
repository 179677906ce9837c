import type { Media } from '../messages/message-content.ts';

/**
 * The agent's tools: what the reply loop (services/conversation-actors) offers the model, whoever defines them —
 * built-ins registered by the business's objective and plan, the business's own HTTP tools, later Agent V2's.
 * Plain types, no I/O: a tool's handler is built by the adapter that owns its side (database, HTTP, object store).
 */
export interface AgentTool {
  /** Unique within one business's registry; what the model calls (`[a-zA-Z0-9_-]{1,64}`, OpenAI's rule). */
  name: string;
  /** What the model reads to decide when to call it. */
  description: string;
  /** JSON Schema (draft 2020-12 subset) of the arguments; they are validated against it before `run`. */
  parameters: Record<string, unknown>;
  /**
   * True when a call changes something outside the reply (an order, a webhook, a saved field): a retried or
   * crash-recovered buffer then gets the recorded result back instead of running it again.
   */
  sideEffects: boolean;
  /** Longer calls are cut off and reported to the model as a timeout. */
  timeoutMs: number;
  run(args: Record<string, unknown>, call: ToolCallContext): Promise<ToolOutcome>;
}

/** Who is being answered, and the call's identity. */
export interface ToolCallContext {
  businessId: string;
  instanceId: string;
  conversationId: string;
  contactId: string;
  provider: 'META' | 'BAILEYS' | 'SANDBOX';
  /** Stable across retries of the same buffer, round and call (`<bufferId>:<round>:<callIndex>`). */
  idempotencyKey: string;
  /** Aborted when the call times out or the worker stops. */
  signal: AbortSignal;
}

/** What a tool answers: a result the model reads, or an error it is told about (never thrown to the worker). */
export type ToolOutcome =
  | {
      ok: true;
      /** JSON-serialisable; capped before it goes back to the model. */
      result: unknown;
      /** Messages the tool asks to send with the reply (a file from the library), in order, after the reply's text. */
      send?: ReplyPart[];
    }
  | { ok: false; error: string };

/** One outbound message of an AI reply: the text, or a media message (library file or a URL). */
export type ReplyPart = { kind: 'text'; text: string } | { kind: 'image' | 'audio' | 'video' | 'document'; media: Media };

/** Which tools and prompt notes a business's agent gets for one reply. */
export interface ToolScope {
  businessId: string;
  contactId: string;
  conversationId: string;
}

/**
 * A source of tools (built-ins of one feature, the business's HTTP tools …). Each is asked once per reply; it may
 * also add lines to the prompt's context (the contact's known fields, the files the agent can send).
 */
export interface ToolProvider {
  load(scope: ToolScope): Promise<ToolSet>;
}

export interface ToolSet {
  tools: AgentTool[];
  /** Extra system-prompt lines, after the business's own prompt. */
  promptNotes?: string[];
  /** Values that must never appear in a stored trace (HTTP-tool header values …): replaced by `[redacted]`. */
  secrets?: string[];
}

/**
 * Turns the model's final text into the messages to send: media URLs and library shortcodes (`[[file:Catalog]]`)
 * become media parts in place, the text around them stays text. Without one, the text goes as one message.
 */
export interface ReplyComposer {
  compose(text: string, scope: ToolScope): Promise<ReplyPart[]>;
}
