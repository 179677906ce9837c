import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAiTestServer, type OpenAiTestServer } from './index.ts';

let server: OpenAiTestServer;
let client: OpenAI;

beforeAll(async () => {
  server = await createOpenAiTestServer({ apiKey: 'sk-test' });
  client = new OpenAI({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 0 });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.reset();
  server.setLatency(0);
  server.setReply((request) => `echo ${String(request.messages.at(-1)?.content)}`);
});

describe('OpenAI test server with the official client', () => {
  it('answers a chat completion and records the request', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hola ¿qué tal? 👋' },
      ],
    });
    expect(completion.choices[0]!.message.content).toBe('echo Hola ¿qué tal? 👋');
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens);
    expect(completion.usage!.completion_tokens).toBeGreaterThan(0);
    expect(server.chatRequests()).toEqual([expect.objectContaining({ model: 'gpt-4o-mini' })]);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-test');
  });

  it('streams chunks, the usage chunk and [DONE]', async () => {
    server.setReply(() => ({ content: 'one two three', usage: { prompt_tokens: 7, completion_tokens: 3 } }));
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'count' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('one two three');
    expect(usage).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
  });

  it('answers a scripted tool-call sequence: tool_calls with finish_reason "tool_calls", then the text, usage on each', async () => {
    server.script(
      {
        toolCalls: [{ id: 'call_1', name: 'consultar_pedido', arguments: '{"numero":"A-17"}' }],
        usage: { prompt_tokens: 40, completion_tokens: 12 },
      },
      (request) => `Su pedido está ${String(request.messages.at(-1)?.content)}`,
    );
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'consultar_pedido', parameters: { type: 'object', properties: { numero: { type: 'string' } } } },
      },
    ];
    const first = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: '¿Dónde está mi pedido A-17?' }],
      tools,
    });
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(first.choices[0]!.message.content).toBeNull();
    expect(first.choices[0]!.message.tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'consultar_pedido', arguments: '{"numero":"A-17"}' } },
    ]);
    expect(first.usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 });
    const second = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: '¿Dónde está mi pedido A-17?' },
        { role: 'assistant', content: null, tool_calls: first.choices[0]!.message.tool_calls! },
        { role: 'tool', tool_call_id: 'call_1', content: 'en camino' },
      ],
      tools,
    });
    expect(second.choices[0]!.finish_reason).toBe('stop');
    expect(second.choices[0]!.message.content).toBe('Su pedido está en camino');
    expect(server.scriptedLeft()).toBe(0);
    // Malformed arguments go out exactly as scripted: the caller has to cope with them.
    server.script({ toolCalls: [{ name: 'consultar_pedido', arguments: '{"numero": "A-1' }] });
    const malformed = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], tools });
    const call = malformed.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && call.function.arguments).toBe('{"numero": "A-1');
    expect(call.id).toMatch(/^call_/);
  });

  it('lists models', async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toContain('gpt-4o-mini');
  });

  it.each([
    ['rate_limit', 429, 'rate_limit_exceeded'],
    ['insufficient_quota', 429, 'insufficient_quota'],
    ['server_error', 500, null],
    ['invalid_api_key', 401, 'invalid_api_key'],
    ['model_not_found', 404, 'model_not_found'],
  ] as const)('injects %s as the documented status and envelope', async (failure, status, code) => {
    server.injectFailures(failure);
    const error = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(status);
    expect((error as InstanceType<typeof OpenAI.APIError>).code ?? null).toBe(code);
    const next = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'ok' }] });
    expect(next.choices[0]!.message.content).toBe('echo ok');
  });

  it('sends retry headers with a rate limit, which the client obeys', async () => {
    server.injectFailures('rate_limit');
    const retrying = new OpenAI({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 1 });
    const { response } = await retrying.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'again' }] })
      .withResponse();
    expect(response.status).toBe(200);
    expect(server.chatRequests()).toHaveLength(2);
  });

  it('refuses a wrong key with 401', async () => {
    const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: server.baseURL, maxRetries: 0 });
    await expect(wrong.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      status: 401,
    });
  });

  it('waits the configured latency', async () => {
    server.setLatency(200);
    const started = Date.now();
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'slow' }] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});
