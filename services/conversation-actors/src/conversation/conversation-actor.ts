import {
  AiReplyQuarantined,
  AiReplyRequested,
  completedReplyMessageIds,
  MessageSendCancelled,
  MessageSendRequested,
  replyWindowExpiresAt,
  type CompleteBufferInput,
  type ConversationSnapshot,
  type FailBufferInput,
  type ReceiveMessageInput,
  type SetBotDisabledInput,
} from '@app/domain';
import type { ActorContext } from '@app/runtime/ports';
import { nextFlushAt } from './buffer-schedule.ts';
import {
  appendBounded,
  initialConversationState,
  isBotDisabled,
  QUARANTINED_BUFFER_IDS_LIMIT,
  SEEN_MESSAGE_IDS_LIMIT,
  STATE_KEY,
  type ConversationState,
} from './conversation-state.ts';
import { bufferIdFor, deterministicUuid } from './deterministic-id.ts';
import { decideAfterFailure } from './retry-policy.ts';

export const Reminders = { flush: 'flush', aiTimeout: 'ai-timeout', retry: 'retry' } as const;

export interface ConversationActorOptions {
  /**
   * False when no model is configured: bursts are still collected and flushed on time, but a flush drops the
   * burst (the messages stay stored) instead of requesting an AI job no worker would take.
   */
  aiEnabled: boolean;
  /** A job not answered (complete or fail) within this time counts as a failed attempt (a lost worker). */
  aiJobTimeoutSeconds: number;
}

interface AttemptReminderData {
  bufferId: string;
  attempt: number;
}

/**
 * One conversation's live state: buffering, the AI job in flight, the reply window and the bot switch. A plain
 * class over ActorContext — every write is staged and committed with the turn, so a crash mid-turn changes
 * nothing. It never awaits the AI: it publishes a request and is called back (completeBuffer / failBuffer).
 */
export class ConversationActor {
  private state: ConversationState = initialConversationState();

  constructor(
    private readonly context: ActorContext,
    private readonly options: ConversationActorOptions,
  ) {}

  async receiveMessage(input: ReceiveMessageInput): Promise<void> {
    await this.load();
    if (this.state.seenMessageIds.includes(input.messageId)) return;
    const now = this.context.now();
    const state = this.state;
    state.seenMessageIds = appendBounded(state.seenMessageIds, input.messageId, SEEN_MESSAGE_IDS_LIMIT);
    state.ids = {
      businessId: input.businessId,
      instanceId: input.instanceId,
      conversationId: input.conversationId,
      contactId: input.contactId,
    };
    state.provider = input.provider;
    state.bufferSeconds = input.bufferSeconds;
    state.maxBufferSeconds = input.maxBufferSeconds;
    state.lastActivityAt = now.toISOString();
    const windowExpiresAt = replyWindowExpiresAt(new Date(input.sentAt));
    if (windowExpiresAt && (!state.windowExpiresAt || windowExpiresAt.getTime() > Date.parse(state.windowExpiresAt))) {
      state.windowExpiresAt = windowExpiresAt.toISOString();
    }

    const open = state.openBuffer;
    const firstAt = open ? new Date(open.firstAt) : now;
    const flushAt = nextFlushAt({ firstAt, lastAt: now, bufferSeconds: input.bufferSeconds, maxBufferSeconds: input.maxBufferSeconds });
    state.openBuffer = {
      messageIds: [...(open?.messageIds ?? []), input.messageId],
      firstAt: firstAt.toISOString(),
      lastAt: now.toISOString(),
      flushAt: flushAt.toISOString(),
    };
    // Armed even while a buffer is in flight: a flush that finds one in flight leaves the burst waiting, and
    // completing the in-flight buffer flushes it.
    this.context.reminders.set(Reminders.flush, flushAt);
    this.save();
  }

