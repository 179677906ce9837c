import type { DomainEvent } from '@app/domain';
import type { PublishOptions } from './pub-sub.ts';

/**
 * Everything an actor may touch inside one turn. Writes are staged: state changes, reminder changes and
 * published events are committed together when the turn succeeds and discarded when it throws.
 */
export interface ActorContext {
  readonly actorType: string;
  readonly actorId: string;
  now(): Date;
  state: {
    get<T>(key: string): Promise<T | undefined>;
    set(key: string, value: unknown): void;
    delete(key: string): void;
  };
  /** Durable: survive crashes and restarts, fire at least once (handlers must be idempotent). */
  reminders: {
    set(name: string, dueAt: Date, data?: unknown): void;
    clear(name: string): void;
  };
  /** Volatile: may be lost on failover; only for work that is safe to lose. */
  timers: {
    set(name: string, dueAt: Date, data?: unknown): void;
    clear(name: string): void;
  };
  publish(topic: string, event: DomainEvent, options?: PublishOptions): void;
}

/** A method takes one JSON argument and returns JSON (or nothing). */
export type ActorMethod = (context: ActorContext, argument: unknown) => Promise<unknown>;

export interface ActorDefinition {
  type: string;
  methods: Record<string, ActorMethod>;
  /** Every reminder and timer lands here with its name (Dapr's JS SDK drops the name; our adapters do not). */
  onReminder(context: ActorContext, name: string, data: unknown): Promise<void>;
}

/** Calls an actor by type and id; turn-based: one call at a time per actor, FIFO. */
export interface ActorClient {
  invoke<TResult = unknown>(actorType: string, actorId: string, method: string, argument?: unknown): Promise<TResult>;
}

export interface ActorHost extends ActorClient {
  register(definition: ActorDefinition): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A typed proxy over an ActorClient, built synchronously (never returned from an async function — see ADR). */
export function actorProxy<TApi extends object>(client: ActorClient, actorType: string, actorId: string): TApi {
  return new Proxy({} as TApi, {
    get(_target, property) {
      if (typeof property !== 'string' || property === 'then') return undefined;
      return (argument?: unknown) => client.invoke(actorType, actorId, property, argument);
    },
  });
}
