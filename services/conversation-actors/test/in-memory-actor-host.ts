import type { DomainEvent } from '@app/domain';
import type { ActorContext, ActorDefinition, PublishOptions } from '@app/runtime/ports';

export interface PublishedEvent {
  topic: string;
  event: DomainEvent;
  key?: string;
}

interface StoredReminder {
  dueAt: Date;
  data: unknown;
}

type StagedReminder = { name: string; reminder: StoredReminder | null };

/**
 * A tiny, in-memory actor host for unit tests of one actor type: turn-based (calls are awaited one by one),
 * staged writes committed only when a turn succeeds, one-shot reminders on a fake clock.
 */
export class InMemoryActorHost {
  readonly published: PublishedEvent[] = [];
  private readonly states = new Map<string, Map<string, unknown>>();
  private readonly reminders = new Map<string, Map<string, StoredReminder>>();
  private current = new Date('2026-01-01T10:00:00.000Z');

  constructor(private readonly definition: ActorDefinition) {}

  now(): Date {
    return new Date(this.current);
  }

  async invoke<T = unknown>(actorId: string, method: string, argument?: unknown): Promise<T> {
    const handler = this.definition.methods[method];
    if (!handler) throw new Error(`unknown method ${method}`);
    return (await this.turn(actorId, (context) => handler(context, argument))) as T;
  }

  reminderOf(actorId: string, name: string): StoredReminder | undefined {
    return this.reminders.get(actorId)?.get(name);
  }

  /** Fires a reminder as the host would (it stays registered only if the turn sets it again). */
  async fireReminder(actorId: string, name: string, data?: unknown): Promise<void> {
    const stored = this.reminders.get(actorId)?.get(name);
    if (stored) this.reminders.get(actorId)!.delete(name);
    await this.turn(actorId, (context) => this.definition.onReminder(context, name, data ?? stored?.data));
  }

  /** Moves the fake clock forward, firing every reminder that falls due on the way, in due order. */
  async advance(milliseconds: number): Promise<void> {
    const target = this.current.getTime() + milliseconds;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.current = new Date(Math.max(this.current.getTime(), next.dueAt.getTime()));
      await this.fireReminder(next.actorId, next.name);
    }
    this.current = new Date(target);
  }

  private nextDue(limit: number): { actorId: string; name: string; dueAt: Date } | undefined {
    let best: { actorId: string; name: string; dueAt: Date } | undefined;
    for (const [actorId, byName] of this.reminders) {
      for (const [name, reminder] of byName) {
        if (reminder.dueAt.getTime() > limit) continue;
        if (!best || reminder.dueAt.getTime() < best.dueAt.getTime()) best = { actorId, name, dueAt: reminder.dueAt };
      }
    }
    return best;
  }

  private async turn(actorId: string, body: (context: ActorContext) => Promise<unknown>): Promise<unknown> {
    const state = this.states.get(actorId) ?? new Map<string, unknown>();
    const stagedState = new Map<string, unknown>();
    const stagedReminders: StagedReminder[] = [];
    const stagedEvents: PublishedEvent[] = [];
    const now = this.now();
    const context: ActorContext = {
      actorType: this.definition.type,
      actorId,
      now: () => new Date(now),
      state: {
        get: async <T>(key: string) => structuredClone((stagedState.has(key) ? stagedState.get(key) : state.get(key)) as T | undefined),
        set: (key, value) => void stagedState.set(key, structuredClone(value)),
        delete: (key) => void stagedState.set(key, undefined),
      },
      reminders: {
        set: (name, dueAt, data) => void stagedReminders.push({ name, reminder: { dueAt: new Date(dueAt), data } }),
        clear: (name) => void stagedReminders.push({ name, reminder: null }),
      },
      timers: {
        set: (name, dueAt, data) => void stagedReminders.push({ name, reminder: { dueAt: new Date(dueAt), data } }),
        clear: (name) => void stagedReminders.push({ name, reminder: null }),
      },
      publish: (topic: string, event: DomainEvent, options?: PublishOptions) =>
        void stagedEvents.push({ topic, event: structuredClone(event), key: options?.key }),
    };
    const result = await body(context);
    // Commit: the turn succeeded.
    for (const [key, value] of stagedState) {
      if (value === undefined) state.delete(key);
      else state.set(key, value);
    }
    this.states.set(actorId, state);
    const reminders = this.reminders.get(actorId) ?? new Map<string, StoredReminder>();
    for (const { name, reminder } of stagedReminders) {
      if (reminder) reminders.set(name, reminder);
      else reminders.delete(name);
    }
    this.reminders.set(actorId, reminders);
    this.published.push(...stagedEvents);
    return result;
  }
}
