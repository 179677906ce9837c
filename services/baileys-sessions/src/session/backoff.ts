export interface BackoffPolicy {
  /** Delay before the first retry. */
  baseMs: number;
  /** Never wait longer than this. */
  maxMs: number;
  /** 0…1: how much of the delay is random (spreads reconnects of many sessions apart). */
  jitter: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 2_000, maxMs: 5 * 60_000, jitter: 0.5 };

/**
 * Exponential backoff with jitter, capped: attempt 1 waits about `baseMs`, each next one twice as long, never more
 * than `maxMs`. `random` is in [0, 1); the jitter only shortens the delay, so the cap holds. Pure.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: number): number {
  const exponential = policy.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30));
  const capped = Math.min(policy.maxMs, exponential);
  return Math.round(capped * (1 - policy.jitter * random));
}
