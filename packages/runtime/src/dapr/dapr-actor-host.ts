import type { Router } from 'express';
import type { Logger } from 'pino';
import { KeyedQueue } from '../actors/keyed-queue.ts';
import { createTurn, jsonCopy, type StagedEvent, type TurnChanges } from '../actors/turn-context.ts';
import type { ActorContext, ActorDefinition, ActorHost } from '../ports/actor-host.ts';
import { systemClock, type Clock } from '../ports/clock.ts';
import type { EventPublisher } from '../ports/pub-sub.ts';
import { createDaprActorClient } from './dapr-actor-client.ts';
import { createDaprActorRouter } from './dapr-actor-router.ts';
import { DaprSidecarClient, SidecarError, type ActorStateOperation } from './dapr-sidecar-client.ts';

export interface DaprActorHostOptions {
  daprHttpUrl: string;
  /** Sent to the sidecar (DAPR_API_TOKEN). */
  daprApiToken?: string;
  /** Required from the sidecar on every app call when set (APP_API_TOKEN). */
  appApiToken?: string;
  /** Where the events a turn publishes go, after the turn committed (createDaprPubSub). */
  publisher: EventPublisher;
  logger: Logger;
  clock?: Clock;
  /** Sent in /dapr/config (Go durations, never days). */
  actorIdleTimeout?: string;
  /** At most 3 s: daprd's placement dissemination gives up after 5 s (docs/adr/0015-dapr-as-it-really-behaves.md). */
  drainOngoingCallTimeout?: string;
  /** Told of every `GET /dapr/config` (daprd's handshake): accepted, or refused for a wrong or missing app token. */
  onHandshake?: (path: string, accepted: boolean) => void;
}

export interface DaprActorHost extends ActorHost {
  /** Mount on the app's express server: /dapr/config and the /actors/... callbacks daprd makes. */
  router: Router;
}

/** Effects of a committed turn that still have to reach the sidecar; kept in actor state until applied. */
export interface PendingEffects {
  reminders: { name: string; dueAt: string | null; data: unknown }[];
  timers: { name: string; dueAt: string | null; data: unknown }[];
  events: StagedEvent[];
}

/** Reserved state key of the adapter (actors must not use it). */
export const pendingEffectsKey = '_pendingEffects';

/**
 * Reserved method and timer name: a turn that does nothing but apply the effects an earlier turn could not. The
 * method is called from this process; the timer lives in daprd's memory (no Scheduler needed) and outlives it.
 */
const applyPendingEffects = '_applyPendingEffects';

const effectsRetryMaxDelayMs = 30_000;
const effectsTimerPeriodMs = 2_000;

/** What we register with the sidecar as reminder/timer data: the name travels with it (the SDK drops it). */
export interface ScheduledPayload {
  name: string;
  data: unknown;
}

/**
 * Kubernetes-mode actor host: our own thin adapter over daprd's HTTP contract instead of the SDK's actor runtime
 * (docs/adr/0001-actor-hosting.md). daprd provides placement and its turn lock; we keep a FIFO lock per actor too,
 * commit each turn as ONE actor-state transaction that also records the turn's reminders, timers and events as
 * pending effects, then apply those effects and clear them. A crash in between re-applies them before the actor's
 * next turn, wherever it runs.
 *
 * Nothing is cached across turns (docs/adr/0015-dapr-as-it-really-behaves.md): a restarted daprd or a lost
 * `DELETE /actors/...` would otherwise let a turn start from state older than what the actor committed on another
 * pod. Each turn reads the keys it uses and the pending-effects key from the sidecar (one GET each).
 */
