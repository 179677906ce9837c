import type { PrismaClient } from '@app/db';
import {
  AiReplyQuarantined,
  AiReplyRequested,
  CONVERSATION_ACTOR_TYPE,
  conversationActorId,
  type ConversationActorApi,
  type DomainEvent,
} from '@app/domain';
import { actorProxy, type ActorClient, type Clock, type DeliveryOutcome } from '@app/runtime/ports';
import type { Logger } from '@app/runtime/service';
import { MAX_AI_ATTEMPTS } from '../conversation/retry-policy.ts';
import { claimBuffer, markBufferQuarantined, recordBufferFailure, releaseBuffer } from './buffer-lease.repository.ts';
import { ModelError, type ChatModel } from './model/chat-model.ts';
import { buildReplyPrompt } from './reply-prompt.ts';
import { findReplyId, loadPromptInputs, storeReply } from './reply.repository.ts';

export interface AiReplyWorkerDependencies {
  prisma: PrismaClient;
  actors: ActorClient;
  model: ChatModel;
  clock: Clock;
  logger: Logger;
  /** How long a worker holds a buffer before another may take it over (longer than one model call can take). */
  leaseMs: number;
}

type AiReplyRequest = ReturnType<typeof AiReplyRequested.parse>['data'];

/** An AI event taken in hand: what to answer the transport now, and the model call still to make, if any. */
export interface TakenAiJob {
  outcome: DeliveryOutcome;
  answer?: () => Promise<DeliveryOutcome>;
}

/**
 * AI pipeline v1 for one burst: take the buffer, skip the model when a reply already exists (redelivery), build
 * the prompt, call the model, store reply + token usage together, then report to the conversation's actor. A model
 * error is recorded on the buffer and reported as a failure — it never reaches the customer as text.
 */
export class AiReplyWorker {
  constructor(private readonly dependencies: AiReplyWorkerDependencies) {}

  /** Takes the job and answers it, then reports the outcome (the delivery is held for the whole model call). */
  async handle(event: DomainEvent): Promise<DeliveryOutcome> {
    const taken = await this.take(event);
    return taken.answer ? taken.answer() : taken.outcome;
  }

  /**
   * Takes the job durably (the buffer row's lease) without calling the model, so the delivery can be acknowledged
   * at once: if this replica dies before answering, the actor's ai-timeout re-requests and the next attempt takes
   * the buffer over.
   */
  async take(event: DomainEvent): Promise<TakenAiJob> {
    const definition = event.type === AiReplyQuarantined.type ? AiReplyQuarantined : event.type === AiReplyRequested.type ? AiReplyRequested : null;
    if (!definition) return { outcome: 'success' }; // another event type on this topic, not ours
    const parsed = definition.schema.safeParse(event);
    if (!parsed.success) {
      this.dependencies.logger.error(
        { event: 'ai_reply.malformed_event', eventId: event.id, issues: parsed.error.issues.length },
        'dropping a malformed AI event',
      );
      return { outcome: 'drop' };
    }
    if (parsed.data.type === AiReplyQuarantined.type) return { outcome: await this.handleQuarantined(AiReplyQuarantined.parse(event).data) };
    return this.takeRequest(AiReplyRequested.parse(event).data);
  }

  /** Gives a taken buffer back (its answer will not run here), so the next delivery need not wait for the lease. */
  async giveBack(event: DomainEvent): Promise<void> {
    await releaseBuffer(this.dependencies.prisma, AiReplyRequested.parse(event).data.bufferId);
  }

