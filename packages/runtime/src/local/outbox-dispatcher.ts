import { executeRawFast, Prisma, preparedMarker, queryRawFast, type PrismaClient } from '@app/db';

// Marked: named prepared statements on PostgreSQL (parsed and planned once per connection); they run on every wake-up.
const preparedMarkerSql = Prisma.raw(preparedMarker);
import type { DomainEvent } from '@app/domain';
import type { Logger } from 'pino';
import type { Clock } from '../ports/clock.ts';
import type { DeliveryOutcome } from '../ports/pub-sub.ts';

export interface OutboxMessage {
  eventId: bigint;
  topic: string;
  key: string | null;
  attempts: number;
  event: DomainEvent;
}

export interface RetryPolicy {
  /** Delay before the first retry; doubles on every further attempt. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** After this many failed attempts the event is recorded as dropped (droppedAt, lastError) and logged. */
  maxAttempts: number;
}

export interface OutboxDispatcherOptions {
  prisma: PrismaClient;
  logger: Logger;
  clock: Clock;
  group: string;
  handle(message: OutboxMessage): Promise<DeliveryOutcome | void>;
  pollIntervalMs: number;
  batchSize: number;
  /** Handlers running at once in this group (one key at a time; keys in parallel). */
  concurrency: number;
  leaseMs: number;
  retry: RetryPolicy;
  /**
   * After a claim that found only a few events (under an eighth of batchSize), wait this long before the next one
   * even if woken: under a steady stream, fewer and larger claims (each walks the group's rows) for a few ms of latency.
   */
  claimLingerMs?: number;
  /**
   * A claim whose handlers still run after this long stops holding up the group: what finished is recorded, the
   * next claim goes ahead, and the stragglers are recorded when they finish (default 1 s).
   */
  stragglerMs?: number;
  /**
   * Leases are renewed while a handler runs, but not beyond this long after the claim: a handler hung for good
   * (a call without a timeout) lets its event go to another delivery instead of holding it forever (default 15 min).
   */
  holdLimitMs?: number;
}

export const defaultRetryPolicy: RetryPolicy = { initialDelayMs: 500, maxDelayMs: 60_000, maxAttempts: 25 };

interface ClaimedRow {
  eventId: string;
  key: string | null;
  attempts: number;
  topic: string;
  payload: unknown;
}

type Result = { eventId: bigint; outcome: 'success' | 'drop' | 'released' } | { eventId: bigint; outcome: 'retry'; error: string; attempts: number };

/**
 * Works through one group's outbox_delivery rows: claims a batch under a lease (FOR UPDATE SKIP LOCKED, so
 * several processes may share a group), runs each key's events in order, keys in parallel, then records the
 * outcomes in a few statements. An event of a key that is waiting for a retry holds back that key's later events.
 * A batch whose handlers still run after `stragglerMs` (a model taking 20 s, a WhatsApp Web send the governor holds
 * for a minute) no longer holds back the group: what finished is recorded and the next claim goes ahead while the
 * stragglers run on, their leases renewed; the claim skips their keys, so order per key holds.
 */
