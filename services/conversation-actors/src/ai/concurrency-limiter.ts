export interface WorkerStats {
  concurrency: number;
  active: number;
  queued: number;
}

/**
 * Runs at most `concurrency` jobs at once and queues up to `maxQueued` more. Beyond that it refuses (the caller
 * answers 'retry'), so a burst of deliveries never piles up unbounded in memory or blocks the transport.
 */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    readonly concurrency: number,
    readonly maxQueued: number,
  ) {}

  stats(): WorkerStats {
    return { concurrency: this.concurrency, active: this.running, queued: this.waiting.length };
  }

  /** False when tryRun would refuse. */
  hasRoom(): boolean {
    return this.running < this.concurrency || this.waiting.length < this.maxQueued;
  }

  /** Undefined when the queue is full. */
  tryRun<T>(task: () => Promise<T>): Promise<T> | undefined {
    if (!this.hasRoom()) return undefined;
    return this.acquire().then(async () => {
      try {
        return await task();
      } finally {
        this.release();
      }
    });
  }

  /** Resolves once nothing runs and nothing waits. */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) {
      next(); // the slot passes straight to the next job
      return;
    }
    this.running -= 1;
    if (this.running === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
