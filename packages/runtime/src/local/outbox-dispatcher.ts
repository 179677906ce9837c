import { executeRawFast, Prisma, queryRawFast, type PrismaClient } from '@app/db';
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
  /** Events held at once (claimed, waiting or running, not yet recorded); also the most one claim takes. */
  batchSize: number;
  /** Handlers running at once in this group (one key at a time; keys in parallel). */
  concurrency: number;
  leaseMs: number;
  /**
   * Leases are renewed while a handler runs, but not beyond this long after the claim: a handler hung for good
   * (a call without a timeout) lets its event go to another delivery instead of holding it forever (default 15 min).
   */
  holdLimitMs?: number;
  retry: RetryPolicy;
  /**
   * After a claim that found only a few events (under an eighth of batchSize), wait this long before the next one
   * even if woken, and before recording outcomes while others of the claim still run: under a steady stream, fewer
   * and larger claims (each walks the group's rows) and records for a few ms of latency.
   */
  claimLingerMs?: number;
  /** Handlers still running this long after their claim are stragglers: the next claim does not wait for them (default 1 s). */
  stragglerMs?: number;
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
 * Works through one group's outbox_delivery rows as a pipeline: claims events under a lease (FOR UPDATE SKIP LOCKED,
 * so several processes may share a group), runs each key's events in order and keys in parallel (at most
 * `concurrency` at once), and records outcomes as they finish, coalescing what finishes meanwhile into a few
 * statements. It claims again when everything claimed is done, or when what still runs has run for `stragglerMs`:
 * one slow handler (a model that takes 20 s, a send the governor holds for a minute) never holds back the events
 * behind it for longer than that. Leases of held events are renewed while they wait or run. An event of a key that
 * is waiting for a retry holds back that key's later events (the claim skips keys with an earlier event held or
 * waiting).
 */
export class OutboxDispatcher {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private wakeRequested = false;
  private endLinger: (() => void) | undefined;
  /** Claimed and not yet being recorded, with when they were claimed: their leases are renewed while they wait or run. */
  private readonly held = new Map<bigint, number>();
  /** Claimed chains waiting for one of the `concurrency` slots. */
  private readonly queued: OutboxMessage[][] = [];
  private readonly runningChains = new Set<Promise<void>>();
  private finished: Result[] = [];
  private recording: Promise<void> | undefined;
  private renewTimer: ReturnType<typeof setInterval> | undefined;
  private lastClaimAt = 0;

  constructor(private readonly options: OutboxDispatcherOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.renewTimer = setInterval(() => void this.renewLeases(), Math.max(100, this.options.leaseMs / 3));
    this.renewTimer.unref();
    this.loop = this.run();
  }

  /** Stops claiming, lets running handlers finish, records their outcomes and releases what did not start. */
  async stop(): Promise<void> {
    this.running = false;
    this.endLinger?.();
    this.wake();
    await this.loop;
    const unstarted = this.queued.splice(0).flat();
    if (unstarted.length > 0) this.addResults(unstarted.map((message) => ({ eventId: message.eventId, outcome: 'released' as const })));
    await Promise.all(this.runningChains);
    while (this.recording) await this.recording;
    clearInterval(this.renewTimer);
  }