export class OutboxDispatcher {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private wakeRequested = false;
  private endLinger: (() => void) | undefined;
  /** Claimed and not recorded yet, with when they were claimed: renewed while they wait or run. */
  private readonly held = new Map<bigint, number>();
  /** The rest of batches that outlived `stragglerMs`: running on, recorded when done. */
  private readonly stragglers = new Set<Promise<void>>();
  private renewTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: OutboxDispatcherOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.renewTimer = setInterval(() => void this.renewLeases(), Math.max(100, this.options.leaseMs / 3));
    this.renewTimer.unref();
    this.loop = this.run();
  }

  /** Stops claiming, lets in-flight handlers finish, records their outcomes and releases what did not start. */
  async stop(): Promise<void> {
    this.running = false;
    this.endLinger?.();
    this.wake();
    await this.loop;
    while (this.stragglers.size > 0) await Promise.all(this.stragglers);
    clearInterval(this.renewTimer);
  }

  /** Claims now instead of at the next poll (called after an in-process publish). */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        claimed = await this.dispatchBatch();
      } catch (error) {
        this.options.logger.error({ event: 'outbox.dispatch_failed', group: this.options.group, err: error }, 'outbox dispatch failed');
      }
      if (claimed >= this.options.batchSize) continue;
      const lingerMs = this.options.claimLingerMs ?? 0;
      if (claimed > 0 && claimed * 8 < this.options.batchSize && lingerMs > 0) await this.linger(lingerMs);
      await this.sleep(this.options.pollIntervalMs);
    }
  }

  /** A pause that wake() does not cut short (a wake-up meanwhile is kept for sleep()); stop() does. */
  private linger(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.endLinger = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.endLinger = done;
    });
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakeRequested || !this.running) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = () => {
        this.wakeRequested = false;
        done();
      };
    });
  }

  private async dispatchBatch(): Promise<number> {
    this.wakeRequested = false;
    const claimedAt = this.options.clock.now().getTime();
    const rows = await this.claim();
    if (rows.length === 0) return 0;
    for (const row of rows) this.held.set(BigInt(row.eventId), claimedAt);
    const chains = new Map<string, OutboxMessage[]>();
    for (const row of rows) {
      const message: OutboxMessage = {
        eventId: BigInt(row.eventId),
        topic: row.topic,
        key: row.key,
        attempts: row.attempts,
        event: row.payload as DomainEvent,
      };
      // Events without a key have no order to keep: each is its own chain.
      const chainKey = row.key === null ? `#${row.eventId}` : `k:${row.key}`;
      const chain = chains.get(chainKey);
      if (chain) chain.push(message);
      else chains.set(chainKey, [message]);
    }
    const results: Result[] = [];
    const queue = [...chains.values()];
    let active = 0;
    const workers = Array.from({ length: Math.min(this.options.concurrency, queue.length) }, async () => {
      for (let chain = queue.shift(); chain; chain = queue.shift()) {
        active += 1;
        await this.runChain(chain, results);
        active -= 1;
      }
    });
    const all = Promise.all(workers);
    // Only a few slow handlers are stragglers; a batch that is slow because it is big (chains still queued, most
    // slots busy) is overload, and claiming more beside it would only add contention.
    const fewStragglers = () => queue.length === 0 && active <= Math.max(1, Math.floor(this.options.concurrency / 4));
    const stragglerMs = this.options.stragglerMs ?? 1_000;
    let settled = await this.settlesWithin(all, stragglerMs);
    while (!settled && !fewStragglers()) settled = await this.settlesWithin(all, stragglerMs);
    if (settled) {
      await this.record(results);
      return rows.length;
    }
    // Stragglers: record what finished (their keys are free again) and let the next claim go ahead.
    await this.record(results.splice(0));
    const rest: Promise<void> = all
      .then(() => this.record(results.splice(0)))
      .catch((error: unknown) =>
        this.options.logger.error({ event: 'outbox.record_failed', group: this.options.group, err: error }, 'recording outbox outcomes failed'),
      )
      .finally(() => {
        this.stragglers.delete(rest);
        this.wake();
      });
    this.stragglers.add(rest);
    return rows.length;
  }

  private settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      void work.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Extends the lease of every held event, so a slow handler's event is not claimed a second time meanwhile. */
  private async renewLeases(): Promise<void> {
    const { prisma, group, clock, leaseMs, holdLimitMs = 15 * 60_000 } = this.options;
    const now = clock.now().getTime();
    const ids = [...this.held].filter(([, claimedAt]) => now - claimedAt < holdLimitMs).map(([eventId]) => String(eventId));
    if (ids.length === 0) return;
    const leaseText = new Date(now + leaseMs).toISOString();
    try {
      // lockedUntil IS NOT NULL: a row recorded meanwhile (released, retrying, dropped) is not locked again.
      await executeRawFast(
        prisma,
        Prisma.sql`UPDATE outbox_delivery SET "lockedUntil" = ${leaseText}::timestamp
        WHERE "subscriber" = ${group} AND "eventId" = ANY(${ids}::bigint[]) AND "lockedUntil" IS NOT NULL`,
      );
    } catch (error) {
      this.options.logger.warn({ event: 'outbox.lease_renewal_failed', group, err: error }, 'renewing outbox leases failed');
    }
  }

  private async runChain(chain: OutboxMessage[], results: Result[]): Promise<void> {
    let blocked = false;
    for (const message of chain) {
      if (blocked || !this.running) {
        results.push({ eventId: message.eventId, outcome: 'released' });
        continue;
      }
      const result = await this.deliver(message);
      results.push(result);
      // A retrying event holds back the rest of its key, which go back to the table untouched.
      if (result.outcome === 'retry') blocked = true;
    }
  }

  private async deliver(message: OutboxMessage): Promise<Result> {
    const { logger, group } = this.options;
    try {
      const outcome = (await this.options.handle(message)) ?? 'success';
      if (outcome === 'success') return { eventId: message.eventId, outcome };
      if (outcome === 'drop') {
        logger.warn({ event: 'outbox.event_dropped', group, topic: message.topic, eventId: message.event.id }, 'handler dropped event');
        return { eventId: message.eventId, outcome };
      }
      return { eventId: message.eventId, outcome: 'retry', error: 'handler asked for a retry', attempts: message.attempts + 1 };
    } catch (error) {
      logger.warn({ event: 'outbox.handler_failed', group, topic: message.topic, eventId: message.event.id, err: error }, 'handler failed');
      return {
        eventId: message.eventId,
        outcome: 'retry',
        error: String(error instanceof Error ? error.message : error),
        attempts: message.attempts + 1,
      };
    }
  }

  private async claim(): Promise<ClaimedRow[]> {
    const { prisma, group, batchSize, leaseMs, clock } = this.options;
    const now = clock.now();
    const nowText = now.toISOString();
    const leaseText = new Date(now.getTime() + leaseMs).toISOString();
    // One statement (outbox_claim, installed with the fan-out trigger): the group's advisory lock, then the claim on
    // a snapshot taken after it, so a replica never claims a key's next event while another replica's claim of the
    // earlier one is not yet committed. One round trip instead of BEGIN, lock, claim, COMMIT on every wake-up.
    return queryRawFast<ClaimedRow>(
      prisma,
      Prisma.sql`${preparedMarkerSql} SELECT "eventId", "key", "attempts", "topic", "payload"
      FROM outbox_claim(${group}::text, ${nowText}::timestamp, ${leaseText}::timestamp, ${batchSize}::integer)`,
    );
  }

  private async record(results: Result[]): Promise<void> {
    const { prisma, group, clock, retry, logger } = this.options;
    // No longer renewed: a renewal racing this record must not lock again a row it releases.
    for (const result of results) this.held.delete(result.eventId);
    const ids = (outcome: Result['outcome']) => results.filter((result) => result.outcome === outcome).map((result) => result.eventId);
    const succeeded = ids('success');
    // Every batch ends here: raw SQL on the pool, not the ORM's deleteMany (its client cost showed in profiles).
    if (succeeded.length > 0) {
      await executeRawFast(
        prisma,
        Prisma.sql`${preparedMarkerSql} DELETE FROM outbox_delivery WHERE "subscriber" = ${group} AND "eventId" = ANY(${succeeded.map(String)}::bigint[])`,
      );
    }
    const released = ids('released');
    if (released.length > 0) {
      await prisma.outboxDelivery.updateMany({ where: { subscriber: group, eventId: { in: released } }, data: { lockedUntil: null } });
    }
    const dropped = ids('drop');
    if (dropped.length > 0) {
      await prisma.outboxDelivery.updateMany({
        where: { subscriber: group, eventId: { in: dropped } },
        data: { droppedAt: clock.now(), lockedUntil: null, lastError: 'dropped by the handler' },
      });
    }
    for (const result of results) {
      if (result.outcome !== 'retry') continue;
      const exhausted = result.attempts >= retry.maxAttempts;
      const delay = Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** (result.attempts - 1));
      if (exhausted) {
        logger.error(
          { event: 'outbox.retries_exhausted', group, eventId: String(result.eventId), attempts: result.attempts },
          'event dropped after retries',
        );
      }
      await prisma.outboxDelivery.update({
        where: { eventId_subscriber: { eventId: result.eventId, subscriber: group } },
        data: {
          attempts: result.attempts,
          lastError: result.error.slice(0, 2_000),
          lockedUntil: null,
          nextAttemptAt: new Date(clock.now().getTime() + delay),
          ...(exhausted ? { droppedAt: clock.now() } : {}),
        },
      });
    }
  }
}
