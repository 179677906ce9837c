/** AI jobs: three attempts in all, the retries after 5 s and 10 s (exponential, 5 s base), then quarantine. */
export const MAX_AI_ATTEMPTS = 3;
export const RETRY_BASE_MS = 5_000;

export type RetryDecision = { kind: 'retry'; nextAttempt: number; delayMs: number } | { kind: 'quarantine' };

/** What to do after `attempt` (1-based) failed. */
export function decideAfterFailure(attempt: number, retryable = true): RetryDecision {
  if (!retryable || attempt >= MAX_AI_ATTEMPTS) return { kind: 'quarantine' };
  return { kind: 'retry', nextAttempt: attempt + 1, delayMs: RETRY_BASE_MS * 2 ** (attempt - 1) };
}
