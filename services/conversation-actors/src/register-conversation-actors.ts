import type { PrismaClient, SecretBox } from '@app/db';
import { Topics, type AgentTestRunRequest, type AgentTestRunResult, type ToolProvider } from '@app/domain';
import type { ActorHost, Clock, EventSubscriber } from '@app/runtime/ports';
import type { HttpToolCaller } from '@app/runtime/providers';
import type { Logger } from '@app/runtime/service';
import OpenAI from 'openai';
import { createAgentTestRunner, type AgentTestRunner } from './ai/agent-tests/run-agent-tests.ts';
import { AiReplyWorker } from './ai/ai-reply-worker.ts';
import { aiStatusFor, type AiStatus } from './ai/ai-status.ts';
import { ConcurrencyLimiter } from './ai/concurrency-limiter.ts';
import { createOpenAiChatModel } from './ai/model/openai-chat-model.ts';
import { startReplyTracePruning } from './ai/reply-trace-retention.ts';
import { createReplyComposer } from './ai/tools/files/reply-composer.ts';
import { createToolProviders } from './ai/tools/tool-providers.ts';
import { aiJobTimeoutSeconds, aiLeaseMs, modelPrices, type ConversationActorsConfig } from './config.ts';
import { createConversationActorDefinition } from './conversation/conversation-actor.definition.ts';
import { getQueueStats, type QueueStats } from './queue-stats/queue-stats.ts';
import { botToggledSubscription } from './subscriptions/bot-toggled.subscription.ts';
import { BufferSettingsCache } from './subscriptions/buffer-settings.cache.ts';
import { inboundMessageSubscription } from './subscriptions/inbound-message.subscription.ts';
import { sendCancelledSubscription } from './subscriptions/send-cancelled.subscription.ts';
import { voucherIntakeSubscription } from './subscriptions/voucher-intake.subscription.ts';

export const AI_WORKERS_GROUP = 'ai-workers';

export interface ConversationActorsDependencies {
  /** Where the ConversationActor is hosted and how it is called (local host, or the Dapr adapter). */
  host: Pick<ActorHost, 'register' | 'invoke'>;
  pubsub: EventSubscriber;
  prisma: PrismaClient;
  logger: Logger;
  clock: Clock;
  config: ConversationActorsConfig;
  /**
   * When an ai.requests delivery is acknowledged: once answered (the standalone outbox redelivers a job whose
   * process died), or once its buffer is taken durably (Dapr: a delivery held for a model call blocks the
   * component's few delivery workers and is delivered again after processingTimeout; the actor's ai-timeout
   * covers a replica that dies mid-call).
   */
  acknowledgeAiJobs?: 'when-answered' | 'when-taken';
  /** The businesses' HTTP tools (createToolProviders): the key that opens their header values and the caller; absent → none. */
  httpTools?: { credentials: SecretBox; caller: HttpToolCaller };
  /** Sources of tools after the platform's own (createToolProviders): an embedding application's, the AI benchmark's. */
  extraToolProviders?: readonly ToolProvider[];
}

export interface ConversationActorsService {
  /** Whether AI replies run, and if not, why (for the API status and logs). */
  aiStatus(): AiStatus;
  /** GET /api/agent/queue-stats for one business. */
  queueStats(businessId: string): Promise<QueueStats>;
  /** POST /api/agent/tests/run: the business's test cases in the sandbox (fails while AI replies are off). */
  runAgentTests(request: AgentTestRunRequest): Promise<AgentTestRunResult>;
  /** Stops taking AI jobs and waits (bounded) for the running ones. */
  stop(): Promise<void>;
}

const stopWaitMs = 15_000;

/**
 * Registers the ConversationActor and the service's subscriptions on the given ports. No side effects on import;
 * the composition root (standalone launcher or the Kubernetes main) starts the host and the pub/sub afterwards.
 *
 * With no model configured the AI worker is not started and the actor drops each burst when it flushes: messages
 * are stored and buffered as always, no AI job is queued (none would pile up for a later model to answer).
 */
