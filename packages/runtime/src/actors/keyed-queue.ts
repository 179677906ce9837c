/**
 * A FIFO promise chain per key: work for one key runs one item at a time, in arrival order; different keys run
 * in parallel. This is the turn-based lock of both actor hosts (Dapr's JS SDK has none, research/dapr.md §1.2).
 */
export class KeyedQueue {
  private readonly tails = new Map<string, { promise: Promise<void>; pending: number }>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const entry = this.tails.get(key) ?? { promise: Promise.resolve(), pending: 0 };
    entry.pending += 1;
    const result = entry.promise.then(work);
    entry.promise = result.then(
      () => this.release(key, entry),
      () => this.release(key, entry),
    );
    this.tails.set(key, entry);
    return result;
  }

  /** True while work for the key is queued or running. */
  isBusy(key: string): boolean {
    return (this.tails.get(key)?.pending ?? 0) > 0;
  }

  /** Resolves when everything queued so far, for every key, has finished. */
  async drain(): Promise<void> {
    while (this.tails.size > 0) {
      await Promise.all([...this.tails.values()].map((entry) => entry.promise));
    }
  }

  private release(key: string, entry: { pending: number }): void {
    entry.pending -= 1;
    if (entry.pending === 0 && this.tails.get(key) === entry) this.tails.delete(key);
  }
}