  /** Claims now instead of at the next poll (called after an in-process publish). */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const capacity = this.options.batchSize - this.held.size;
      let claimed = 0;
      if (this.wantsMore()) {
        try {
          claimed = await this.claimAndStart(capacity);
        } catch (error) {
          this.options.logger.error({ event: 'outbox.dispatch_failed', group: this.options.group, err: error }, 'outbox dispatch failed');
        }
        if (claimed >= capacity) continue;
      }
      const lingerMs = this.options.claimLingerMs ?? 0;
      if (claimed > 0 && claimed * 8 < this.options.batchSize && lingerMs > 0) await this.linger(lingerMs);
      // Held events: look again when the stragglers' time is up, unless their outcomes wake the loop first.
      await this.sleep(this.held.size > 0 ? Math.min(this.options.pollIntervalMs, this.stragglerMs) : this.options.pollIntervalMs);
    }
  }

  /**
   * Claims again once everything claimed is done — each claim walks the group's rows, so claiming while a batch runs
   * would cost the database a claim per event under load — or once the last claim is `stragglerMs` old: then the
   * events still running are slow ones, and they must not hold back the rest.
   */
  private wantsMore(): boolean {
    if (this.held.size >= this.options.batchSize) return false;
    return this.held.size === 0 || this.options.clock.now().getTime() - this.lastClaimAt >= this.stragglerMs;
  }

  private get stragglerMs(): number {
    return this.options.stragglerMs ?? 1_000;
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

  private async claimAndStart(limit: number): Promise<number> {
    this.wakeRequested = false;
    const claimedAt = this.options.clock.now().getTime();
    this.lastClaimAt = claimedAt;
    const rows = await this.claim(limit);
    const chains = new Map<string, OutboxMessage[]>();
    for (const row of rows) {
      const message: OutboxMessage = {
        eventId: BigInt(row.eventId),
        topic: row.topic,
        key: row.key,
        attempts: row.attempts,
        event: row.payload as DomainEvent,
      };
      this.held.set(message.eventId, claimedAt);
      // Events without a key have no order to keep: each is its own chain.
      const chainKey = row.key === null ? `#${row.eventId}` : `k:${row.key}`;
      const chain = chains.get(chainKey);
      if (chain) chain.push(message);
      else chains.set(chainKey, [message]);
    }
    this.queued.push(...chains.values());
    this.pump();
    return rows.length;
  }

  /** Starts queued chains while a concurrency slot is free. */
  private pump(): void {
    while (this.runningChains.size < this.options.concurrency && this.queued.length > 0) {
      const chain = this.queued.shift()!;
      const run: Promise<void> = this.runChain(chain)
        .then((results) => this.addResults(results))
        .finally(() => {
          this.runningChains.delete(run);
          this.pump();
        });
      this.runningChains.add(run);
    }
  }

  private async runChain(chain: OutboxMessage[]): Promise<Result[]> {
    const results: Result[] = [];
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
    return results;
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
      return { eventId: message.eventId, outcome: 'retry', error: String(error instanceof Error ? error.message : error), attempts: message.attempts + 1 };
    }
  }

  /** Outcomes are recorded by one flush at a time; what finishes during a flush goes into the next (group commit). */
  private addResults(results: Result[]): void {
    this.finished.push(...results);
    this.recording ??= this.flush();
  }

  private async flush(): Promise<void> {
    try {
      while (this.finished.length > 0) {
        // While others of the claim still run, give them a moment: one statement records what finishes meanwhile.
        const lingerMs = this.options.claimLingerMs ?? 0;
        if (lingerMs > 0 && this.runningChains.size > 0 && this.running) await new Promise((resolve) => setTimeout(resolve, lingerMs));
        const batch = this.finished;
        this.finished = [];
        // No longer renewed: a renewal racing this record must not lock again a row it releases.
        for (const result of batch) this.held.delete(result.eventId);
        try {
          await this.record(batch);
        } catch (error) {
          // The rows stay leased until the lease runs out; then they are delivered again (at least once).
          this.options.logger.error({ event: 'outbox.record_failed', group: this.options.group, err: error }, 'recording outbox outcomes failed');
        }
        // A key whose event was recorded may have its next event ready; freed capacity may take more.
        if (this.wantsMore()) this.wake();
      }
    } finally {
      this.recording = undefined;
    }
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

  private async claim(limit: number): Promise<ClaimedRow[]> {
    const { prisma, group, leaseMs, clock } = this.options;
    const now = clock.now();
    const nowText = now.toISOString();
    const leaseText = new Date(now.getTime() + leaseMs).toISOString();
    // One statement (outbox_claim, installed with the fan-out trigger): the group's advisory lock, then the claim on
    // a snapshot taken after it, so a replica never claims a key's next event while another replica's claim of the
    // earlier one is not yet committed. One round trip instead of BEGIN, lock, claim, COMMIT on every wake-up.
    return queryRawFast<ClaimedRow>(
      prisma,
      Prisma.sql`SELECT "eventId", "key", "attempts", "topic", "payload"
      FROM outbox_claim(${group}::text, ${nowText}::timestamp, ${leaseText}::timestamp, ${limit}::integer)`,
    );
  }

  private async record(results: Result[]): Promise<void> {
    const { prisma, group, clock, retry, logger } = this.options;
    const ids = (outcome: Result['outcome']) => results.filter((result) => result.outcome === outcome).map((result) => result.eventId);
    const succeeded = ids('success');
    // Every flush ends here: raw SQL on the pool, not the ORM's deleteMany (its client cost showed in profiles).
    if (succeeded.length > 0) {
      await executeRawFast(
        prisma,
        Prisma.sql`DELETE FROM outbox_delivery WHERE "subscriber" = ${group} AND "eventId" = ANY(${succeeded.map(String)}::bigint[])`,
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
        logger.error({ event: 'outbox.retries_exhausted', group, eventId: String(result.eventId), attempts: result.attempts }, 'event dropped after retries');
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
