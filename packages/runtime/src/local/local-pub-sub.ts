import { enqueueEvent, type PrismaClient } from '@app/db';
import type { DomainEvent } from '@app/domain';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../ports/clock.ts';
import type { EventHandler, PublishOptions, PubSub, Subscription } from '../ports/pub-sub.ts';
import { defaultRetryPolicy, OutboxDispatcher, type RetryPolicy } from './outbox-dispatcher.ts';
import { installOutboxFanOut, pruneOutbox, registerOutboxSubscriber } from './outbox-fan-out.ts';

export interface LocalPubSubOptions {
  prisma: PrismaClient;
  logger: Logger;
  clock?: Clock;
  /** How often an idle group looks for events written by other transactions (default 100 ms). */
  pollIntervalMs?: number;
  /** Events claimed per round trip (default 256). */
  batchSize?: number;
  /** Handlers running at once per group (default 32). */
  concurrency?: number;
  /** Per-group override of `concurrency` (the AI workers run as many jobs at once as WORKER_CONCURRENCY). */
  groupConcurrency?: Record<string, number>;
  /** A claimed event's lease, renewed while it waits or runs: another process takes it only after this one died (default 60 s). */
  leaseMs?: number;
  /** Leases stop being renewed this long after the claim, so a hung handler's event is delivered again (default 15 min). */
  holdLimitMs?: number;
  retry?: Partial<RetryPolicy>;
  /** After a small claim, how long a group waits before the next one (default 4 ms; see OutboxDispatcherOptions). */
  claimLingerMs?: number;
  /** Handled events are deleted from outbox_event after this long (default 24 h). */
  retentionMs?: number;
}

export interface LocalPubSub extends PubSub {
  /** Makes idle groups claim now: call it after committing a transaction that enqueued events. */
  wake(): void;
}

/**
 * Standalone pub/sub over the transactional outbox: publish() (and any service's enqueueEvent) writes to
 * outbox_event; a database trigger fans each event out to every subscribed group (outbox_delivery); one
 * dispatcher per group delivers at least once, in order per key, with exponential backoff on 'retry'/throw.
 */
export function createLocalPubSub(options: LocalPubSubOptions): LocalPubSub {
  const clock = options.clock ?? systemClock;
  const handlersByGroup = new Map<string, Map<string, EventHandler>>();
  const dispatchers = new Map<string, OutboxDispatcher>();
  let started = false;
  let pruneTimer: NodeJS.Timeout | undefined;
  const retentionMs = options.retentionMs ?? 24 * 60 * 60 * 1000;

  function createDispatcher(group: string, handlers: Map<string, EventHandler>): OutboxDispatcher {
    return new OutboxDispatcher({
      prisma: options.prisma,
      logger: options.logger,
      clock,
      group,
      handle: async (message) => {
        const handler = handlers.get(message.topic);
        // Rows of a topic this process no longer handles stay until a handler for it comes back.
        if (!handler) return 'retry';
        return handler(message.event);
      },
      pollIntervalMs: options.pollIntervalMs ?? 100,
      batchSize: options.batchSize ?? 256,
      concurrency: options.groupConcurrency?.[group] ?? options.concurrency ?? 32,
      leaseMs: options.leaseMs ?? 60_000,
      ...(options.holdLimitMs !== undefined ? { holdLimitMs: options.holdLimitMs } : {}),
      retry: { ...defaultRetryPolicy, ...options.retry },
      claimLingerMs: options.claimLingerMs ?? 4,
    });
  }

  async function startGroup(group: string, handlers: Map<string, EventHandler>): Promise<void> {
    await registerOutboxSubscriber(options.prisma, group, [...handlers.keys()]);
    // Standalone runs one process per database: a lease still held belongs to a previous run that died, and would
    // hold back that key's later events until it expired.
    await options.prisma.outboxDelivery.updateMany({ where: { subscriber: group, lockedUntil: { not: null } }, data: { lockedUntil: null } });
    const dispatcher = createDispatcher(group, handlers);
    dispatchers.set(group, dispatcher);
    dispatcher.start();
  }

  async function prune(): Promise<void> {
    try {
      await pruneOutbox(options.prisma, new Date(clock.now().getTime() - retentionMs));
    } catch (error) {
      options.logger.warn({ event: 'outbox.prune_failed', err: error }, 'outbox prune failed');
    }
  }

  return {
    subscribe(subscription: Subscription) {
      const handlers = handlersByGroup.get(subscription.group) ?? new Map<string, EventHandler>();
      if (handlers.has(subscription.topic)) {
        throw new Error(`Group "${subscription.group}" already subscribes to "${subscription.topic}".`);
      }
      if (started && handlersByGroup.has(subscription.group)) {
        throw new Error(`Group "${subscription.group}" is running: subscribe all its topics before start().`);
      }
      handlers.set(subscription.topic, subscription.handler);
      handlersByGroup.set(subscription.group, handlers);
      if (started) {
        startGroup(subscription.group, handlers).catch((error: unknown) =>
          options.logger.error({ event: 'outbox.subscribe_failed', group: subscription.group, err: error }, 'subscribe failed'),
        );
      }
    },

    async publish(topic: string, event: DomainEvent, publishOptions?: PublishOptions) {
      await options.prisma.$transaction((transaction) => enqueueEvent(transaction, topic, event, publishOptions));
      for (const dispatcher of dispatchers.values()) dispatcher.wake();
    },

    wake() {
      for (const dispatcher of dispatchers.values()) dispatcher.wake();
    },

    async start() {
      if (started) return;
      started = true;
      await installOutboxFanOut(options.prisma);
      for (const [group, handlers] of handlersByGroup) await startGroup(group, handlers);
      pruneTimer = setInterval(() => void prune(), 60_000);
      pruneTimer.unref();
    },

    async stop() {
      started = false;
      if (pruneTimer) clearInterval(pruneTimer);
      await Promise.all([...dispatchers.values()].map((dispatcher) => dispatcher.stop()));
      dispatchers.clear();
    },
  };
}
