import type { TimerHandle, Timers } from '../../src/session/timers.ts';

interface Pending {
  id: number;
  dueAt: number;
  callback: () => void;
}

/**
 * Timers and clock under a test's control: nothing fires until `advance`, which runs due callbacks in time order
 * and lets the promises they start settle. Exported for tests of this service (and its benchmark).
 */
export class FakeTimers implements Timers {
  private current: number;
  private nextId = 1;
  private pending: Pending[] = [];

  constructor(start = new Date('2026-01-01T00:00:00Z')) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.pending.push({ id, dueAt: this.current + Math.max(0, delayMs), callback });
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle || typeof handle !== 'object' || !('id' in handle)) return;
    this.pending = this.pending.filter((timer) => timer.id !== handle.id);
  }

  /** How many timers are waiting. */
  get size(): number {
    return this.pending.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way (including ones they schedule). */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      const next = this.pending.filter((timer) => timer.dueAt <= target).sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)[0];
      if (!next) break;
      this.pending = this.pending.filter((timer) => timer !== next);
      this.current = next.dueAt;
      next.callback();
      await settle();
    }
    this.current = target;
    await settle();
  }
}

/** Lets queued promise callbacks (and the ones they queue) run. */
export async function settle(rounds = 20): Promise<void> {
  for (let round = 0; round < rounds; round++) await new Promise<void>((resolve) => setImmediate(resolve));
}
