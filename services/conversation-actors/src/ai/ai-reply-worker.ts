import type { PrismaClient } from '@app/db';
import {
  AiReplyQuarantined,
  AiReplyRequested,
  CONVERSATION_ACTOR_TYPE,
  conversationActorId,
  type ConversationActorApi,
  type DomainEvent,
  type ModelPrice,
  type ReplyComposer,
  type ReplyPart,
  type ToolProvider,
  type ToolScope,
} from '@app/domain';
import { actorProxy, type ActorClient, type Clock, type DeliveryOutcome } from '@app/runtime/ports';
import type { Logger } from '@app/runtime/service';
import { MAX_AI_ATTEMPTS } from '../conversation/retry-policy.ts';
import { claimBuffer, markBufferQuarantined, recordBufferFailure, releaseBuffer } from './buffer-lease.repository.ts';
import { ModelError, type ChatModel } from './model/chat-model.ts';
import { buildReplyPrompt } from './reply-prompt.ts';
import { buildReplyTrace } from './reply-trace.ts';
import { findReplyIds, loadPromptInputs, MAX_REPLY_PARTS, storeReply } from './reply.repository.ts';
import { runToolLoop, type ToolLoopJournal } from './tool-loop.ts';
import { createToolLoopJournal } from './tools/tool-loop.repository.ts';
import { loadTools } from './tools/tool-registry.ts';
import { ToolRunner } from './tools/tool-runner.ts';

export interface AiReplyWorkerDependencies {
  prisma: PrismaClient;
  actors: ActorClient;
  model: ChatModel;
  clock: Clock;
  logger: Logger;
  /** How long a worker holds a buffer before another may take it over (longer than one reply's calls can take). */
  leaseMs: number;
  /** Where the agent's tools come from (createToolProviders); none: the agent only talks. */
  toolProviders?: readonly ToolProvider[];
  /** Turns the final text into messages (media URLs, library shortcodes); default: the text as one message. */
  replyComposer?: ReplyComposer;
  /** Model calls that may ask for tools (default 5); then one more without tools. */
  maxToolRounds?: number;
  /** The most tokens one model answer may have (AI_MAX_OUTPUT_TOKENS). */
  maxOutputTokens?: number;
  /** Per-model prices for the trace's cost estimate (default: none known, cost null). */
  modelPrices?: Readonly<Record<string, ModelPrice>>;
}

/** The reply as one text message: what a business without a files library gets. */
export const textReplyComposer: ReplyComposer = {
  compose: async (text) => (text.length > 0 ? [{ kind: 'text', text }] : []),
};

type AiReplyRequest = ReturnType<typeof AiReplyRequested.parse>['data'];

/** An AI event taken in hand: what to answer the transport now, and the model call still to make, if any. */
export interface TakenAiJob {
  outcome: DeliveryOutcome;
  answer?: () => Promise<DeliveryOutcome>;
}

/**
 * The AI pipeline for one burst: take the buffer, skip the model when a reply already exists (redelivery), load the
 * business's tools, build the prompt, run the tool loop (model calls, tool calls, each recorded), compose the
 * reply's messages, store them with the reply's trace, then report to the conversation's actor. A model error is
 * recorded on the buffer and reported as a failure — it never reaches the customer as text.
 */
export class AiReplyWorker {
  private readonly runner = new ToolRunner();
  private readonly journal: ToolLoopJournal;
  private readonly stopping = new AbortController();

  constructor(private readonly dependencies: AiReplyWorkerDependencies) {
    this.journal = createToolLoopJournal(dependencies.prisma);
  }

  /**
   * Cuts running tool calls short (their signals are aborted): each such job fails its attempt and is retried, the
   * unfinished call running again with its idempotency key. Called when a stopping process will not wait longer.
   */
  interruptTools(): void {
    this.stopping.abort();
  }

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

