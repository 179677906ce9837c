import type { PrismaClient } from '@app/db';
import type { Logger } from 'pino';
import { KeyedQueue } from '../actors/keyed-queue.ts';
import { createTurn, jsonCopy, type TurnChanges } from '../actors/turn-context.ts';
import type { ActorContext, ActorDefinition, ActorHost } from '../ports/actor-host.ts';
import { systemClock, type Clock } from '../ports/clock.ts';
import { AppError } from '../service/app-error.ts';
import { claimDueReminders, nextReminderDueAt, recordReminderFailure, type DueReminder } from './actor-reminder.repository.ts';
import { createTurnCommitter, readActorState, type ClaimedReminderRef } from './actor-state.repository.ts';

export interface ReminderRetryPolicy {
  /** Dapr's Scheduler default: retry every 1 s, 3 times, then drop that tick. */
  intervalMs: number;
  maxRetries: number;
}

export interface LocalActorHostOptions {
  prisma: PrismaClient;
  logger: Logger;
  clock?: Clock;
  reminderRetry?: Partial<ReminderRetryPolicy>;
  /** Longest wait between looks at actor_reminder (default 1 s; reminders set in-process wake it sooner). */
  reminderPollIntervalMs?: number;
  /** A claimed reminder whose fire never finished comes due again after this (default 30 s). */
  reminderLeaseMs?: number;
  /** An activation with no call, queue or timer for this long is dropped from memory (default 30 min). */
  idleTimeoutMs?: number;
  /** Called after a turn that published events committed (wire to the local pub/sub's wake()). */
  onEventsCommitted?: () => void;
  /** Tests only: deliver every fired reminder this many extra times, as Dapr's at-least-once delivery may. */
  duplicateReminderDeliveries?: number;
}

interface Activation {
  actorType: string;
  actorId: string;
  /** Committed state values read or written by this activation. */
  cache: Map<string, unknown>;
  timers: Map<string, NodeJS.Timeout>;
  lastUsedAt: number;
}

export const defaultReminderRetry: ReminderRetryPolicy = { intervalMs: 1_000, maxRetries: 3 };

/**
 * Standalone actor host: one activation per (type, id) in this process, turn-based (a FIFO promise chain per
 * actor), every turn committed in one database transaction (state, reminders, outbox events) or discarded when
 * it throws. Durable reminders live in actor_reminder and fire at least once; timers live in memory.
 * One host per database: activations are not coordinated across processes (Dapr's placement does that).
 */