  private async takeRequest(job: AiReplyRequest): Promise<TakenAiJob> {
    const { prisma, clock } = this.dependencies;
    const logger = this.dependencies.logger.child({
      businessId: job.businessId,
      conversationId: job.conversationId,
      bufferId: job.bufferId,
      attempt: job.attempt,
    });
    const actor = actorProxy<ConversationActorApi>(
      this.dependencies.actors,
      CONVERSATION_ACTOR_TYPE,
      conversationActorId(job.instanceId, job.contactId),
    );

    const existingReply = await findReplyId(prisma, job.bufferId);
    if (existingReply) {
      logger.info({ event: 'ai_reply.redelivered' }, 'reply already stored; not calling the model again');
      await actor.completeBuffer({ bufferId: job.bufferId, replyMessageId: existingReply });
      return { outcome: 'success' };
    }

    const claim = await claimBuffer(prisma, job, clock.now(), this.dependencies.leaseMs);
    // Held for this attempt: a duplicate delivery while a worker is on it. Retrying would hold back the conversation's
    // later events; if that worker died, the actor's ai-timeout re-requests with the next attempt, which takes over.
    if (claim === 'held') return { outcome: 'success' };
    if (claim === 'quarantined') return { outcome: 'success' }; // given up already; a stale attempt must not spend tokens
    return {
      outcome: 'success',
      answer: async () => {
        try {
          return await this.answer(job, actor, logger);
        } catch (error) {
          // An unexpected failure (database, actor unreachable): free the buffer so the next attempt need not wait
          // for the lease to run out; the transport retries it (when answered) or the actor's ai-timeout does.
          await releaseBuffer(prisma, job.bufferId).catch(() => undefined);
          throw error;
        }
      },
    };
  }

  private async answer(job: AiReplyRequest, actor: ConversationActorApi, logger: Logger): Promise<DeliveryOutcome> {
    const { prisma, clock } = this.dependencies;
    const inputs = await loadPromptInputs(prisma, job);
    if (!inputs) return 'drop'; // the business is gone
    if (!inputs.business.botEnabled) {
      await actor.completeBuffer({ bufferId: job.bufferId, replyMessageId: null });
      return 'success';
    }

    const messages = buildReplyPrompt({
      systemPrompt: inputs.agent.systemPrompt,
      variables: { now: clock.now(), timezone: inputs.business.timezone, businessName: inputs.business.name, contactName: inputs.contactName },
      history: inputs.history,
      burst: inputs.burst,
    });

    let text: string;
    let usage: { promptTokens: number; completionTokens: number; totalTokens: number };
    const started = Date.now();
    try {
      const response = await this.dependencies.model.chat({ model: inputs.agent.model, messages });
      text = response.text?.trim() ?? '';
      // A reply with nothing to send (or only tool calls, which v1 offers none of) may come out right next time.
      if (text.length === 0) throw new ModelError('EmptyCompletion: the model returned an empty reply', true);
      usage = response.usage;
    } catch (error) {
      // The adapter classifies its vendor's errors; anything else (a bug, a broken connection) is worth another try.
      const failure = error instanceof ModelError ? error : new ModelError(error instanceof Error ? error.message : String(error), true);
      const final = !failure.retryable || job.attempt >= MAX_AI_ATTEMPTS;
      logger.warn({ event: 'ai_reply.failed', reason: failure.reason, retryable: failure.retryable, final }, 'AI reply attempt failed');
      await recordBufferFailure(prisma, { bufferId: job.bufferId, attempt: job.attempt, reason: failure.reason, final, now: clock.now() });
      await actor.failBuffer({ bufferId: job.bufferId, attempt: job.attempt, reason: failure.reason, retryable: failure.retryable });
      return 'success';
    }

    const replyMessageId = await storeReply(prisma, {
      job,
      text,
      provider: this.dependencies.model.provider,
      model: inputs.agent.model,
      usage,
      now: clock.now(),
    });
    logger.info(
      { event: 'ai_reply.stored', model: inputs.agent.model, totalTokens: usage.totalTokens, durationMs: Date.now() - started },
      'AI reply stored',
    );
    await actor.completeBuffer({ bufferId: job.bufferId, replyMessageId });
    return 'success';
  }

  private async handleQuarantined(data: ReturnType<typeof AiReplyQuarantined.parse>['data']): Promise<DeliveryOutcome> {
    await markBufferQuarantined(this.dependencies.prisma, { ...data, now: this.dependencies.clock.now() });
    this.dependencies.logger.warn(
      {
        event: 'ai_reply.quarantined',
        businessId: data.businessId,
        conversationId: data.conversationId,
        bufferId: data.bufferId,
        reason: data.reason,
      },
      'AI buffer quarantined after its last attempt',
    );
    return 'success';
  }
}
