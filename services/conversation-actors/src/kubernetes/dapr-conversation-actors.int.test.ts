import type { DomainEvent } from '@app/domain';
import { createDaprActorClient } from '@app/runtime/dapr';
import { createLogger } from '@app/runtime/service';
import { startDaprSidecarDouble, type DaprSidecarDoubleOptions } from '@app/testkit/dapr-sidecar';
import { describeConversationActorsSuite } from '../../test/conversation-actors-suite.ts';
import { loadConversationActorsKubernetesConfig } from '../config.ts';
import type { QueueStats } from '../queue-stats/queue-stats.ts';
import { serviceStatusPaths } from '@app/domain';
import { startConversationActorsService } from './start-conversation-actors-service.ts';

const tokens = { daprApiToken: 'actors-sidecar-token', appApiToken: 'actors-app-token' };

/**
 * How real daprd treats the app, one suite run each: Redis Streams on 1.17 (an unfinished delivery is acknowledged
 * and gone; reminders as 1.15.0–1.15.11 fire them, up to 1 s early) and on 1.16 (redelivered once older than
 * processingTimeout, even while the first delivery still runs). No Resiliency retries in either: the app must not
 * need them. Ten delivery workers per sidecar, as the component's default.
 */
const modes: { name: string; sidecar: DaprSidecarDoubleOptions }[] = [
  { name: 'Dapr 1.17 Redis Streams, early reminders', sidecar: { pubsub: { semantics: '1.17' }, roundReminderDueTimesDown: true } },
  {
    name: 'Dapr 1.16 Redis Streams, 2 s processingTimeout',
    sidecar: { pubsub: { semantics: '1.16', processingTimeoutMs: 2_000, redeliverIntervalMs: 250 } },
  },
];

/**
 * The Kubernetes composition itself (startConversationActorsService: Dapr actor host, Dapr pub/sub, outbox relay)
 * behind the sidecar double, which holds the actor state and reminders and delivers pub/sub as daprd does.
 */
for (const mode of modes)
  describeConversationActorsSuite(`Dapr adapters + outbox relay behind the sidecar double, ${mode.name}`, async (context) => {
    const sidecar = await startDaprSidecarDouble({
      appId: 'conversation-actors',
      apiToken: tokens.daprApiToken,
      appApiToken: tokens.appApiToken,
      duplicateReminderDeliveries: context.duplicateReminderDeliveries,
      ...mode.sidecar,
    });
    const config = loadConversationActorsKubernetesConfig({
      DATABASE_URL: context.database.url,
      DATABASE_POOL_SIZE: '4',
      PORT: '0',
      HOST: '127.0.0.1',
      DAPR_HTTP_URL: sidecar.url,
      DAPR_API_TOKEN: tokens.daprApiToken,
      APP_API_TOKEN: tokens.appApiToken,
      OPENAI_BASE_URL: context.openai.baseURL,
      OPENAI_API_KEY: 'sk-test',
      AI_MAX_RETRIES: '0',
      AI_TIMEOUT_SECONDS: '10',
    });
    const service = await startConversationActorsService({
      config,
      clock: context.clock,
      logger: createLogger({ service: 'conversation-actors-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      relay: { pollIntervalMs: 50, retry: { initialDelayMs: 100, maxDelayMs: 500 } },
      extraToolProviders: context.toolProviders,
    });
    await sidecar.connectApp(service.url);
    // With a model configured, the AI workers of this app id subscribe to ai.requests too.
    const topics = sidecar.subscriptions
      .map((entry) => entry.topic)
      .filter((topic) => !topic.endsWith('.dead-letter'))
      .sort();
    if (topics.join() !== 'ai.requests,contacts.bot-control,messages.inbound,messages.outbound')
      throw new Error(`unexpected subscriptions ${topics.join()}`);
    const published = (topic: string) => sidecar.published.filter((message) => message.topic === topic);

    return {
      actors: createDaprActorClient({ daprHttpUrl: sidecar.url, daprApiToken: tokens.daprApiToken }),
      advance(ms) {
        context.clock.advance(ms);
        sidecar.advanceTime(ms);
      },
      // The relay polls every 50 ms; nothing to wake from outside the service.
      wake: () => undefined,
      async publishedEvents(topic) {
        const seen = new Set<string>();
        const events: DomainEvent[] = [];
        for (const message of published(topic)) {
          const event = message.cloudEvent.data as DomainEvent;
          if (seen.has(event.id)) continue;
          seen.add(event.id);
          events.push(event);
        }
        return events;
      },
      async reminderDueIn(actorId, name) {
        const reminder = sidecar.reminders().find((entry) => entry.actorId === actorId && entry.name === name);
        return reminder ? reminder.dueAt - Date.now() : undefined;
      },
      async aiWorkersIdle() {
        const ids = new Set(published('ai.requests').map((message) => String(message.cloudEvent.id)));
        const finished = new Set(
          sidecar.deliveries
            .filter((delivery) => ids.has(delivery.cloudEventId) && delivery.outcome === 'SUCCESS')
            .map((delivery) => delivery.cloudEventId),
        );
        return [...ids].every((id) => finished.has(id));
      },
      async queueStats(businessId) {
        // As tenant-api asks it: service invocation through the sidecar.
        const response = await fetch(`${sidecar.url}/v1.0/invoke/conversation-actors/method/${serviceStatusPaths.queueStats(businessId)}`, {
          headers: { 'dapr-api-token': tokens.daprApiToken },
        });
        if (response.status !== 200) throw new Error(`queue stats answered ${response.status}`);
        return (await response.json()) as QueueStats;
      },
      async interrupt() {
        // daprd restarts: nothing reaches the app; publishes and reminders wait in the broker / the Scheduler.
        sidecar.disconnectApp();
        return () => sidecar.connectApp(service.url);
      },
      duplicateReminderTicks: (name) =>
        sidecar.reminderDeliveries.filter((delivery) => delivery.name === name && delivery.outcome === 'duplicate').length,
      async close() {
        await service.stop();
        await sidecar.stop();
      },
    };
  });
