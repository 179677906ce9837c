import { describeContent, messageContentSchema, resolvePromptVariables, type PromptVariableContext } from '@app/domain';

/** A stored message as the prompt builder needs it. */
export interface PromptMessage {
  id: string;
  direction: 'INBOUND' | 'OUTBOUND';
  author: 'CUSTOMER' | 'AI' | 'OPERATOR' | 'SYSTEM';
  kind: string;
  text: string | null;
  content: unknown;
  sentAt: Date;
}

export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ReplyPromptInput {
  systemPrompt: string;
  /** Lines the agent's tools add after the business's prompt (known contact fields, files it can send …). */
  promptNotes?: readonly string[];
  variables: PromptVariableContext;
  /** Earlier messages of the conversation, oldest first (the burst's own messages are left out). */
  history: PromptMessage[];
  /** The burst being answered, oldest first: it goes last. */
  burst: PromptMessage[];
}

/** What the model reads for one message: its text, or a description of non-text content ("[image] caption"). */
export function promptTextOf(message: PromptMessage): string {
  const parsed = messageContentSchema.safeParse(message.content);
  if (parsed.success) return describeContent(parsed.data);
  return message.text ?? `[${message.kind}]`;
}

/**
 * System prompt (with {{now}} and friends resolved in the business's timezone; the tools' notes after it), then the history as
 * user/assistant turns, then the burst. System notes are not part of the dialogue and are left out.
 */
export function buildReplyPrompt(input: ReplyPromptInput): ChatTurn[] {
  const system = resolvePromptVariables(input.systemPrompt, input.variables);
  const notes = input.promptNotes?.filter((note) => note.trim().length > 0) ?? [];
  const turns: ChatTurn[] = [{ role: 'system', content: notes.length > 0 ? `${system}\n\n${notes.join('\n')}` : system }];
  for (const message of [...input.history, ...input.burst]) {
    if (message.author === 'SYSTEM') continue;
    turns.push({ role: message.direction === 'INBOUND' ? 'user' : 'assistant', content: promptTextOf(message) });
  }
  return turns;
}
