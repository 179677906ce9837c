import type { Clock } from '@app/runtime/ports';

export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the current window ends (for Retry-After). */
  retryAfterSeconds: number;
}

/** Counts hits per key in fixed windows. In memory: one process's view (standalone; Redis-backed later). */
export interface RateLimiter {
  /** Would one more hit be allowed? Does not count. */
  check(key: string): RateLimitDecision;
  /** Counts a hit. */
  hit(key: string): void;
  reset(key: string): void;
}

export function createFixedWindowRateLimiter(options: { limit: number; windowMs: number; clock: Clock; maxKeys?: number }): RateLimiter {
  const windows = new Map<string, { startedAt: number; count: number }>();
  const maxKeys = options.maxKeys ?? 100_000;

  const current = (key: string, now: number) => {
    const window = windows.get(key);
    if (window && now - window.startedAt < options.windowMs) return window;
    if (window) windows.delete(key);
    return undefined;
  };

  const evictExpired = (now: number) => {
    for (const [key, window] of windows) if (now - window.startedAt >= options.windowMs) windows.delete(key);
  };

  return {
    check(key) {
      const now = options.clock.now().getTime();
      const window = current(key, now);
      if (!window || window.count < options.limit) return { allowed: true, retryAfterSeconds: 0 };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + options.windowMs - now) / 1000)) };
    },
    hit(key) {
      const now = options.clock.now().getTime();
      const window = current(key, now);
      if (window) {
        window.count += 1;
        return;
      }
      // Bounded memory under a flood of distinct keys: drop finished windows first.
      if (windows.size >= maxKeys) evictExpired(now);
      if (windows.size >= maxKeys) windows.delete(windows.keys().next().value as string);
      windows.set(key, { startedAt: now, count: 1 });
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
