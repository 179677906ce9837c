import type { DomainEvent } from '@app/domain';
import { createLocalActorHost, createLocalPubSub } from '@app/runtime/local';
import { createLogger } from '@app/runtime/service';
import { describeConversationActorsSuite, type HarnessContext } from '../test/conversation-actors-suite.ts';
import { conversationActorsConfig } from './config.ts';
import { registerConversationActors } from './register-conversation-actors.ts';

const logger = createLogger({ service: 'conversation-actors-test', level: 'silent' });

/** The standalone runtime: the local actor host (durable reminders in PostgreSQL) and the outbox pub/sub. */
function startLocalRuntime(context: HarnessContext) {
  const { prisma } = context.database;
  const pubsub = createLocalPubSub({ prisma, logger, pollIntervalMs: 50, retry: { initialDelayMs: 100, maxDelayMs: 500 } });
  const host = createLocalActorHost({
    prisma,
    logger,
    clock: context.clock,
    reminderPollIntervalMs: 100,
    duplicateReminderDeliveries: context.duplicateReminderDeliveries,
    onEventsCommitted: () => pubsub.wake(),
  });
  const service = registerConversationActors({
    host,
    pubsub,
    prisma,
    logger,
    clock: context.clock,
    config: conversationActorsConfig({
      OPENAI_BASE_URL: context.openai.baseURL,
      OPENAI_API_KEY: 'sk-test',
      AI_MAX_RETRIES: 0,
      AI_TIMEOUT_SECONDS: 10,
    }),
    extraToolProviders: context.toolProviders,
  });
  return {
    pubsub,
    host,
    service,
    async start() {
      await host.start();
      await pubsub.start();
    },
    async stop() {
      await service.stop();
      await pubsub.stop();
      await host.stop();
    },
  };
}

describeConversationActorsSuite('local actor host + local pub/sub', async (context) => {
  const { prisma } = context.database;
  let runtime = startLocalRuntime(context);
  await runtime.start();
  return {
    get actors() {
      return runtime.host;
    },
    advance: (ms) => context.clock.advance(ms),
    wake: () => runtime.pubsub.wake(),
    async publishedEvents(topic) {
      const rows = await prisma.outboxEvent.findMany({ where: { topic }, orderBy: { id: 'asc' } });
      return rows.map((row) => row.payload as unknown as DomainEvent);
    },
    async reminderDueIn(actorId, name) {
      const reminder = await prisma.actorReminder.findFirst({ where: { actorId, name } });
      return reminder ? reminder.dueAt.getTime() - context.clock.now().getTime() : undefined;
    },
    aiWorkersIdle: async () => (await prisma.outboxDelivery.count({ where: { subscriber: 'ai-workers' } })) === 0,
    queueStats: (businessId) => runtime.service.queueStats(businessId),
    async interrupt() {
      // A crash of the whole process: a new host and pub/sub over the same database take over.
      await runtime.stop();
      return async () => {
        runtime = startLocalRuntime(context);
        await runtime.start();
      };
    },
    close: () => runtime.stop(),
  };
});
