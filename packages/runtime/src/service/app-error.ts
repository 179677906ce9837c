/**
 * The one error type that crosses layers. Domain and use-case code throw AppErrors with a stable code; only the
 * HTTP error middleware turns codes into statuses. Each domain may narrow `code` with its own union.
 */
export type AppErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'EMAIL_NOT_VERIFIED'
  | 'INSTANCE_LIMIT_REACHED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PLATFORM_CAPACITY_REACHED'
  | 'WINDOW_CLOSED'
  | 'INVALID_SIGNATURE'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details: unknown;

  constructor(code: AppErrorCode, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details ?? null;
  }
}

export const httpStatusByCode: Record<AppErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_SIGNATURE: 401,
  FORBIDDEN: 403,
  EMAIL_NOT_VERIFIED: 403,
  INSTANCE_LIMIT_REACHED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PLATFORM_CAPACITY_REACHED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  WINDOW_CLOSED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};
