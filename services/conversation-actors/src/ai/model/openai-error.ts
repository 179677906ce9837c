export interface LlmFailure {
  /** Short, safe to store and show to admins: status, code and the provider's message (never a key or prompt). */
  reason: string;
  /** False when another attempt cannot help: the buffer is quarantined at once. */
  retryable: boolean;
}

interface ApiErrorLike {
  status?: number;
  code?: string | null;
  type?: string;
  message?: string;
  name?: string;
}

const permanentCodes = new Set(['insufficient_quota', 'invalid_api_key', 'model_not_found', 'context_length_exceeded', 'invalid_model']);

/**
 * Maps an error of the `openai` client to a retry decision. OpenAI answers quota exhaustion with 429 like a rate
 * limit (the client retries every 429); only the code tells them apart, and quota never comes back by retrying.
 */
export function classifyLlmError(error: unknown): LlmFailure {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as ApiErrorLike;
  const status = typeof failure.status === 'number' ? failure.status : undefined;
  const code = typeof failure.code === 'string' ? failure.code : undefined;
  const message = (failure.message ?? String(error)).replace(/sk-[A-Za-z0-9_-]+/g, 'sk-…').slice(0, 300);
  const reason = [status ? `HTTP ${status}` : (failure.name ?? 'error'), code, message].filter(Boolean).join(': ');
  if (code && permanentCodes.has(code)) return { reason, retryable: false };
  if (status === undefined) return { reason, retryable: true }; // connection error or timeout
  if (status === 408 || status === 409 || status === 429 || status >= 500) return { reason, retryable: true };
  return { reason, retryable: false }; // 400, 401, 403, 404, 422: the request itself is wrong
}
