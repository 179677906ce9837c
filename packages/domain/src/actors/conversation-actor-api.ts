/**
 * The ConversationActor's contract, shared by its implementation (services/conversation-actors) and by every
 * caller (subscriptions, AI workers, tenant-api). One actor per instance + contact; all calls are idempotent.
 * Arguments and results are plain JSON: they cross the Dapr sidecar in Kubernetes mode.
 */
export const CONVERSATION_ACTOR_TYPE = 'ConversationActor';

/** Actor ids avoid `/ \ # ?` and `||` (Dapr rejects or uses them); uuids joined by ':' are safe. */
export function conversationActorId(instanceId: string, contactId: string): string {
  return `${instanceId}:${contactId}`;
}

export interface ReceiveMessageInput {
  messageId: string;
  businessId: string;
  instanceId: string;
  conversationId: string;
  contactId: string;
  provider: 'META' | 'BAILEYS' | 'SANDBOX';
  /** When the customer sent it, ISO 8601. Opens/extends the 24 h window. */
  sentAt: string;
  /** The business's buffering settings at the time the message arrived. */
  bufferSeconds: number;
  maxBufferSeconds: number;
}

export interface CompleteBufferInput {
  bufferId: string;
  /**
   * The stored AI reply's messages in send order (text, then files); empty when no reply is needed (or the bot is
   * off globally).
   */
  replyMessageIds?: string[];
  /** The single-message form, still accepted (calls in flight or queued when a deployment rolls). */
  replyMessageId?: string | null;
}

/** The reply messages a completeBuffer call names, in send order, whichever form it used. */
export function completedReplyMessageIds(input: CompleteBufferInput): string[] {
  if (input.replyMessageIds) return input.replyMessageIds;
  return input.replyMessageId ? [input.replyMessageId] : [];
}

export interface FailBufferInput {
  bufferId: string;
  attempt: number;
  reason: string;
  /** False for failures another attempt cannot fix (quota exhausted, bad key, unknown model): quarantine now. */
  retryable?: boolean;
}

export interface SetBotDisabledInput {
  disabled: boolean;
  /** ISO 8601; the bot resumes by itself at this time. Null = until switched back. */
  until: string | null;
}

export interface ConversationSnapshot {
  openBuffer: { messageIds: string[]; firstAt: string; lastAt: string; flushAt: string } | null;
  inFlight: { bufferId: string; messageIds: string[]; attempt: number } | null;
  windowExpiresAt: string | null;
  botDisabled: boolean;
  botDisabledUntil: string | null;
  lastActivityAt: string | null;
  quarantinedBufferIds: string[];
}

export interface ConversationActorApi {
  receiveMessage(input: ReceiveMessageInput): Promise<void>;
  completeBuffer(input: CompleteBufferInput): Promise<void>;
  failBuffer(input: FailBufferInput): Promise<void>;
  setBotDisabled(input: SetBotDisabledInput): Promise<void>;
  getSnapshot(): Promise<ConversationSnapshot>;
}
