import { createOpenAiTestServer, type OpenAiTestServer } from '@app/testkit/openai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelError } from './chat-model.ts';
import { createOpenAiChatModel } from './openai-chat-model.ts';

let server: OpenAiTestServer;
const model = () =>
  createOpenAiChatModel({ client: new OpenAI({ apiKey: 'sk-test', baseURL: server.baseURL }), requestTimeoutMs: 5_000, maxRetries: 0 });

beforeAll(async () => {
  server = await createOpenAiTestServer();
});
beforeEach(() => server.reset());
afterAll(async () => {
  await server?.close();
});

describe('the OpenAI chat model', () => {
  it('sends the conversation and its tools in the Chat Completions format and returns the reply with its usage', async () => {
    server.setReply(() => ({ content: 'Abrimos às 9h.', usage: { prompt_tokens: 30, completion_tokens: 5, total_tokens: 35 } }));
    const answer = await model().chat({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You answer for a bakery.' },
        { role: 'user', content: 'Que horas abrem?' },
        { role: 'assistant', content: null, toolCalls: [{ id: 'call-1', name: 'opening_hours', arguments: '{"day":"monday"}' }] },
        { role: 'tool', toolCallId: 'call-1', content: '09:00-18:00' },
      ],
      tools: [
        {
          name: 'opening_hours',
          description: 'The opening hours of a day.',
          parameters: { type: 'object', properties: { day: { type: 'string' } } },
        },
      ],
    });
    expect(answer).toEqual({ text: 'Abrimos às 9h.', toolCalls: [], usage: { promptTokens: 30, completionTokens: 5, totalTokens: 35 } });
    const [sent] = server.chatRequests();
    expect(sent!.messages.slice(2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call-1', type: 'function', function: { name: 'opening_hours', arguments: '{"day":"monday"}' } }],
      },
      { role: 'tool', tool_call_id: 'call-1', content: '09:00-18:00' },
    ]);
    expect(sent!['tools']).toEqual([
      {
        type: 'function',
        function: {
          name: 'opening_hours',
          description: 'The opening hours of a day.',
          parameters: { type: 'object', properties: { day: { type: 'string' } } },
        },
      },
    ]);
  });

  it('fails with a ModelError that says whether another attempt can help', async () => {
    server.injectFailures('insufficient_quota');
    const quota = await model()
      .chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'oi' }] })
      .catch((error: unknown) => error);
    expect(quota).toBeInstanceOf(ModelError);
    expect(quota).toMatchObject({ retryable: false, reason: expect.stringContaining('insufficient_quota') });

    server.injectFailures('server_error');
    await expect(model().chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'oi' }] })).rejects.toMatchObject({ retryable: true });
  });

  it('caps the answer at maxOutputTokens (max_completion_tokens): a runaway answer is cut, not paid for in full', async () => {
    server.setReply(() => 'Pan '.repeat(500));
    const answer = await model().chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Cuéntame todo' }], maxOutputTokens: 16 });
    expect(server.chatRequests()[0]!['max_completion_tokens']).toBe(16);
    expect(answer.usage.completionTokens).toBe(16);
    expect(answer.text!.length).toBeLessThanOrEqual(64);
  });
});
