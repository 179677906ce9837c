import { AppUnavailableError, placementOf, type AppChannel, type AppResponse } from './app-channel.ts';
import { KeyedLock } from './keyed-lock.ts';

export interface RetryPolicy {
  intervalMs: number;
  maxRetries: number;
}

export interface ScheduledEntry {
  actorType: string;
  actorId: string;
  name: string;
  data: unknown;
  dueTime: string;
  period: string;
  dueAt: number;
  periodMs: number;
  callback?: string;
}

export interface ReminderDelivery {
  actorType: string;
  actorId: string;
  name: string;
  data: unknown;
  outcome: 'success' | 'failed' | 'dropped' | 'duplicate';
}

interface Registered extends ScheduledEntry {
  handle?: NodeJS.Timeout;
  attempts: number;
  /** Came due while the app was away; fired when it connects again. */
  staged?: boolean;
  /** A delivery is running (advanceTime must not start a second one). */
  firing?: boolean;
}

export interface SidecarActorsOptions {
  appId: string;
  channel: AppChannel;
  reminderRetry: RetryPolicy;
  duplicateReminderDeliveries: number;
  blankTimerCallbacks: boolean;
}

/** The actor half of the double: placement of one host, the turn lock, state, timers, reminders, idle deactivation. */
export class SidecarActors {
  hostedTypes = new Set<string>();
  readonly state = new Map<string, string>();
  readonly reminders = new Map<string, Registered>();
  readonly timers = new Map<string, Registered>();
  readonly reminderDeliveries: ReminderDelivery[] = [];
  /** How far advanceTime moved this double's clock ahead of the real one. */
  clockOffsetMs = 0;
  private readonly active = new Map<string, number>();
  private readonly lock = new KeyedLock();
  private idleTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: SidecarActorsOptions) {}

  actorKey(actorType: string, actorId: string): string {
    return `${actorType}||${actorId}`;
  }

  stateKey(actorType: string, actorId: string, key: string): string {
    return `${this.options.appId}||${actorType}||${actorId}||${key}`;
  }

  isActive(actorType: string, actorId: string): boolean {
    return this.active.has(this.actorKey(actorType, actorId));
  }

  activeCount(actorType: string): number {
    return [...this.active.keys()].filter((key) => key.startsWith(`${actorType}||`)).length;
  }

  /** Runs one turn under the actor's lock, activating it first (as placement + daprd's actor table do). */
  turn(actorType: string, actorId: string, call: () => Promise<AppResponse>): Promise<AppResponse> {
    const key = this.actorKey(actorType, actorId);
    return this.lock.run(key, async () => {
      this.active.set(key, Date.now());
      try {
        return await call();
      } finally {
        this.active.set(key, Date.now());
      }
    });
  }

  async deactivate(actorType: string, actorId: string, instance?: string): Promise<void> {
    const key = this.actorKey(actorType, actorId);
    await this.lock.run(key, async () => {
      if (!this.active.delete(key)) return;
      try {
        await this.options.channel.call('DELETE', `/actors/${encodeURIComponent(actorType)}/${encodeURIComponent(actorId)}`, undefined, instance);
      } catch {
        // The app being gone is what deactivation is about.
      }
    });
  }

  /**
   * The app's instances change (a scale or a rollout): every active actor placed elsewhere now is deactivated on
   * its old instance, after its running turn (drainRebalancedActors), unless that instance is gone or the
   * DELETE is lost on the way (`loseDeactivations`); its next call activates it on the new one.
   */
  async rebalance(before: string[], after: string[], loseDeactivations: boolean): Promise<void> {
    const moves: Promise<void>[] = [];
    for (const key of [...this.active.keys()]) {
      const [actorType, actorId] = key.split('||') as [string, string];
      const from = placementOf(before, actorType, actorId);
      if (from === placementOf(after, actorType, actorId)) continue;
      if (!from || !after.includes(from) || loseDeactivations) {
        moves.push(this.lock.run(key, async () => void this.active.delete(key)));
      } else {
        moves.push(this.deactivate(actorType, actorId, from));
      }
    }
    await Promise.all(moves);
  }

  /** The sidecar process restarted: its actor table and in-memory timers are gone; state and reminders are not. */
  forgetOnRestart(): void {
    this.active.clear();
    for (const timer of this.timers.values()) clearTimeout(timer.handle);
    this.timers.clear();
  }

  startIdleDeactivation(idleTimeoutMs: number): void {
    clearInterval(this.idleTimer);
    this.idleTimer = setInterval(
      () => {
        const cutoff = Date.now() - idleTimeoutMs;
        for (const [key, lastUsedAt] of this.active) {
          if (lastUsedAt >= cutoff) continue;
          const [actorType, actorId] = key.split('||') as [string, string];
          void this.deactivate(actorType, actorId);
        }
      },
      Math.max(50, Math.min(idleTimeoutMs / 2, 30_000)),
    );
    this.idleTimer.unref();
  }

  setTimer(entry: ScheduledEntry): void {
    const key = `${this.actorKey(entry.actorType, entry.actorId)}||${entry.name}`;
    clearTimeout(this.timers.get(key)?.handle);
    const registered: Registered = { ...entry, attempts: 0 };
    this.timers.set(key, registered);
    this.arm(registered, () => this.fireTimer(key, registered));
  }

  deleteTimer(actorType: string, actorId: string, name: string): void {
    const key = `${this.actorKey(actorType, actorId)}||${name}`;
    clearTimeout(this.timers.get(key)?.handle);
    this.timers.delete(key);
  }

  setReminder(entry: ScheduledEntry): void {
    const key = `${this.actorKey(entry.actorType, entry.actorId)}||${entry.name}`;
    clearTimeout(this.reminders.get(key)?.handle);
    const registered: Registered = { ...entry, attempts: 0 };
    this.reminders.set(key, registered);
    this.arm(registered, () => this.fireReminder(key, registered));
  }

  deleteReminder(actorType: string, actorId: string, name: string): void {
    const key = `${this.actorKey(actorType, actorId)}||${name}`;
    clearTimeout(this.reminders.get(key)?.handle);
    this.reminders.delete(key);
  }

  /** The app came back: reminders that came due while it was away fire now. */
  releaseStaged(): void {
    for (const [key, reminder] of this.reminders) {
      if (!reminder.staged) continue;
      reminder.staged = false;
      this.arm(reminder, () => this.fireReminder(key, reminder), 0);
    }
  }

  /**
   * Time jumps forward by `ms` for the schedule (tests that drive the app with an offset clock): what comes due
   * within `ms` fires now, the rest `ms` sooner.
   */
  advanceTime(ms: number): void {
    this.clockOffsetMs += ms;
    for (const [key, reminder] of this.reminders) {
      reminder.dueAt -= ms;
      if (reminder.staged || reminder.firing) continue;
      clearTimeout(reminder.handle);
      this.arm(reminder, () => this.fireReminder(key, reminder));
    }
    for (const [key, timer] of this.timers) {
      timer.dueAt -= ms;
      if (timer.firing) continue;
      clearTimeout(timer.handle);
      this.arm(timer, () => this.fireTimer(key, timer));
    }
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.idleTimer);
    for (const entry of [...this.reminders.values(), ...this.timers.values()]) clearTimeout(entry.handle);
  }

  private arm(entry: Registered, fire: () => Promise<void>, delayMs = entry.dueAt - Date.now()): void {
    if (this.stopped) return;
    entry.handle = setTimeout(() => void fire(), Math.max(0, delayMs));
  }

  private path(entry: ScheduledEntry, kind: 'timer' | 'remind'): string {
    return `/actors/${encodeURIComponent(entry.actorType)}/${encodeURIComponent(entry.actorId)}/method/${kind}/${encodeURIComponent(entry.name)}`;
  }

  private callScheduled(entry: ScheduledEntry, kind: 'timer' | 'remind'): Promise<AppResponse> {
    const body =
      kind === 'timer'
        ? { callback: this.options.blankTimerCallbacks ? '' : (entry.callback ?? ''), data: entry.data, dueTime: entry.dueTime, period: entry.period }
        : { data: entry.data, dueTime: '', period: '' }; // the Scheduler sends neither (Dapr ≥ 1.15)
    return this.turn(entry.actorType, entry.actorId, () =>
      this.options.channel.call('PUT', this.path(entry, kind), { text: JSON.stringify(body), contentType: 'application/json' }),
    );
  }

  private async fireTimer(key: string, timer: Registered): Promise<void> {
    if (this.timers.get(key) !== timer) return;
    timer.firing = true;
    try {
      await this.callScheduled(timer, 'timer');
    } catch {
      // A timer keeps ticking after a failed tick (daprd ≥ 1.15.3); a one-shot is simply gone.
    } finally {
      timer.firing = false;
    }
    if (this.timers.get(key) !== timer) return;
    if (timer.periodMs > 0) this.arm(timer, () => this.fireTimer(key, timer), timer.periodMs);
    else this.timers.delete(key);
  }

  private async fireReminder(key: string, reminder: Registered): Promise<void> {
    if (this.reminders.get(key) !== reminder || reminder.firing) return;
    reminder.firing = true;
    try {
      await this.deliverReminder(key, reminder);
    } finally {
      reminder.firing = false;
    }
  }

  private async deliverReminder(key: string, reminder: Registered): Promise<void> {
    const { actorType, actorId, name, data } = reminder;
    let succeeded = false;
    try {
      const response = await this.callScheduled(reminder, 'remind');
      // X-Daprremindercancel is mapped to success (no retry), as in 1.17; a 404 counts as failed and is retried.
      succeeded = (response.status >= 200 && response.status < 300) || response.headers.cancel;
    } catch (error) {
      if (error instanceof AppUnavailableError && !this.options.channel.connected) {
        reminder.staged = true;
        return;
      }
    }
    if (this.reminders.get(key) !== reminder) return;
    if (succeeded) {
      this.reminderDeliveries.push({ actorType, actorId, name, data, outcome: 'success' });
      for (let copy = 0; copy < this.options.duplicateReminderDeliveries; copy++) {
        await this.callScheduled(reminder, 'remind').catch(() => undefined);
        this.reminderDeliveries.push({ actorType, actorId, name, data, outcome: 'duplicate' });
      }
      this.nextTick(key, reminder);
      return;
    }
    reminder.attempts += 1;
    if (reminder.attempts <= this.options.reminderRetry.maxRetries) {
      this.reminderDeliveries.push({ actorType, actorId, name, data, outcome: 'failed' });
      this.arm(reminder, () => this.fireReminder(key, reminder), this.options.reminderRetry.intervalMs);
      return;
    }
    // The Scheduler's default failure policy: 1 s × 3, then that tick is dropped.
    this.reminderDeliveries.push({ actorType, actorId, name, data, outcome: 'dropped' });
    this.nextTick(key, reminder);
  }

  private nextTick(key: string, reminder: Registered): void {
    if (this.reminders.get(key) !== reminder) return;
    reminder.attempts = 0;
    if (reminder.periodMs > 0) this.arm(reminder, () => this.fireReminder(key, reminder), reminder.periodMs);
    else this.reminders.delete(key);
  }
}
