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
  drainOngoingCallTimeout?: string;
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

interface Activation {
  cache: Map<string, unknown>;
  /** False until this activation looked for effects a crashed turn left behind. */
  effectsChecked: boolean;
}

/** What we register with the sidecar as reminder/timer data: the name travels with it (the SDK drops it). */
export interface ScheduledPayload {
  name: string;
  data: unknown;
}

/**
 * Kubernetes-mode actor host: our own thin adapter over daprd's HTTP contract instead of the SDK's actor runtime
 * (docs/adr/0001-actor-hosting.md). daprd provides placement and its turn lock; we keep a FIFO lock per actor too,
 * commit each turn as ONE actor-state transaction that also records the turn's reminders, timers and events as
 * pending effects, then apply those effects and clear them. A crash in between re-applies them on next activation.
 */
export function createDaprActorHost(options: DaprActorHostOptions): DaprActorHost {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const sidecar = new DaprSidecarClient(options);
  const client = createDaprActorClient(options);
  const definitions = new Map<string, ActorDefinition>();
  const activations = new Map<string, Activation>();
  const queue = new KeyedQueue();

  const activationKey = (actorType: string, actorId: string) => `${actorType}||${actorId}`;

  async function applyEffects(actorType: string, actorId: string, effects: PendingEffects): Promise<void> {
    const now = clock.now().getTime();
    for (const reminder of effects.reminders) {
      if (reminder.dueAt === null) await ignoreNotFound(sidecar.deleteReminder(actorType, actorId, reminder.name));
      else {
        const payload: ScheduledPayload = { name: reminder.name, data: reminder.data };
        await sidecar.setReminder(actorType, actorId, reminder.name, Date.parse(reminder.dueAt) - now, payload);
      }
    }
    for (const timer of effects.timers) {
      if (timer.dueAt === null) await ignoreNotFound(sidecar.deleteTimer(actorType, actorId, timer.name));
      else {
        const payload: ScheduledPayload = { name: timer.name, data: timer.data };
        await sidecar.setTimer(actorType, actorId, timer.name, Date.parse(timer.dueAt) - now, payload);
      }
    }
    for (const staged of effects.events) {
      await options.publisher.publish(staged.topic, staged.event, staged.key ? { key: staged.key } : undefined);
    }
  }

  async function flushLeftEffects(actorType: string, actorId: string, activation: Activation): Promise<void> {
    if (activation.effectsChecked) return;
    const left = (await sidecar.getState(actorType, actorId, pendingEffectsKey)) as PendingEffects | undefined;
    if (left) {
      logger.info({ event: 'dapr_actor.reapplying_effects', actorType, actorId }, 'reapplying effects of an interrupted turn');
      await applyEffects(actorType, actorId, left);
      await sidecar.saveState(actorType, actorId, [{ operation: 'delete', request: { key: pendingEffectsKey } }]);
    }
    activation.effectsChecked = true;
  }

  function runTurn<T>(actorType: string, actorId: string, body: (context: ActorContext) => Promise<T>): Promise<T> {
    const key = activationKey(actorType, actorId);
    return queue.run(key, async () => {
      let activation = activations.get(key);
      if (!activation) {
        activation = { cache: new Map(), effectsChecked: false };
        activations.set(key, activation);
      }
      const current = activation;
      await flushLeftEffects(actorType, actorId, current);
      const turn = createTurn({
        actorType,
        actorId,
        clock,
        readState: async (stateKey) => {
          if (!current.cache.has(stateKey)) current.cache.set(stateKey, await sidecar.getState(actorType, actorId, stateKey));
          return jsonCopy(current.cache.get(stateKey));
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
      for (const [stateKey, change] of turn.changes.state) current.cache.set(stateKey, change === null ? undefined : change.value);
      if (effects) {
        try {
          await applyEffects(actorType, actorId, effects);
          await sidecar.saveState(actorType, actorId, [{ operation: 'delete', request: { key: pendingEffectsKey } }]);
        } catch (error) {
          // The turn is committed; its effects stay recorded and are applied before this actor's next turn.
          current.effectsChecked = false;
          logger.warn({ event: 'dapr_actor.effects_deferred', actorType, actorId, err: error }, 'turn effects deferred');
        }
      }
      return jsonCopy(result);
    });
  }

  const router = createDaprActorRouter({
    appApiToken: options.appApiToken,
    logger,
    config: () => ({
      entities: [...definitions.keys()],
      actorIdleTimeout: options.actorIdleTimeout ?? '30m',
      drainOngoingCallTimeout: options.drainOngoingCallTimeout ?? '30s',
      drainRebalancedActors: true,
      reentrancy: { enabled: false },
    }),
    definition: (actorType) => definitions.get(actorType),
    runTurn,
    deactivate: async (actorType, actorId) => {
      const key = activationKey(actorType, actorId);
      await queue.run(key, async () => void activations.delete(key));
    },
  });

  return {
    router,
    register(definition) {
      if (definitions.has(definition.type)) throw new Error(`Actor type "${definition.type}" is already registered.`);
      definitions.set(definition.type, definition);
    },
    invoke: (actorType, actorId, method, argument) => client.invoke(actorType, actorId, method, argument),
    async start() {},
    async stop() {
      await queue.drain();
      activations.clear();
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
