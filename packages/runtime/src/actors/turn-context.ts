import type { DomainEvent } from '@app/domain';
import type { ActorContext } from '../ports/actor-host.ts';
import type { Clock } from '../ports/clock.ts';

export interface ScheduledCall {
  dueAt: Date;
  data: unknown;
}

export interface StagedEvent {
  topic: string;
  event: DomainEvent;
  key?: string;
}

/** What one turn wants to change; `null` marks a delete/clear. Applied all together, or not at all. */
export interface TurnChanges {
  state: Map<string, { value: unknown } | null>;
  reminders: Map<string, ScheduledCall | null>;
  timers: Map<string, ScheduledCall | null>;
  events: StagedEvent[];
}

export interface Turn {
  context: ActorContext;
  changes: TurnChanges;
  hasChanges(): boolean;
}

export interface TurnOptions {
  actorType: string;
  actorId: string;
  clock: Clock;
  /** Reads a committed value; returns a value the turn may mutate freely (a copy). */
  readState(key: string): Promise<unknown>;
}

/** Values cross the turn boundary as JSON: snapshotting at set() time makes later mutation harmless. */
export function jsonCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Builds the ActorContext of one turn: every write is staged in `changes`, nothing touches storage. */
export function createTurn(options: TurnOptions): Turn {
  const changes: TurnChanges = { state: new Map(), reminders: new Map(), timers: new Map(), events: [] };
  const context: ActorContext = {
    actorType: options.actorType,
    actorId: options.actorId,
    now: () => options.clock.now(),
    state: {
      async get<T>(key: string): Promise<T | undefined> {
        const staged = changes.state.get(key);
        if (staged !== undefined) return staged === null ? undefined : jsonCopy(staged.value as T);
        return (await options.readState(key)) as T | undefined;
      },
      set(key, value) {
        if (value === undefined) throw new TypeError(`state "${key}": use delete() instead of setting undefined`);
        changes.state.set(key, { value: jsonCopy(value) });
      },
      delete(key) {
        changes.state.set(key, null);
      },
    },
    reminders: {
      set(name, dueAt, data) {
        changes.reminders.set(name, { dueAt: new Date(dueAt.getTime()), data: jsonCopy(data ?? null) });
      },
      clear(name) {
        changes.reminders.set(name, null);
      },
    },
    timers: {
      set(name, dueAt, data) {
        changes.timers.set(name, { dueAt: new Date(dueAt.getTime()), data: jsonCopy(data ?? null) });
      },
      clear(name) {
        changes.timers.set(name, null);
      },
    },
    publish(topic, event, publishOptions) {
      changes.events.push({ topic, event: jsonCopy(event), ...(publishOptions?.key ? { key: publishOptions.key } : {}) });
    },
  };
  return {
    context,
    changes,
    hasChanges: () => changes.state.size > 0 || changes.reminders.size > 0 || changes.timers.size > 0 || changes.events.length > 0,
  };
}
