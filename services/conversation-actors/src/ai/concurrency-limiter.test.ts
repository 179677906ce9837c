import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter } from './concurrency-limiter.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('ConcurrencyLimiter', () => {
  it('runs up to the limit, queues the next ones, refuses beyond the queue and drains in order', async () => {
    const limiter = new ConcurrencyLimiter(2, 1);
    const gates = [deferred(), deferred(), deferred()];
    const order: number[] = [];
    const runs = gates.map((gate, index) =>
      limiter.tryRun(async () => {
        order.push(index);
        await gate.promise;
      }),
    );
    expect(runs.every((run) => run !== undefined)).toBe(true);
    expect(limiter.stats()).toEqual({ concurrency: 2, active: 2, queued: 1 });
    expect(limiter.tryRun(async () => undefined)).toBeUndefined();
    gates[0]!.resolve();
    await runs[0];
    await Promise.resolve();
    expect(order).toEqual([0, 1, 2]);
    expect(limiter.stats()).toEqual({ concurrency: 2, active: 2, queued: 0 });
    gates[1]!.resolve();
    gates[2]!.resolve();
    await limiter.idle();
    expect(limiter.stats()).toEqual({ concurrency: 2, active: 0, queued: 0 });
  });

  it('frees the slot when a job throws', async () => {
    const limiter = new ConcurrencyLimiter(1, 0);
    await expect(limiter.tryRun(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(limiter.stats().active).toBe(0);
    await expect(limiter.tryRun(async () => 'ok')).resolves.toBe('ok');
  });
});
