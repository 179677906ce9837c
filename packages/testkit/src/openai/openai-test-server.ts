import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  completionBody,
  countTokens,
  errorReply,
  promptText,
  streamChunks,
  type ChatCompletionRequestBody,
  type InjectedFailure,
  type ScriptedToolCall,
  type Usage,
} from './openai-wire.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  at: Date;
}

/** A text, or a text and/or tool calls (a response with tool calls has content null and finish_reason "tool_calls"). */
export type ReplyResult = string | { content?: string | null; toolCalls?: ScriptedToolCall[]; usage?: Partial<Usage> };
export type ReplyFunction = (request: ChatCompletionRequestBody) => ReplyResult | Promise<ReplyResult>;

export interface OpenAiTestServerOptions {
  /** Delay before every chat completion answers (the AI benchmark uses 1,000 ms). */
  latencyMs?: number;
  reply?: ReplyFunction;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`; others get 401 invalid_api_key. */
  apiKey?: string;
  models?: string[];
}

export interface OpenAiTestServer {
  /** Pass to the `openai` client as `baseURL` (ends in /v1). */
  readonly baseURL: string;
  readonly port: number;
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[];
  /** The bodies of the chat completion requests received (failed ones included). */
  chatRequests(): ChatCompletionRequestBody[];
  /** The next `count` chat completion requests fail this way (default 1; Infinity = until cleared). */
  injectFailures(failure: InjectedFailure, count?: number): void;
  clearFailures(): void;
  setLatency(milliseconds: number): void;
  setReply(reply: ReplyFunction): void;
  /**
   * The next chat completions answer these, one each, in order (a multi-round tool-call sequence), before the
   * reply function answers again. A function entry sees the request (to echo a tool result back, say).
   */
  script(...responses: Array<ReplyResult | ReplyFunction>): void;
  /** Scripted responses not used yet. */
  scriptedLeft(): number;
  /** Forgets recorded requests, injected failures and scripted responses. */
  reset(): void;
  close(): Promise<void>;
}

const defaultReply: ReplyFunction = (request) => {
  const lastUser = [...request.messages].reverse().find((message) => message.role === 'user');
  const text = typeof lastUser?.content === 'string' ? lastUser.content : '';
  return `Thanks for your message: ${text}`.slice(0, 500);
};

/**
 * An OpenAI-compatible server on an ephemeral port, speaking the documented wire format: the unmodified `openai`
 * client talks to it with only `baseURL` changed. Implements POST /v1/chat/completions (JSON and SSE streaming)
 * and GET /v1/models, with injectable failures, latency and a reply hook.
 */
export async function createOpenAiTestServer(options: OpenAiTestServerOptions = {}): Promise<OpenAiTestServer> {
  let latencyMs = options.latencyMs ?? 0;
  let reply = options.reply ?? defaultReply;
  const failures: Array<{ failure: InjectedFailure; remaining: number }> = [];
  const requests: RecordedRequest[] = [];
  const scripted: Array<ReplyResult | ReplyFunction> = [];
  const models = options.models ?? ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini'];

  const sendJson = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, {
      'content-type': 'application/json',
      'x-request-id': `req_${randomUUID().replaceAll('-', '')}`,
      'openai-processing-ms': String(latencyMs),
      ...headers,
    });
    response.end(JSON.stringify(body));
  };

  const takeFailure = (): InjectedFailure | undefined => {
    const next = failures[0];
    if (!next) return undefined;
    next.remaining -= 1;
    if (next.remaining <= 0) failures.shift();
    return next.failure;
  };

  const handleChat = async (request: IncomingMessage, response: ServerResponse, body: ChatCompletionRequestBody) => {
    if (!body || typeof body.model !== 'string' || !Array.isArray(body.messages)) {
      sendJson(response, 400, {
        error: { message: "Missing required parameter: 'model' or 'messages'.", type: 'invalid_request_error', param: 'messages', code: null },
      });
      return;
    }
    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      const failure = errorReply('invalid_api_key', body.model);
      sendJson(response, failure.status, failure.body, failure.headers);
      return;
    }
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const failure = takeFailure();
    if (failure) {
      const error = errorReply(failure, body.model);
      sendJson(response, error.status, error.body, error.headers);
      return;
    }
    const next = scripted.shift() ?? reply;
    const result = typeof next === 'function' ? await next(body) : next;
    let content = typeof result === 'string' ? result : (result.content ?? null);
    const toolCalls = typeof result === 'string' ? [] : (result.toolCalls ?? []);
    // As OpenAI does: an answer longer than max_completion_tokens (or the older max_tokens) is cut, finish_reason "length".
    const limit = Number(body['max_completion_tokens'] ?? body['max_tokens'] ?? Number.POSITIVE_INFINITY);
    const truncated = content !== null && toolCalls.length === 0 && countTokens(content) > limit;
    if (truncated) content = content!.slice(0, limit * 4);
    const completionText = content ?? toolCalls.map((call) => call.name + call.arguments).join('');
    const promptTokens = (typeof result === 'object' ? result.usage?.prompt_tokens : undefined) ?? countTokens(promptText(body));
    const completionTokens = truncated
      ? limit
      : ((typeof result === 'object' ? result.usage?.completion_tokens : undefined) ?? countTokens(completionText));
    const usage: Usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    if (body.stream === true) {
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-request-id': `req_${randomUUID().replaceAll('-', '')}`,
      });
      for (const chunk of streamChunks(body, content ?? '', usage)) response.write(`data: ${JSON.stringify(chunk)}\n\n`);
      response.end('data: [DONE]\n\n');
      return;
    }
    sendJson(response, 200, completionBody(body, content, usage, toolCalls, truncated ? 'length' : undefined));
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw);
        } catch {
          sendJson(response, 400, {
            error: { message: 'We could not parse the JSON body of your request.', type: 'invalid_request_error', param: null, code: null },
          });
          return;
        }
      }
      const path = (request.url ?? '/').split('?')[0]!;
      requests.push({ method: request.method ?? 'GET', path, headers: { ...request.headers }, body, at: new Date() });
      if (request.method === 'POST' && path === '/v1/chat/completions') {
        handleChat(request, response, body as ChatCompletionRequestBody).catch((error: unknown) => {
          sendJson(response, 500, {
            error: { message: error instanceof Error ? error.message : 'reply hook failed', type: 'server_error', param: null, code: null },
          });
        });
        return;
      }
      if (request.method === 'GET' && path === '/v1/models') {
        sendJson(response, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'system' })) });
        return;
      }
      sendJson(response, 404, {
        error: { message: `Invalid URL (${request.method} ${path})`, type: 'invalid_request_error', param: null, code: null },
      });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    chatRequests: () =>
      requests.filter((recorded) => recorded.path === '/v1/chat/completions').map((recorded) => recorded.body as ChatCompletionRequestBody),
    injectFailures: (failure, count = 1) => void failures.push({ failure, remaining: count }),
    clearFailures: () => void failures.splice(0),
    setLatency: (milliseconds) => void (latencyMs = milliseconds),
    setReply: (next) => void (reply = next),
    script: (...responses) => void scripted.push(...responses),
    scriptedLeft: () => scripted.length,
    reset: () => {
      requests.splice(0);
      failures.splice(0);
      scripted.splice(0);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
