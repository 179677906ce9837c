import type { ReceiveMessageInput } from '@app/domain';

/** The conversation's ids, learned from its first message. */
export interface ConversationIds {
  businessId: string;
  instanceId: string;
  conversationId: string;
  contactId: string;
}

export interface OpenBuffer {
  messageIds: string[];
  /** Arrival times (actor clock), ISO 8601. */
  firstAt: string;
  lastAt: string;
  flushAt: string;
}

export interface InFlightBuffer {
  bufferId: string;
  messageIds: string[];
  firstAt: string;
  lastAt: string;
  /** The attempt currently requested (1-based). */
  attempt: number;
  /** Set while a retry is scheduled: the `retry` reminder republishes the request at this time. */
  retryAt: string | null;
  lastFailureReason: string | null;
}

/**
 * Everything the actor remembers, stored as ONE object under one key: Dapr's JS state provider reads a stored
 * `false`, `0` or `""` back as missing, so bare flags under their own keys would silently reset.
 */
export interface ConversationState {
  version: 1;
  ids: ConversationIds | null;
  provider: ReceiveMessageInput['provider'] | null;
  /** The business's buffering settings as of the last message (used when a waiting burst is re-armed). */
  bufferSeconds: number;
  maxBufferSeconds: number;
  openBuffer: OpenBuffer | null;
  inFlight: InFlightBuffer | null;
  /** Last customer message + 24 h. */
  windowExpiresAt: string | null;
  botDisabled: boolean;
  botDisabledUntil: string | null;
  lastActivityAt: string | null;
  /** Recently seen message ids (bounded): a redelivered message changes nothing. */
  seenMessageIds: string[];
  /** Buffers given up on (bounded), newest last. */
  quarantinedBufferIds: string[];
}

export const STATE_KEY = 'conversation';
export const SEEN_MESSAGE_IDS_LIMIT = 500;
export const QUARANTINED_BUFFER_IDS_LIMIT = 50;

export function initialConversationState(): ConversationState {
  return {
    version: 1,
    ids: null,
    provider: null,
    bufferSeconds: 5,
    maxBufferSeconds: 30,
    openBuffer: null,
    inFlight: null,
    windowExpiresAt: null,
    botDisabled: false,
    botDisabledUntil: null,
    lastActivityAt: null,
    seenMessageIds: [],
    quarantinedBufferIds: [],
  };
}

/** Appends and keeps the newest `limit` entries. */
export function appendBounded(values: string[], value: string, limit: number): string[] {
  const next = [...values, value];
  return next.length > limit ? next.slice(next.length - limit) : next;
}

/** The per-contact switch, with its quiet time: disabled until `botDisabledUntil` passes (null = until re-enabled). */
export function isBotDisabled(state: ConversationState, now: Date): boolean {
  if (!state.botDisabled) return false;
  return state.botDisabledUntil === null || now.getTime() < Date.parse(state.botDisabledUntil);
}
