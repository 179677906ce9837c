import type { PrismaClient } from '@app/db';
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import type { DomainEvent } from '@app/domain';
import { systemClock, type Clock } from '../ports/clock.ts';
import type { DeliveryOutcome, EventHandler, PublishOptions, PubSub, Subscription } from '../ports/pub-sub.ts';
import { requireAppToken } from './app-token.ts';
import { DaprSidecarClient } from './dapr-sidecar-client.ts';
import { DeliveryRetrySweeper, type DeliveryRetryOptions } from './delivery-retry-sweeper.ts';
import { holdDelivery } from './delivery-retry.repository.ts';

export interface DaprPubSubOptions {
  /** The Dapr pub/sub component name (e.g. 'pubsub'). */
  pubsubName: string;
  /** The sidecar's HTTP address (publishes go to `POST /v1.0/publish/...`). */
  daprHttpUrl: string;
  daprApiToken?: string;
  logger: Logger;
  clock?: Clock;
  /** Required from the sidecar on every delivery when set (APP_API_TOKEN). */
  appApiToken?: string;
  /** Told of every `GET /dapr/subscribe` (daprd's handshake): accepted, or refused for a wrong or missing app token. */
  onHandshake?: (path: string, accepted: boolean) => void;
  /** Prefix of the delivery routes (default '/dapr/events'). */
  routePrefix?: string;
  /**
   * Where deliveries a handler could not finish are kept and retried from (PostgreSQL). Without it they are
   * answered RETRY, which Dapr ≥ 1.17 on Redis Streams acknowledges without redelivery (tests of the bare adapter).
   */
  retries?: { prisma: PrismaClient } & Partial<DeliveryRetryOptions>;
}

export interface DaprPubSub extends PubSub {
  /** Mount on the app's express server: GET /dapr/subscribe and one POST route per topic. */
  router: Router;
}

const statusOf: Record<DeliveryOutcome, 'SUCCESS' | 'RETRY' | 'DROP'> = { success: 'SUCCESS', retry: 'RETRY', drop: 'DROP' };

/** Where daprd puts a message of `topic` it gave up on (after the Resiliency retries); the same groups read it. */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dead-letter`;
}

/**
 * Dapr pub/sub without the SDK's server: subscriptions are served at GET /dapr/subscribe and every delivery
 * answers an explicit `{status}` (a throwing SDK handler ACKs and loses the message, js-sdk #720). Dapr gives one
 * consumer group per app id, so groups of this process that share a topic share one route.
 *
 * Correctness never rests on Dapr redelivering (docs/adr/0015-dapr-as-it-really-behaves.md): a group whose
 * handler answers retry or throws, or a delivery that arrives while the replica stops, is kept in PostgreSQL for
 * that group and answered SUCCESS; the sweeper of any replica retries it. Only when it cannot be kept does the
 * delivery answer RETRY, left to the component's Resiliency policy, then to the topic's dead-letter topic, which
 * this app reads with the same handlers (a dead-lettered message is not left unread in a stream nobody consumes).
 */
export function createDaprPubSub(options: DaprPubSubOptions): DaprPubSub {
  const { logger, pubsubName } = options;
  const clock = options.clock ?? systemClock;
  const sidecar = new DaprSidecarClient(options);
  const prefix = options.routePrefix ?? '/dapr/events';
  const handlersByTopic = new Map<string, Map<string, EventHandler>>();
  const inFlight = new Set<Promise<unknown>>();
  const retries = options.retries;
  const sweeper = retries ? new DeliveryRetrySweeper({ ...retries, logger, clock, handlers: handlersByTopic }) : undefined;
  let stopping = false;
  const router = express.Router();
  const token = requireAppToken(options.appApiToken);
  const handshakeToken = requireAppToken(options.appApiToken, { logger, onHandshake: options.onHandshake });
  const routeOf = (topic: string) => `${prefix}/${encodeURIComponent(pubsubName)}/${encodeURIComponent(topic)}`;

  router.get('/dapr/subscribe', handshakeToken, (_request, response) => {
    response.json(
      [...handlersByTopic.keys()].flatMap((topic) => [
        { pubsubname: pubsubName, topic, route: routeOf(topic), deadLetterTopic: deadLetterTopicOf(topic) },
        // No dead-letter topic of its own: a message that fails here too ends with the component's policy.
        { pubsubname: pubsubName, topic: deadLetterTopicOf(topic), route: routeOf(topic) },
      ]),
    );
  });

  router.post(`${prefix}/:pubsub/:topic`, token, express.json({ type: () => true, limit: '16mb', strict: false }), async (request, response) => {
    const topic = String(request.params.topic);
    const handlers = handlersByTopic.get(topic);
    // 404 tells daprd to drop: nobody here handles this topic any more.
    if (!handlers || request.params.pubsub !== pubsubName) return void response.status(404).json({ status: 'DROP' });
    const event = domainEventOf(request.body);
    if (!event) {
      logger.warn({ event: 'dapr_pubsub.malformed_message', topic }, 'dropping a message without a domain event');
      return void response.status(200).json({ status: 'DROP' });
    }
    const delivery = stopping ? holdForLater(topic, event, [...handlers.keys()], 0, 'the replica was stopping') : deliver(topic, event, handlers);
    inFlight.add(delivery);
    const outcome = await delivery.finally(() => inFlight.delete(delivery));
    response.status(200).json({ status: statusOf[outcome] });
  });

  async function deliver(topic: string, event: DomainEvent, handlers: Map<string, EventHandler>): Promise<DeliveryOutcome> {
    const outcomes = await Promise.all(
      [...handlers].map(async ([group, handler]) => {
        try {
          return { group, outcome: (await handler(event)) ?? 'success', error: null };
        } catch (error) {
          logger.warn({ event: 'dapr_pubsub.handler_failed', topic, group, eventId: event.id, err: error }, 'handler failed; retry');
          return { group, outcome: 'retry' as const, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    const failed = outcomes.filter((entry) => entry.outcome === 'retry');
    if (failed.length > 0) {
      const reason = failed.map((entry) => `${entry.group}: ${entry.error ?? 'answered retry'}`).join('; ');
      return holdForLater(
        topic,
        event,
        failed.map((entry) => entry.group),
        1,
        reason,
      );
    }
    return outcomes.every((entry) => entry.outcome === 'drop') ? 'drop' : 'success';
  }

  /** Keeps the delivery for these groups and acknowledges it; RETRY (Dapr's second line) if it cannot be kept. */
  async function holdForLater(topic: string, event: DomainEvent, groups: string[], attempts: number, reason: string): Promise<DeliveryOutcome> {
    if (!retries || !sweeper) return 'retry';
    try {
      const dueAt = new Date(clock.now().getTime() + (attempts === 0 ? 0 : sweeper.backoffMs(attempts)));
      for (const subscriber of groups) {
        await holdDelivery(retries.prisma, { subscriber, topic, event, attempts, dueAt, lastError: reason });
      }
      sweeper.wake();
      return 'success';
    } catch (error) {
      logger.error(
        { event: 'dapr_pubsub.hold_failed', topic, eventId: event.id, err: error },
        'could not keep a delivery for retry; answering RETRY',
      );
      return 'retry';
    }
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
      // A failure throws (a non-2xx, or no answer in time), so the outbox keeps the event and tries again.
      await sidecar.publish(pubsubName, topic, event, publishOptions?.key ? { partitionKey: publishOptions.key } : {});
    },
    async start() {
      stopping = false;
      sweeper?.start();
    },
    async stop() {
      stopping = true;
      await Promise.allSettled([...inFlight]);
      await sweeper?.stop();
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
