import type { PrismaClient } from '@app/db';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../ports/clock.ts';
import type { EventPublisher } from '../ports/pub-sub.ts';
import { defaultRetryPolicy, OutboxDispatcher, type RetryPolicy } from './outbox-dispatcher.ts';
import { installOutboxFanOut, pruneOutbox, registerOutboxSubscriber } from './outbox-fan-out.ts';

export interface OutboxRelayOptions {
  prisma: PrismaClient;
  logger: Logger;
  /** Where events go: in Kubernetes, `createDaprPubSub(...)` (DaprClient → the sidecar's publish API). */
  publisher: EventPublisher;
  clock?: Clock;
  /** The outbox group of the relay (default 'dapr-relay'); all replicas share it. */
  group?: string;
  pollIntervalMs?: number;
  batchSize?: number;
  concurrency?: number;
  leaseMs?: number;
  retry?: Partial<RetryPolicy>;
  retentionMs?: number;
}

export interface OutboxRelay {
  start(): Promise<void>;
  stop(): Promise<void>;
  wake(): void;
}

/**
 * Kubernetes-mode delivery of the same outbox: every event of every topic is published to Dapr pub/sub, at
 * least once, in order per key, and its delivery row deleted once the sidecar accepted it. Replicas share the
 * work through FOR UPDATE SKIP LOCKED claims with a lease.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const clock = options.clock ?? systemClock;
  const group = options.group ?? 'dapr-relay';
  const retentionMs = options.retentionMs ?? 24 * 60 * 60 * 1000;
  let pruneTimer: NodeJS.Timeout | undefined;
  const dispatcher = new OutboxDispatcher({
    prisma: options.prisma,
    logger: options.logger,
    clock,
    group,
    handle: async (message) => {
      await options.publisher.publish(message.topic, message.event, message.key ? { key: message.key } : undefined);
      return 'success';
    },
    pollIntervalMs: options.pollIntervalMs ?? 100,
    batchSize: options.batchSize ?? 256,
    concurrency: options.concurrency ?? 32,
    leaseMs: options.leaseMs ?? 60_000,
    retry: { ...defaultRetryPolicy, maxAttempts: Number.MAX_SAFE_INTEGER, ...options.retry },
  });
  return {
    async start() {
      await installOutboxFanOut(options.prisma);
      await registerOutboxSubscriber(options.prisma, group, ['*']);
      dispatcher.start();
      pruneTimer = setInterval(() => {
        pruneOutbox(options.prisma, new Date(clock.now().getTime() - retentionMs)).catch((error: unknown) =>
          options.logger.warn({ event: 'outbox.prune_failed', err: error }, 'outbox prune failed'),
        );
      }, 60_000);
      pruneTimer.unref();
    },
    async stop() {
      if (pruneTimer) clearInterval(pruneTimer);
      await dispatcher.stop();
    },
    wake: () => dispatcher.wake(),
  };
}
