import { describe, expect, it } from 'vitest';
import { decideAfterFailure, MAX_AI_ATTEMPTS } from './retry-policy.ts';

describe('decideAfterFailure', () => {
  it('retries after 5 s, then 10 s, then quarantines after the third attempt', () => {
    expect(MAX_AI_ATTEMPTS).toBe(3);
    expect(decideAfterFailure(1)).toEqual({ kind: 'retry', nextAttempt: 2, delayMs: 5_000 });
    expect(decideAfterFailure(2)).toEqual({ kind: 'retry', nextAttempt: 3, delayMs: 10_000 });
    expect(decideAfterFailure(3)).toEqual({ kind: 'quarantine' });
  });

  it('quarantines a non-retryable failure at once', () => {
    expect(decideAfterFailure(1, false)).toEqual({ kind: 'quarantine' });
  });
});