  async completeBuffer(input: CompleteBufferInput): Promise<void> {
    await this.load();
    const inFlight = this.state.inFlight;
    if (!inFlight || inFlight.bufferId !== input.bufferId || !this.state.ids) return;
    const now = this.context.now();
    const ids = this.state.ids;
    const replyIds = completedReplyMessageIds(input);
    // One event for every part: Dapr does not deliver separate events in order, the egress sends them one by one.
    const parts = replyIds.length > 1 ? { messageIds: replyIds } : {};
    if (replyIds.length === 0) {
      this.publishOutbound(
        MessageSendCancelled.create(
          { ...ids, messageId: null, bufferId: inFlight.bufferId, reason: 'no_reply' },
          { id: deterministicUuid(`outbound:${inFlight.bufferId}`), occurredAt: now },
        ),
      );
    } else if (isBotDisabled(this.state, now)) {
      // A person took over while the AI was writing: the stored reply is cancelled, never sent.
      this.publishOutbound(
        MessageSendCancelled.create(
          { ...ids, messageId: replyIds[0]!, ...parts, bufferId: inFlight.bufferId, reason: 'bot_disabled' },
          { id: deterministicUuid(`outbound:${inFlight.bufferId}`), occurredAt: now },
        ),
      );
    } else {
      this.publishOutbound(
        MessageSendRequested.create(
          { ...ids, messageId: replyIds[0]!, ...parts, provider: this.state.provider ?? 'SANDBOX', bufferId: inFlight.bufferId },
          { id: deterministicUuid(`outbound:${inFlight.bufferId}`), occurredAt: now },
        ),
      );
    }
    this.finishInFlight();
    this.save();
  }

  async failBuffer(input: FailBufferInput): Promise<void> {
    await this.load();
    const inFlight = this.state.inFlight;
    // A stale or duplicate report (older attempt, retry already scheduled) changes nothing.
    if (!inFlight || inFlight.bufferId !== input.bufferId || inFlight.attempt !== input.attempt || inFlight.retryAt) return;
    this.handleFailure(input.reason, input.retryable ?? true);
    this.save();
  }

  async setBotDisabled(input: SetBotDisabledInput): Promise<void> {
    await this.load();
    this.state.botDisabled = input.disabled;
    this.state.botDisabledUntil = input.disabled ? input.until : null;
    this.state.lastActivityAt = this.context.now().toISOString();
    this.save();
  }

  async getSnapshot(): Promise<ConversationSnapshot> {
    await this.load();
    const state = this.state;
    return {
      openBuffer: state.openBuffer ? { ...state.openBuffer, messageIds: [...state.openBuffer.messageIds] } : null,
      inFlight: state.inFlight
        ? { bufferId: state.inFlight.bufferId, messageIds: [...state.inFlight.messageIds], attempt: state.inFlight.attempt }
        : null,
      windowExpiresAt: state.windowExpiresAt,
      botDisabled: isBotDisabled(state, this.context.now()),
      botDisabledUntil: state.botDisabled ? state.botDisabledUntil : null,
      lastActivityAt: state.lastActivityAt,
      quarantinedBufferIds: [...state.quarantinedBufferIds],
    };
  }

  /** Every reminder lands here with its name; each may fire more than once, so each checks before it acts. */
  async onReminder(name: string, data: unknown): Promise<void> {
    await this.load();
    if (name === Reminders.flush) this.flush();
    else if (name === Reminders.aiTimeout) this.onAiTimeout(data as AttemptReminderData | undefined);
    else if (name === Reminders.retry) this.onRetry(data as AttemptReminderData | undefined);
    else return; // an unknown reminder (renamed in a later version): nothing to do, and no reason to fail the turn
    this.save();
  }

  private flush(): void {
    const open = this.state.openBuffer;
    if (!open) return; // a duplicate delivery: the burst is already gone
    const now = this.context.now();
    if (now.getTime() < Date.parse(open.flushAt)) {
      // An early or stale delivery (the flush was pushed back meanwhile): keep waiting.
      this.context.reminders.set(Reminders.flush, new Date(open.flushAt));
      return;
    }
    if (this.state.inFlight) return; // one AI job per conversation at a time; completion flushes this burst
    this.state.openBuffer = null;
    // Dropped bursts stay stored as messages; only the AI job is skipped.
    if (isBotDisabled(this.state, now) || !this.options.aiEnabled || !this.state.ids) return;
    const firstMessageId = open.messageIds[0]!;
    this.state.inFlight = {
      bufferId: bufferIdFor(this.context.actorId, firstMessageId),
      messageIds: open.messageIds,
      firstAt: open.firstAt,
      lastAt: open.lastAt,
      attempt: 1,
      retryAt: null,
      lastFailureReason: null,
    };
    this.requestAiReply();
  }

