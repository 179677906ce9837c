import { HttpErrorResponse } from '@angular/common/http';

/** The API's error body, `{ error: { code, message, details } }`, or a network failure. */
export interface ApiProblem {
  status: number;
  code: string;
  message: string;
  /** details.reason when the API gives one (INVALID_CREDENTIALS, TOKEN_EXPIRED …). */
  reason: string | null;
  details: unknown;
}

export function toApiProblem(error: unknown): ApiProblem {
  if (error instanceof HttpErrorResponse) {
    const body = error.error as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null;
    const inner = body && typeof body === 'object' ? body.error : undefined;
    if (inner && typeof inner.code === 'string') {
      const details = inner.details as { reason?: unknown } | null | undefined;
      return {
        status: error.status,
        code: inner.code,
        message: typeof inner.message === 'string' ? inner.message : inner.code,
        reason: details && typeof details.reason === 'string' ? details.reason : null,
        details: inner.details ?? null,
      };
    }
    if (error.status === 0) return { status: 0, code: 'NETWORK', message: 'The server cannot be reached.', reason: null, details: null };
    return { status: error.status, code: `HTTP_${error.status}`, message: error.message, reason: null, details: null };
  }
  return { status: 0, code: 'UNKNOWN', message: error instanceof Error ? error.message : String(error), reason: null, details: null };
}