export function createDaprActorHost(options: DaprActorHostOptions): DaprActorHost {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const sidecar = new DaprSidecarClient(options);
  const client = createDaprActorClient(options);
  const definitions = new Map<string, ActorDefinition>();
  const queue = new KeyedQueue();
  const effectRetries = new Map<string, NodeJS.Timeout>();
  let stopped = false;

  async function applyEffects(actorType: string, actorId: string, effects: PendingEffects): Promise<void> {
    for (const reminder of effects.reminders) {
      if (reminder.dueAt === null) await ignoreNotFound(sidecar.deleteReminder(actorType, actorId, reminder.name));
      else {
        const payload: ScheduledPayload = { name: reminder.name, data: reminder.data };
        await sidecar.setReminder(actorType, actorId, reminder.name, new Date(reminder.dueAt), payload);
      }
    }
    for (const timer of effects.timers) {
      if (timer.dueAt === null) await ignoreNotFound(sidecar.deleteTimer(actorType, actorId, timer.name));
      else {
        const payload: ScheduledPayload = { name: timer.name, data: timer.data };
        await sidecar.setTimer(actorType, actorId, timer.name, Date.parse(timer.dueAt) - clock.now().getTime(), payload);
      }
    }
    for (const staged of effects.events) {
      await options.publisher.publish(staged.topic, staged.event, staged.key ? { key: staged.key } : undefined);
    }
  }

  async function flushLeftEffects(actorType: string, actorId: string): Promise<void> {
    const left = (await sidecar.getState(actorType, actorId, pendingEffectsKey)) as PendingEffects | undefined;
    if (!left) return;
    logger.info({ event: 'dapr_actor.reapplying_effects', actorType, actorId }, 'reapplying effects of an interrupted turn');
    await applyEffects(actorType, actorId, left);
    await sidecar.saveState(actorType, actorId, [{ operation: 'delete', request: { key: pendingEffectsKey } }]);
    await ignoreNotFound(sidecar.deleteTimer(actorType, actorId, applyPendingEffects)).catch((error: unknown) =>
      logger.warn({ event: 'dapr_actor.effects_timer_not_cleared', actorType, actorId, err: error }, 'effects timer left; its ticks change nothing'),
    );
  }

  function runTurn<T>(actorType: string, actorId: string, body: (context: ActorContext) => Promise<T>): Promise<T> {
    return queue.run(`${actorType}||${actorId}`, async () => {
      await flushLeftEffects(actorType, actorId);
      // Read once per turn: a turn sees its own reads consistently, the next turn reads what was committed.
      const reads = new Map<string, unknown>();
      const turn = createTurn({
        actorType,
        actorId,
        clock,
        readState: async (stateKey) => {
          if (!reads.has(stateKey)) reads.set(stateKey, await sidecar.getState(actorType, actorId, stateKey));
          return jsonCopy(reads.get(stateKey));
        },
      });
      const result = await body(turn.context);
      const effects = effectsOf(turn.changes);
      const operations: ActorStateOperation[] = [...turn.changes.state].map(([stateKey, change]) =>
        change === null
          ? { operation: 'delete', request: { key: stateKey } }
          : { operation: 'upsert', request: { key: stateKey, value: change.value } },
      );
      if (effects) operations.push({ operation: 'upsert', request: { key: pendingEffectsKey, value: effects } });
      await sidecar.saveState(actorType, actorId, operations);
      if (effects) {
        try {
          await applyEffects(actorType, actorId, effects);
          await sidecar.saveState(actorType, actorId, [{ operation: 'delete', request: { key: pendingEffectsKey } }]);
        } catch (error) {
          // The turn is committed; its effects stay recorded and are applied before this actor's next turn, or by
          // a retry: a conversation that gets no further message must still get its flush reminder.
          logger.warn({ event: 'dapr_actor.effects_deferred', actorType, actorId, err: error }, 'turn effects deferred');
          retryEffectsLater(actorType, actorId, 1);
          // Should this process die first, a daprd timer keeps trying (its tick is a turn, which applies them).
          const payload: ScheduledPayload = { name: applyPendingEffects, data: null };
          await sidecar
            .setTimer(actorType, actorId, applyPendingEffects, effectsTimerPeriodMs, payload, effectsTimerPeriodMs)
            .catch((timerError: unknown) =>
              logger.warn(
                { event: 'dapr_actor.effects_timer_failed', actorType, actorId, err: timerError },
                'no effects timer; retried from this process',
              ),
            );
        }
      }
      return jsonCopy(result);
    });
  }

  /** Calls the actor through the sidecar (placement finds it wherever it lives now) until its effects are applied. */
  function retryEffectsLater(actorType: string, actorId: string, attempt: number): void {
    const key = `${actorType}||${actorId}`;
    if (stopped || (attempt === 1 && effectRetries.has(key))) return;
    const delayMs = Math.min(1_000 * 2 ** (attempt - 1), effectsRetryMaxDelayMs);
    const timer = setTimeout(() => {
      client.invoke(actorType, actorId, applyPendingEffects).then(
        () => effectRetries.delete(key),
        (error: unknown) => {
          logger.warn({ event: 'dapr_actor.effects_retry_failed', actorType, actorId, attempt, err: error }, 'turn effects still not applied');
          effectRetries.delete(key);
          retryEffectsLater(actorType, actorId, attempt + 1);
        },
      );
    }, delayMs);
    timer.unref();
    effectRetries.set(key, timer);
  }

  const router = createDaprActorRouter({
    appApiToken: options.appApiToken,
    logger,
    onHandshake: options.onHandshake,
    config: () => ({
      entities: [...definitions.keys()],
      actorIdleTimeout: options.actorIdleTimeout ?? '30m',
      drainOngoingCallTimeout: options.drainOngoingCallTimeout ?? '3s',
      drainRebalancedActors: true,
      reentrancy: { enabled: false },
    }),
    definition: (actorType) => definitions.get(actorType),
    runTurn,
    // Nothing is held per actor between turns; a deactivation only waits for the actor's running turn.
    deactivate: (actorType, actorId) => queue.run(`${actorType}||${actorId}`, async () => undefined),
  });

  return {
    router,
    register(definition) {
      if (definitions.has(definition.type)) throw new Error(`Actor type "${definition.type}" is already registered.`);
      // The reserved method's and timer's turn body is empty: runTurn applies what an earlier turn left first.
      definitions.set(definition.type, {
        ...definition,
        methods: { ...definition.methods, [applyPendingEffects]: async () => undefined },
        onReminder: (context, name, data) => (name === applyPendingEffects ? Promise.resolve() : definition.onReminder(context, name, data)),
      });
    },
    invoke: (actorType, actorId, method, argument) => client.invoke(actorType, actorId, method, argument),
    async start() {
      stopped = false;
    },
    async stop() {
      stopped = true;
      for (const timer of effectRetries.values()) clearTimeout(timer);
      effectRetries.clear();
      await queue.drain();
    },
  };
}

function effectsOf(changes: TurnChanges): PendingEffects | undefined {
  if (changes.reminders.size === 0 && changes.timers.size === 0 && changes.events.length === 0) return undefined;
  const scheduled = (entries: TurnChanges['reminders']) =>
    [...entries].map(([name, call]) => ({ name, dueAt: call ? call.dueAt.toISOString() : null, data: call ? call.data : null }));
  return { reminders: scheduled(changes.reminders), timers: scheduled(changes.timers), events: changes.events };
}

async function ignoreNotFound(call: Promise<void>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof SidecarError && error.status === 404)) throw error;
  }
}