    const existingReply = await findReplyIds(prisma, job.bufferId);
    if (existingReply.length > 0) {
      logger.info({ event: 'ai_reply.redelivered' }, 'reply already stored; not calling the model again');
      await actor.completeBuffer({ bufferId: job.bufferId, replyMessageIds: existingReply });
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
    const jobStartedAt = clock.now();
    const inputs = await loadPromptInputs(prisma, job);
    if (!inputs) return 'drop'; // the business is gone
    if (!inputs.business.botEnabled) {
      await actor.completeBuffer({ bufferId: job.bufferId, replyMessageIds: [] });
      return 'success';
    }

    const scope: ToolScope = { businessId: job.businessId, contactId: job.contactId, conversationId: job.conversationId };
    const tools = await loadTools(this.dependencies.toolProviders ?? [], scope, logger);
    const messages = buildReplyPrompt({
      systemPrompt: inputs.agent.systemPrompt,
      promptNotes: tools.promptNotes,
      variables: { now: clock.now(), timezone: inputs.business.timezone, businessName: inputs.business.name, contactName: inputs.contactName },
      history: inputs.history,
      burst: inputs.burst,
    });

    let loop: Awaited<ReturnType<typeof runToolLoop>>;
    try {
      loop = await runToolLoop(
        { journal: this.journal, model: this.dependencies.model, runner: this.runner, clock, logger, stopping: this.stopping.signal },
        {
          call: { ...scope, instanceId: job.instanceId, provider: inputs.provider },
          bufferId: job.bufferId,
          attempt: job.attempt,
          model: inputs.agent.model,
          messages,
          tools: tools.tools,
          maxRounds: this.dependencies.maxToolRounds ?? 5,
          ...(this.dependencies.maxOutputTokens ? { maxOutputTokens: this.dependencies.maxOutputTokens } : {}),
        },
      );
      // A reply with nothing to send may come out right next time (the empty answer is not replayed).
      if (loop.text.length === 0 && loop.sendParts.length === 0) throw new ModelError('EmptyCompletion: the model returned an empty reply', true);
    } catch (error) {
      // The adapter classifies its vendor's errors; anything else (a bug, a broken connection) is worth another try.
      const failure = error instanceof ModelError ? error : new ModelError(error instanceof Error ? error.message : String(error), true);
      const final = !failure.retryable || job.attempt >= MAX_AI_ATTEMPTS;
      logger.warn({ event: 'ai_reply.failed', reason: failure.reason, retryable: failure.retryable, final }, 'AI reply attempt failed');
      await recordBufferFailure(prisma, { bufferId: job.bufferId, attempt: job.attempt, reason: failure.reason, final, now: clock.now() });
      await actor.failBuffer({ bufferId: job.bufferId, attempt: job.attempt, reason: failure.reason, retryable: failure.retryable });
      return 'success';
    }

    const parts = await this.composeReply(loop.text, loop.sendParts, scope, logger);
    const now = clock.now();
    const trace = buildReplyTrace({
      provider: this.dependencies.model.provider,
      model: inputs.agent.model,
      loop,
      prices: this.dependencies.modelPrices ?? {},
      secrets: tools.secrets,
      firstMessageAt: new Date(job.firstMessageAt),
      jobStartedAt,
      now,
    });
    const replyMessageIds = await storeReply(prisma, { job, parts, trace, now });
    logger.info(
      {
        event: 'ai_reply.stored',
        model: inputs.agent.model,
        parts: replyMessageIds.length,
        modelCalls: loop.modelCalls.length,
        toolCalls: loop.toolCalls.length,
        totalTokens: trace.totalTokens,
        durationMs: now.getTime() - jobStartedAt.getTime(),
      },
      'AI reply stored',
    );
    await actor.completeBuffer({ bufferId: job.bufferId, replyMessageIds });
    return 'success';
  }

  /** The composed text first, then what tools asked to send; a composer that fails leaves the text as it is. */
  private async composeReply(text: string, sendParts: ReplyPart[], scope: ToolScope, logger: Logger): Promise<ReplyPart[]> {
    let composed: ReplyPart[];
    try {
      composed = text.length > 0 ? await (this.dependencies.replyComposer ?? textReplyComposer).compose(text, scope) : [];
    } catch (error) {
      logger.warn({ event: 'ai_reply.compose_failed', err: error }, 'composing the reply failed; sending its text as it is');
      composed = [{ kind: 'text', text }];
    }
    const parts = [...composed, ...sendParts];
    if (parts.length > MAX_REPLY_PARTS) {
      logger.warn({ event: 'ai_reply.too_many_parts', parts: parts.length }, `only the first ${MAX_REPLY_PARTS} messages of the reply are sent`);
    }
    // A composer that turns the whole text into nothing (an unknown shortcode alone) must not lose the reply.
    return parts.length > 0 ? parts.slice(0, MAX_REPLY_PARTS) : [{ kind: 'text', text }];
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
