import type OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { ModelError, type ChatMessage, type ChatModel, type ChatRequest, type ChatResponse, type ToolDefinition } from './chat-model.ts';
import { classifyLlmError } from './openai-error.ts';

export interface OpenAiChatModelOptions {
  /** The official client, pointed at OpenAI or any compatible server (`baseURL`). */
  client: OpenAI;
  requestTimeoutMs: number;
  /** Retries the client itself makes (429, 5xx, connection errors) before the call fails. */
  maxRetries: number;
}

/** The ChatModel over OpenAI's Chat Completions API (and compatible servers), with the official `openai` client. */
export function createOpenAiChatModel(options: OpenAiChatModelOptions): ChatModel {
  return {
    provider: 'openai',
    async chat(request: ChatRequest): Promise<ChatResponse> {
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await options.client.chat.completions.create(
          {
            model: request.model,
            messages: request.messages.map(toOpenAiMessage),
            ...(request.tools?.length ? { tools: request.tools.map(toOpenAiTool) } : {}),
            ...(request.maxOutputTokens ? { max_completion_tokens: request.maxOutputTokens } : {}),
          },
          { timeout: options.requestTimeoutMs, maxRetries: options.maxRetries },
        );
      } catch (error) {
        const failure = classifyLlmError(error);
        throw new ModelError(failure.reason, failure.retryable, { cause: error });
      }
      const message = completion.choices[0]?.message;
      return {
        text: message?.content ?? null,
        toolCalls: (message?.tool_calls ?? []).flatMap((call) =>
          call.type === 'function' ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }] : [],
        ),
        usage: {
          promptTokens: completion.usage?.prompt_tokens ?? 0,
          completionTokens: completion.usage?.completion_tokens ?? 0,
          totalTokens: completion.usage?.total_tokens ?? 0,
        },
      };
    },
  };
}

function toOpenAiMessage(message: ChatMessage): ChatCompletionMessageParam {
  if (message.role === 'tool') return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  if (message.role === 'assistant') {
    return {
      role: 'assistant',
      content: message.content,
      ...(message.toolCalls?.length
        ? {
            tool_calls: message.toolCalls.map((call) => ({
              id: call.id,
              type: 'function' as const,
              function: { name: call.name, arguments: call.arguments },
            })),
          }
        : {}),
    };
  }
  return { role: message.role, content: message.content };
}

function toOpenAiTool(tool: ToolDefinition): ChatCompletionTool {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } };
}
