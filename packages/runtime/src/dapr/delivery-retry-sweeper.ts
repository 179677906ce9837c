import type { PrismaClient } from '@app/db';
import type { Logger } from 'pino';
import type { Clock } from '../ports/clock.ts';
import type { EventHandler } from '../ports/pub-sub.ts';
import { claimHeldDeliveries, recordHeldDeliveryFailure, releaseHeldDelivery, type HeldDelivery } from './delivery-retry.repository.ts';

export interface DeliveryRetryOptions {
  /** How often the sweeper looks for due deliveries when nothing woke it (default 1 s). */
  pollIntervalMs: number;
  /** Attempts of one group before the delivery is kept as dropped (default 20: about 1.5 h with the backoff). */
  maxAttempts: number;
  /** Backoff: 1 s, 2 s, 4 s … capped here (default 5 min). */
  maxBackoffMs: number;
  /** A claimed delivery is this replica's until then (default 2 min). */
  leaseMs: number;
  batchSize: number;
}

export interface DeliveryRetrySweeperOptions extends Partial<DeliveryRetryOptions> {
  prisma: PrismaClient;
  logger: Logger;
  clock: Clock;
  /** The live subscription table of the pub/sub adapter: topic → group → handler. */
  handlers: Map<string, Map<string, EventHandler>>;
}

/**
 * Runs the deliveries the Dapr pub/sub adapter kept for later (pubsub_retry) through the same handlers, with
 * backoff, on whichever replica claims them first. Handlers are idempotent already (Dapr delivers at least once).
 */
export class DeliveryRetrySweeper {
  private readonly settings: DeliveryRetryOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private again = false;

  constructor(private readonly options: DeliveryRetrySweeperOptions) {
    this.settings = {
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
      maxAttempts: options.maxAttempts ?? 20,
      maxBackoffMs: options.maxBackoffMs ?? 300_000,
      leaseMs: options.leaseMs ?? 120_000,
      batchSize: options.batchSize ?? 32,
    };
  }

  backoffMs(attempts: number): number {
    return Math.min(1_000 * 2 ** Math.max(0, attempts - 1), this.settings.maxBackoffMs);
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.sweep().finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        this.schedule(this.again ? 0 : this.settings.pollIntervalMs);
        this.again = false;
      });
    }, delayMs);
    this.timer.unref();
  }

  private async sweep(): Promise<void> {
    const { prisma, logger, clock } = this.options;
    const routes = [...this.options.handlers].flatMap(([topic, groups]) => [...groups.keys()].map((subscriber) => ({ topic, subscriber })));
    try {
      for (;;) {
        const now = clock.now();
        const claimed = await claimHeldDeliveries(prisma, routes, now, new Date(now.getTime() + this.settings.leaseMs), this.settings.batchSize);
        await Promise.all(claimed.map((delivery) => this.retry(delivery)));
        if (claimed.length < this.settings.batchSize || this.stopped) return;
      }
    } catch (error) {
      logger.warn({ event: 'dapr_pubsub.retry_sweep_failed', err: error }, 'retry sweep failed; trying again later');
    }
  }

  private async retry(delivery: HeldDelivery): Promise<void> {
    const { prisma, logger, clock } = this.options;
    const handler = this.options.handlers.get(delivery.topic)?.get(delivery.subscriber);
    let failure: string | null = null;
    try {
      const outcome = handler ? ((await handler(delivery.event)) ?? 'success') : 'drop';
      if (outcome === 'retry') failure = 'answered retry';
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    const context = { topic: delivery.topic, group: delivery.subscriber, eventId: delivery.eventId, attempts: delivery.attempts + 1 };
    if (failure === null) {
      await releaseHeldDelivery(prisma, delivery);
      logger.info({ event: 'dapr_pubsub.retry_handled', ...context }, 'kept delivery handled');
      return;
    }
    const exhausted = delivery.attempts + 1 >= this.settings.maxAttempts;
    const now = clock.now();
    await recordHeldDeliveryFailure(
      prisma,
      delivery,
      exhausted ? null : new Date(now.getTime() + this.backoffMs(delivery.attempts + 1)),
      failure,
      now,
    );
    if (exhausted) logger.error({ event: 'dapr_pubsub.retry_dropped', ...context, reason: failure }, 'kept delivery dropped after its last attempt');
  }
}
