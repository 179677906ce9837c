/**
 * The port the AI worker talks to a language model through, whichever provider answers (OpenAI or any compatible
 * server today; Gemini or the Agent V2 graph behind the same shape later). Plain data in and out: the worker never
 * sees a vendor's client, and an adapter never decides what the worker does with an answer.
 */
export interface ChatModel {
  /** Recorded with the token usage (`openai`, `gemini` …). */
  readonly provider: string;
  /** One model call. Fails with a `ModelError` saying whether another attempt can help. */
  chat(request: ChatRequest): Promise<ChatResponse>;
}

export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; toolCalls?: ToolCall[] }
  /** A tool's answer to the call of the same id. */
  | { role: 'tool'; toolCallId: string; content: string };

/** A function the model may ask the caller to run; `parameters` is a JSON Schema of its arguments. */
export interface ToolDefinition {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as the model wrote them (JSON text, not validated yet). */
  arguments: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  /** The most tokens the answer may have (a runaway answer costs the platform, and no customer reads it). */
  maxOutputTokens?: number;
}

export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface ChatResponse {
  /** The reply's text; null when the model only asked for tool calls. */
  text: string | null;
  toolCalls: ToolCall[];
  usage: ChatUsage;
}

/** A failed model call, classified by the adapter from its vendor's errors. */
export class ModelError extends Error {
  override readonly name = 'ModelError';

  constructor(
    /** Short, safe to store and show to admins: status, code and the provider's message (never a key or prompt). */
    readonly reason: string,
    /** False when another attempt cannot help (quota, a bad key, an invalid request): the job is given up at once. */
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}