  private onAiTimeout(data: AttemptReminderData | undefined): void {
    const inFlight = this.state.inFlight;
    if (!inFlight || !data || inFlight.bufferId !== data.bufferId || inFlight.attempt !== data.attempt || inFlight.retryAt) return;
    this.handleFailure(`no answer from the AI worker within ${this.options.aiJobTimeoutSeconds} s`, true);
  }

  private onRetry(data: AttemptReminderData | undefined): void {
    const inFlight = this.state.inFlight;
    if (!inFlight || !data || inFlight.bufferId !== data.bufferId || !inFlight.retryAt || data.attempt !== inFlight.attempt + 1) return;
    inFlight.attempt = data.attempt;
    inFlight.retryAt = null;
    this.requestAiReply();
  }

  private handleFailure(reason: string, retryable: boolean): void {
    const inFlight = this.state.inFlight!;
    inFlight.lastFailureReason = reason;
    this.context.reminders.clear(Reminders.aiTimeout);
    const decision = decideAfterFailure(inFlight.attempt, retryable);
    if (decision.kind === 'retry') {
      const retryAt = new Date(this.context.now().getTime() + decision.delayMs);
      inFlight.retryAt = retryAt.toISOString();
      this.context.reminders.set(Reminders.retry, retryAt, { bufferId: inFlight.bufferId, attempt: decision.nextAttempt });
      return;
    }
    const ids = this.state.ids!;
    this.context.publish(
      AiReplyQuarantined.topic,
      AiReplyQuarantined.create(
        {
          bufferId: inFlight.bufferId,
          businessId: ids.businessId,
          conversationId: ids.conversationId,
          messageIds: inFlight.messageIds,
          firstMessageAt: inFlight.firstAt,
          lastMessageAt: inFlight.lastAt,
          attempts: inFlight.attempt,
          reason,
        },
        { id: deterministicUuid(`quarantined:${inFlight.bufferId}`), occurredAt: this.context.now() },
      ),
      { key: ids.conversationId },
    );
    this.state.quarantinedBufferIds = appendBounded(this.state.quarantinedBufferIds, inFlight.bufferId, QUARANTINED_BUFFER_IDS_LIMIT);
    this.finishInFlight();
  }

  /** Clears the in-flight buffer and lets the next waiting burst go: now if it is due, else at its flush time. */
  private finishInFlight(): void {
    this.state.inFlight = null;
    this.context.reminders.clear(Reminders.aiTimeout);
    this.context.reminders.clear(Reminders.retry);
    const open = this.state.openBuffer;
    if (!open) return;
    if (this.context.now().getTime() >= Date.parse(open.flushAt)) this.flush();
    else this.context.reminders.set(Reminders.flush, new Date(open.flushAt));
  }

  private requestAiReply(): void {
    const inFlight = this.state.inFlight!;
    const ids = this.state.ids!;
    const now = this.context.now();
    this.context.publish(
      AiReplyRequested.topic,
      AiReplyRequested.create(
        {
          bufferId: inFlight.bufferId,
          ...ids,
          messageIds: inFlight.messageIds,
          firstMessageAt: inFlight.firstAt,
          lastMessageAt: inFlight.lastAt,
          attempt: inFlight.attempt,
        },
        { id: deterministicUuid(`ai-request:${inFlight.bufferId}:${inFlight.attempt}`), occurredAt: now },
      ),
      { key: ids.conversationId },
    );
    const timeoutAt = new Date(now.getTime() + this.options.aiJobTimeoutSeconds * 1000);
    this.context.reminders.set(Reminders.aiTimeout, timeoutAt, { bufferId: inFlight.bufferId, attempt: inFlight.attempt });
  }

  private publishOutbound(event: ReturnType<typeof MessageSendRequested.create> | ReturnType<typeof MessageSendCancelled.create>): void {
    this.context.publish(MessageSendRequested.topic, event, { key: this.state.ids!.conversationId });
  }

  private async load(): Promise<void> {
    const stored = await this.context.state.get<ConversationState>(STATE_KEY);
    // A copy: the host may hand out its cached object, and a failed turn must not leave half-done changes in it.
    this.state = stored ? { ...initialConversationState(), ...structuredClone(stored) } : initialConversationState();
  }

  private save(): void {
    this.context.state.set(STATE_KEY, this.state);
  }
}
