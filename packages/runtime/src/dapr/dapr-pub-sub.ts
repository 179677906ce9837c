import type { DaprClient } from '@dapr/dapr';
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import type { DomainEvent } from '@app/domain';
import type { DeliveryOutcome, EventHandler, PublishOptions, PubSub, Subscription } from '../ports/pub-sub.ts';
import { requireAppToken } from './app-token.ts';

export interface DaprPubSubOptions {
  /** The Dapr pub/sub component name (e.g. 'pubsub'). */
  pubsubName: string;
  daprClient: DaprClient;
  logger: Logger;
  /** Required from the sidecar on every delivery when set (APP_API_TOKEN). */
  appApiToken?: string;
  /** Prefix of the delivery routes (default '/dapr/events'). */
  routePrefix?: string;
}

export interface DaprPubSub extends PubSub {
  /** Mount on the app's express server: GET /dapr/subscribe and one POST route per topic. */
  router: Router;
}

const statusOf: Record<DeliveryOutcome, 'SUCCESS' | 'RETRY' | 'DROP'> = { success: 'SUCCESS', retry: 'RETRY', drop: 'DROP' };

/**
 * Dapr pub/sub without the SDK's server: subscriptions are served at GET /dapr/subscribe and every delivery
 * answers an explicit `{status}` (a throwing SDK handler ACKs and loses the message, js-sdk #720). Dapr gives one
 * consumer group per app id, so groups of this process that share a topic share one route: the message is
 * retried when any of them asks for it (the others see a duplicate, which they tolerate).
 */
export function createDaprPubSub(options: DaprPubSubOptions): DaprPubSub {
  const { logger, pubsubName, daprClient } = options;
  const prefix = options.routePrefix ?? '/dapr/events';
  const handlersByTopic = new Map<string, Map<string, EventHandler>>();
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;
  const router = express.Router();
  const token = requireAppToken(options.appApiToken);
  const routeOf = (topic: string) => `${prefix}/${encodeURIComponent(pubsubName)}/${encodeURIComponent(topic)}`;

  router.get('/dapr/subscribe', token, (_request, response) => {
    response.json([...handlersByTopic.keys()].map((topic) => ({ pubsubname: pubsubName, topic, route: routeOf(topic) })));
  });

  router.post(`${prefix}/:pubsub/:topic`, token, express.json({ type: () => true, limit: '16mb', strict: false }), async (request, response) => {
    const topic = String(request.params.topic);
    const handlers = handlersByTopic.get(topic);
    // 404 tells daprd to drop: nobody here handles this topic any more.
    if (!handlers || request.params.pubsub !== pubsubName) return void response.status(404).json({ status: 'DROP' });
    if (stopping) return void response.status(200).json({ status: 'RETRY' });
    const event = domainEventOf(request.body);
    if (!event) {
      logger.warn({ event: 'dapr_pubsub.malformed_message', topic }, 'dropping a message without a domain event');
      return void response.status(200).json({ status: 'DROP' });
    }
    const delivery = deliver(topic, event, handlers);
    inFlight.add(delivery);
    const outcome = await delivery.finally(() => inFlight.delete(delivery));
    response.status(200).json({ status: statusOf[outcome] });
  });

  async function deliver(topic: string, event: DomainEvent, handlers: Map<string, EventHandler>): Promise<DeliveryOutcome> {
    const outcomes = await Promise.all(
      [...handlers].map(async ([group, handler]) => {
        try {
          return (await handler(event)) ?? 'success';
        } catch (error) {
          logger.warn({ event: 'dapr_pubsub.handler_failed', topic, group, eventId: event.id, err: error }, 'handler failed; retry');
          return 'retry' as const;
        }
      }),
    );
    if (outcomes.includes('retry')) return 'retry';
    return outcomes.every((outcome) => outcome === 'drop') ? 'drop' : 'success';
  }

  return {
    router,
    subscribe(subscription: Subscription) {
      const handlers = handlersByTopic.get(subscription.topic) ?? new Map<string, EventHandler>();
      if (handlers.has(subscription.group)) {
        throw new Error(`Group "${subscription.group}" already subscribes to "${subscription.topic}".`);
      }
      handlers.set(subscription.group, subscription.handler);
      handlersByTopic.set(subscription.topic, handlers);
    },
    async publish(topic: string, event: DomainEvent, publishOptions?: PublishOptions) {
      // The SDK returns {error} instead of throwing: turn it back into a failure, or the outbox would mark it sent.
      const result = await daprClient.pubsub.publish(pubsubName, topic, event, {
        contentType: 'application/json',
        ...(publishOptions?.key ? { metadata: { partitionKey: publishOptions.key } } : {}),
      });
      if (result.error) throw new Error(`Dapr publish to "${topic}" failed`, { cause: result.error });
    },
    async start() {
      stopping = false;
    },
    async stop() {
      stopping = true;
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** The CloudEvent's `data` is our DomainEvent (a raw-payload delivery is the event itself). */
function domainEventOf(body: unknown): DomainEvent | undefined {
  const candidate = body && typeof body === 'object' && 'specversion' in body ? (body as { data?: unknown }).data : body;
  const parsed = typeof candidate === 'string' ? safeParse(candidate) : candidate;
  if (!parsed || typeof parsed !== 'object') return undefined;
  const event = parsed as Partial<DomainEvent>;
  return typeof event.id === 'string' && typeof event.type === 'string' ? (event as DomainEvent) : undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
