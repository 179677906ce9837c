import { randomUUID } from 'node:crypto';

/** The parts of a chat completions request the double reads (the rest is recorded as sent). */
export interface ChatCompletionRequestBody {
  model: string;
  messages: Array<{ role: string; content: unknown }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [key: string]: unknown;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** Failures the double can inject, each with the status, headers and envelope OpenAI documents for it. */
export type InjectedFailure = 'rate_limit' | 'insufficient_quota' | 'server_error' | 'invalid_api_key' | 'model_not_found';

export interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: { error: { message: string; type: string; param: string | null; code: string | null } };
}

export function errorReply(failure: InjectedFailure, model: string): ErrorReply {
  switch (failure) {
    case 'rate_limit':
      return {
        status: 429,
        headers: {
          'retry-after': '1',
          'retry-after-ms': '1000',
          'x-ratelimit-limit-requests': '500',
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': '1s',
          'x-ratelimit-limit-tokens': '30000',
          'x-ratelimit-remaining-tokens': '0',
          'x-ratelimit-reset-tokens': '6m0s',
        },
        body: {
          error: {
            message: `Rate limit reached for ${model} in organization org-test on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 1s.`,
            type: 'requests',
            param: null,
            code: 'rate_limit_exceeded',
          },
        },
      };
    case 'insufficient_quota':
      return {
        status: 429,
        headers: {},
        body: {
          error: {
            message: 'You exceeded your current quota, please check your plan and billing details.',
            type: 'insufficient_quota',
            param: null,
            code: 'insufficient_quota',
          },
        },
      };
    case 'server_error':
      return {
        status: 500,
        headers: {},
        body: {
          error: {
            message: 'The server had an error while processing your request. Sorry about that!',
            type: 'server_error',
            param: null,
            code: null,
          },
        },
      };
    case 'invalid_api_key':
      return {
        status: 401,
        headers: {},
        body: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } },
      };
    case 'model_not_found':
      return {
        status: 404,
        headers: {},
        body: {
          error: {
            message: `The model \`${model}\` does not exist or you do not have access to it.`,
            type: 'invalid_request_error',
            param: null,
            code: 'model_not_found',
          },
        },
      };
  }
}

/** A rough token count (about four characters a token), enough for usage accounting in tests. */
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

export function promptText(request: ChatCompletionRequestBody): string {
  return request.messages.map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content))).join('\n');
}

/** A function call the double answers with (`arguments` is sent as written: malformed JSON included). */
export interface ScriptedToolCall {
  /** Default: `call_<random>`, as OpenAI's ids look. */
  id?: string;
  name: string;
  arguments: string;
}

/**
 * A chat completion: the text (finish_reason "stop"), or tool calls (content null, finish_reason "tool_calls"), as
 * documented for the Chat Completions API.
 */
export function completionBody(
  request: ChatCompletionRequestBody,
  content: string | null,
  usage: Usage,
  toolCalls: ScriptedToolCall[] = [],
  finishReason?: 'length',
) {
  const calls = toolCalls.map((call) => ({
    id: call.id ?? `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
    type: 'function' as const,
    function: { name: call.name, arguments: call.arguments },
  }));
  return {
    id: `chatcmpl-${randomUUID().replaceAll('-', '')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: calls.length > 0 ? null : content,
          refusal: null,
          annotations: [],
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
        logprobs: null,
        finish_reason: calls.length > 0 ? 'tool_calls' : (finishReason ?? 'stop'),
      },
    ],
    usage: {
      ...usage,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_testkit',
  };
}

/** The SSE chunks of a streamed completion: role, content pieces, the stop chunk, then usage if asked for. */
export function streamChunks(request: ChatCompletionRequestBody, content: string, usage: Usage): unknown[] {
  const id = `chatcmpl-${randomUUID().replaceAll('-', '')}`;
  const created = Math.floor(Date.now() / 1000);
  const includeUsage = request.stream_options?.include_usage === true;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model: request.model,
    system_fingerprint: 'fp_testkit',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const pieces = content.match(/\S+\s*|\s+/g) ?? [];
  const chunks: unknown[] = [chunk({ role: 'assistant', content: '', refusal: null }, null)];
  for (const piece of pieces) chunks.push(chunk({ content: piece }, null));
  chunks.push(chunk({}, 'stop'));
  if (includeUsage) {
    chunks.push({ id, object: 'chat.completion.chunk', created, model: request.model, system_fingerprint: 'fp_testkit', choices: [], usage });
  }
  return chunks;
}