export function registerConversationActors(dependencies: ConversationActorsDependencies): ConversationActorsService {
  const { host, pubsub, prisma, clock, config } = dependencies;
  const logger = dependencies.logger.child({ component: 'conversation-actors' });
  const status = aiStatusFor(config);
  const limiter = new ConcurrencyLimiter(config.WORKER_CONCURRENCY, config.WORKER_CONCURRENCY * 10);
  let stopping = false;
  let pruning: { stop(): void } | undefined;
  let runningWorker: AiReplyWorker | undefined;
  let testRunner: AgentTestRunner | undefined;

  host.register(createConversationActorDefinition({ aiEnabled: status.enabled, aiJobTimeoutSeconds: aiJobTimeoutSeconds(config) }));
  const settings = new BufferSettingsCache(prisma, clock, config.AGENT_CONFIG_CACHE_SECONDS);
  pubsub.subscribe(inboundMessageSubscription({ actors: host, settings, logger }));
  pubsub.subscribe(botToggledSubscription({ prisma, actors: host, logger }));
  pubsub.subscribe(sendCancelledSubscription({ prisma, clock, logger }));
  pubsub.subscribe(voucherIntakeSubscription({ prisma, clock, logger }));

  if (status.enabled) {
    const requestTimeoutMs = config.AI_TIMEOUT_SECONDS * 1000;
    const openai = new OpenAI({
      // A local OpenAI-compatible server usually needs no key; the client insists on one.
      apiKey: config.OPENAI_API_KEY ?? 'not-needed',
      baseURL: config.OPENAI_BASE_URL,
      timeout: requestTimeoutMs,
      maxRetries: config.AI_MAX_RETRIES,
    });
    const toolDependencies = { prisma, clock, logger, ...(dependencies.httpTools ? { httpTools: dependencies.httpTools } : {}) };
    const model = createOpenAiChatModel({ client: openai, requestTimeoutMs, maxRetries: config.AI_MAX_RETRIES });
    const toolProviders = [...createToolProviders(toolDependencies), ...(dependencies.extraToolProviders ?? [])];
    testRunner = createAgentTestRunner({
      prisma,
      model,
      clock,
      logger,
      toolProviders,
      maxToolRounds: config.AI_TOOL_ROUNDS,
      maxOutputTokens: config.AI_MAX_OUTPUT_TOKENS,
    });
    const worker = new AiReplyWorker({
      prisma,
      actors: host,
      model,
      clock,
      logger,
      leaseMs: aiLeaseMs(config),
      toolProviders,
      replyComposer: createReplyComposer({ prisma, logger }),
      maxToolRounds: config.AI_TOOL_ROUNDS,
      maxOutputTokens: config.AI_MAX_OUTPUT_TOKENS,
      modelPrices: modelPrices(config),
    });
    runningWorker = worker;
    // Wherever AI workers run (the standalone process, each conversation-actors replica): deletes are idempotent.
    pruning = startReplyTracePruning({ prisma, clock, logger, retentionDays: config.REPLY_TRACE_RETENTION_DAYS });
    const whenTaken = dependencies.acknowledgeAiJobs === 'when-taken';
    pubsub.subscribe({
      topic: Topics.aiRequests,
      group: AI_WORKERS_GROUP,
      handler: async (event) => {
        if (stopping || !limiter.hasRoom()) return 'retry'; // the queue is full: retried later
        if (!whenTaken) return limiter.tryRun(() => worker.handle(event)) ?? 'retry';
        const taken = await worker.take(event);
        if (!taken.answer) return taken.outcome;
        const answering = limiter.tryRun(taken.answer);
        if (!answering) {
          await worker.giveBack(event);
          return 'retry';
        }
        answering.catch((error: unknown) =>
          logger.warn(
            { event: 'ai_reply.answer_failed', eventId: event.id, err: error },
            'AI job failed; the actor re-requests it after its timeout',
          ),
        );
        return taken.outcome;
      },
    });
    logger.info({ event: 'ai.enabled', endpoint: status.endpoint, concurrency: status.concurrency }, 'AI replies are on');
  } else {
    logger.warn({ event: 'ai.disabled', reason: status.reason }, `AI replies are off until a model is configured. ${status.reason}`);
  }

  return {
    aiStatus: () => status,
    queueStats: (businessId) => getQueueStats(prisma, businessId, limiter.stats(), clock.now()),
    runAgentTests: async (request) => {
      if (!testRunner) throw new Error(`agent tests need AI replies, which are off: ${status.enabled ? '' : status.reason}`);
      return testRunner.run(request);
    },
    stop: async () => {
      stopping = true;
      pruning?.stop();
      const waited = (ms: number) => new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), ms).unref());
      if ((await Promise.race([limiter.idle(), waited(stopWaitMs)])) !== 'waited') return;
      // Jobs still running: tool calls are cut short so their attempts fail now and are retried, not lost mid-call.
      runningWorker?.interruptTools();
      await Promise.race([limiter.idle(), waited(2_000)]);
    },
  };
}
