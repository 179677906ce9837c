import { describe, expect, it } from 'vitest';
import { createFixedWindowRateLimiter } from './rate-limiter.ts';

describe('fixed-window rate limiter', () => {
  const start = Date.parse('2026-01-01T10:00:00Z');

  it('allows up to the limit per key, then refuses until the window ends', () => {
    let now = start;
    const limiter = createFixedWindowRateLimiter({ limit: 3, windowMs: 60_000, clock: { now: () => new Date(now) } });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(limiter.check('a').allowed).toBe(true);
      limiter.hit('a');
    }
    expect(limiter.check('a')).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect(limiter.check('b').allowed).toBe(true);
    now += 45_000;
    expect(limiter.check('a')).toEqual({ allowed: false, retryAfterSeconds: 15 });
    now += 15_000;
    expect(limiter.check('a').allowed).toBe(true);
  });

  it('forgets a key on reset and keeps memory bounded', () => {
    const limiter = createFixedWindowRateLimiter({ limit: 1, windowMs: 60_000, clock: { now: () => new Date(start) }, maxKeys: 2 });
    limiter.hit('a');
    limiter.reset('a');
    expect(limiter.check('a').allowed).toBe(true);
    limiter.hit('x');
    limiter.hit('y');
    limiter.hit('z');
    // The oldest key was evicted to make room, so it starts afresh.
    expect(limiter.check('x').allowed).toBe(true);
    expect(limiter.check('z').allowed).toBe(false);
  });
});