export function createLocalActorHost(options: LocalActorHostOptions): ActorHost {
  const { prisma, logger } = options;
  const clock = options.clock ?? systemClock;
  const retry: ReminderRetryPolicy = { ...defaultReminderRetry, ...options.reminderRetry };
  const pollIntervalMs = options.reminderPollIntervalMs ?? 1_000;
  const leaseMs = options.reminderLeaseMs ?? 30_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60 * 1000;
  const definitions = new Map<string, ActorDefinition>();
  const activations = new Map<string, Activation>();
  const queue = new KeyedQueue();
  // Turns of different actors finishing together are committed by one statement (group commit).
  const turns = createTurnCommitter(prisma);
  let running = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let pollAt = Number.POSITIVE_INFINITY;
  let polling: Promise<void> | undefined;
  let pollRequested = false;
  let idleTimer: NodeJS.Timeout | undefined;

  const activationKey = (actorType: string, actorId: string) => `${actorType}||${actorId}`;

  function activate(actorType: string, actorId: string): Activation {
    const key = activationKey(actorType, actorId);
    let activation = activations.get(key);
    if (!activation) {
      activation = { actorType, actorId, cache: new Map(), timers: new Map(), lastUsedAt: Date.now() };
      activations.set(key, activation);
    }
    return activation;
  }

  function definitionOf(actorType: string): ActorDefinition {
    const definition = definitions.get(actorType);
    if (!definition) throw new AppError('NOT_FOUND', `No actor type "${actorType}" is registered.`);
    return definition;
  }

  /** Runs `body` as one turn of the actor and commits what it staged. */
  function runTurn<T>(
    actorType: string,
    actorId: string,
    body: (context: ActorContext) => Promise<T>,
    fired?: { reminder: ClaimedReminderRef; superseded?: boolean },
  ): Promise<T> {
    const key = activationKey(actorType, actorId);
    return queue.run(key, async () => {
      const activation = activate(actorType, actorId);
      activation.lastUsedAt = Date.now();
      const turn = createTurn({
        actorType,
        actorId,
        clock,
        readState: async (stateKey) => {
          if (!activation.cache.has(stateKey)) {
            activation.cache.set(stateKey, await readActorState(prisma, actorType, actorId, stateKey));
          }
          return jsonCopy(activation.cache.get(stateKey));
        },
      });
      const result = await body(turn.context);
      if (turn.hasChanges() || fired) {
        const applied = await turns.commit(actorType, actorId, turn.changes, fired?.reminder);
        // A reminder set again or cleared after it was claimed: the newer registration decides, this turn never was.
        if (!applied && fired) {
          fired.superseded = true;
          return jsonCopy(result);
        }
      }
      afterCommit(activation, turn.changes);
      activation.lastUsedAt = Date.now();
      return jsonCopy(result);
    });
  }

  function afterCommit(activation: Activation, changes: TurnChanges): void {
    for (const [stateKey, change] of changes.state) activation.cache.set(stateKey, change === null ? undefined : change.value);
    for (const [name, timer] of changes.timers) {
      clearTimeout(activation.timers.get(name));
      activation.timers.delete(name);
      if (timer) armTimer(activation, name, timer.dueAt, timer.data);
    }
    for (const reminder of changes.reminders.values()) if (reminder) schedulePoll(reminder.dueAt.getTime() - clock.now().getTime());
    if (changes.events.length > 0) options.onEventsCommitted?.();
  }

  function armTimer(activation: Activation, name: string, dueAt: Date, data: unknown): void {
    if (!running) return;
    const delay = Math.max(0, dueAt.getTime() - clock.now().getTime());
    const timeout = setTimeout(() => {
      activation.timers.delete(name);
      const { actorType, actorId } = activation;
      runTurn(actorType, actorId, (context) => definitionOf(actorType).onReminder(context, name, data)).catch((error: unknown) =>
        logger.warn({ event: 'actor.timer_failed', actorType, actorId, timer: name, err: error }, 'actor timer failed; it is not retried'),
      );
    }, delay);
    activation.timers.set(name, timeout);
  }

  function schedulePoll(delayMs: number): void {
    if (!running) return;
    const at = Date.now() + Math.max(0, Math.min(delayMs, pollIntervalMs));
    if (pollTimer && at >= pollAt) return;
    clearTimeout(pollTimer);
    pollAt = at;
    pollTimer = setTimeout(() => {
      pollTimer = undefined;
      pollAt = Number.POSITIVE_INFINITY;
      if (polling) {
        pollRequested = true;
        return;
      }
      polling = pollReminders().finally(() => {
        polling = undefined;
        if (pollRequested) {
          pollRequested = false;
          schedulePoll(0);
        }
      });
    }, at - Date.now());
  }

  async function pollReminders(): Promise<void> {
    const types = [...definitions.keys()];
    try {
      for (;;) {
        const now = clock.now();
        const due = await claimDueReminders(prisma, types, now, new Date(now.getTime() + leaseMs), 100);
        await Promise.all(due.map(fireReminder));
        if (due.length < 100 || !running) break;
      }
      const next = await nextReminderDueAt(prisma, types);
      schedulePoll(next ? next.getTime() - clock.now().getTime() : pollIntervalMs);
    } catch (error) {
      logger.error({ event: 'actor.reminder_poll_failed', err: error }, 'reminder poll failed');
      schedulePoll(pollIntervalMs);
    }
  }

  async function fireReminder(reminder: DueReminder): Promise<void> {
    const { actorType, actorId, name, data } = reminder;
    const definition = definitionOf(actorType);
    try {
      // Whether it is still current (not set again or cleared since it was claimed) is checked when the turn commits.
      const fired = { reminder: { name, version: reminder.version }, superseded: false };
      await runTurn(actorType, actorId, (context) => definition.onReminder(context, name, data), fired);
      if (fired.superseded) return;
      for (let copy = 0; copy < (options.duplicateReminderDeliveries ?? 0); copy++) {
        await runTurn(actorType, actorId, (context) => definition.onReminder(context, name, data));
      }
    } catch (error) {
      const retryAt = reminder.attempts < retry.maxRetries ? new Date(clock.now().getTime() + retry.intervalMs) : null;
      const logFields = { event: 'actor.reminder_failed', actorType, actorId, reminder: name, attempt: reminder.attempts + 1, err: error };
      if (retryAt) logger.warn(logFields, 'reminder failed; retrying');
      else logger.error({ ...logFields, event: 'actor.reminder_dropped' }, 'reminder failed; retries used up, tick dropped');
      await recordReminderFailure(prisma, reminder, retryAt);
      if (retryAt) schedulePoll(retry.intervalMs);
    }
  }

  function deactivateIdle(): void {
    const cutoff = Date.now() - idleTimeoutMs;
    for (const [key, activation] of activations) {
      if (activation.lastUsedAt < cutoff && activation.timers.size === 0 && !queue.isBusy(key)) activations.delete(key);
    }
  }

  return {
    register(definition) {
      if (definitions.has(definition.type)) throw new Error(`Actor type "${definition.type}" is already registered.`);
      definitions.set(definition.type, definition);
      if (running) schedulePoll(0);
    },

    invoke<TResult>(actorType: string, actorId: string, method: string, argument?: unknown): Promise<TResult> {
      const handler = definitionOf(actorType).methods[method];
      if (!handler) return Promise.reject(new AppError('NOT_FOUND', `Actor type "${actorType}" has no method "${method}".`));
      const input = jsonCopy(argument);
      return runTurn(actorType, actorId, (context) => handler(context, input)) as Promise<TResult>;
    },

    async start() {
      if (running) return;
      running = true;
      // Reminders that came due while the process was down fire now.
      schedulePoll(0);
      idleTimer = setInterval(deactivateIdle, Math.min(idleTimeoutMs, 60_000));
      idleTimer.unref();
    },

    async stop() {
      running = false;
      clearTimeout(pollTimer);
      pollTimer = undefined;
      clearInterval(idleTimer);
      for (const activation of activations.values()) for (const timer of activation.timers.values()) clearTimeout(timer);
      await polling;
      await queue.drain();
      activations.clear();
    },
  };
}
