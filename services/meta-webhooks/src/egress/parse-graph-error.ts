/**
 * Graph API errors → domain codes with a retry policy (protocols.md §1.6). Pure. Meta says to key on `code`
 * (+ `error_data.details`), never on the title or the HTTP status.
 */
export type GraphErrorCode =
  | 'META_WINDOW_CLOSED'
  | 'META_THROUGHPUT_LIMIT'
  | 'META_PAIR_RATE_LIMIT'
  | 'META_API_RATE_LIMIT'
  | 'META_UNDELIVERABLE'
  | 'META_MARKETING_LIMITED'
  | 'META_RECIPIENT_OPTED_OUT'
  | 'META_SPAM_LIMIT'
  | 'META_TEMPORARY'
  | 'META_MAINTENANCE'
  | 'META_AUTH_FAILED'
  | 'META_PERMISSION_DENIED'
  | 'META_ACCOUNT_RESTRICTED'
  | 'META_INVALID_REQUEST'
  | 'META_MEDIA_ERROR'
  | 'META_TEMPLATE_ERROR'
  | 'META_UNREACHABLE'
  | 'META_UNKNOWN';

/** none: a permanent outcome; backoff: try again later; recipient: try again later, only this recipient is limited. */
export type GraphRetryPolicy = 'none' | 'backoff' | 'recipient';

export interface ParsedGraphError {
  code: GraphErrorCode;
  /** Meta's numeric code, kept as the message's errorCode; null when Meta sent no envelope. */
  metaCode: number | null;
  message: string;
  details: string | null;
  httpStatus: number | null;
  retry: GraphRetryPolicy;
  /** Suggested wait before the next attempt. */
  retryAfterMs: number | null;
  /** The instance itself is unusable (token expired, permission revoked, account locked): flag it for a person. */
  flagInstance: boolean;
  /** Outside the 24-hour window: only an approved template can reach this customer now. */
  templateRequired: boolean;
}

interface Rule {
  code: GraphErrorCode;
  retry: GraphRetryPolicy;
  retryAfterMs?: number;
  flagInstance?: boolean;
  templateRequired?: boolean;
}

const rules = new Map<number, Rule>();
const rule = (codes: number[], value: Rule) => codes.forEach((code) => rules.set(code, value));

rule([131047], { code: 'META_WINDOW_CLOSED', retry: 'none', templateRequired: true });
rule([130429], { code: 'META_THROUGHPUT_LIMIT', retry: 'backoff', retryAfterMs: 1_000 });
// Third parties describe the pair limit as about one message every 6 s per recipient.
rule([131056], { code: 'META_PAIR_RATE_LIMIT', retry: 'recipient', retryAfterMs: 6_000 });
rule([4, 80007], { code: 'META_API_RATE_LIMIT', retry: 'backoff', retryAfterMs: 60_000 });
rule([131026], { code: 'META_UNDELIVERABLE', retry: 'none' });
rule([131049], { code: 'META_MARKETING_LIMITED', retry: 'none' });
rule([131050], { code: 'META_RECIPIENT_OPTED_OUT', retry: 'none' });
rule([131048], { code: 'META_SPAM_LIMIT', retry: 'none' });
rule([131000, 1, 2, 131016], { code: 'META_TEMPORARY', retry: 'backoff', retryAfterMs: 2_000 });
rule([131057], { code: 'META_MAINTENANCE', retry: 'backoff', retryAfterMs: 30_000 });
rule([0, 190], { code: 'META_AUTH_FAILED', retry: 'none', flagInstance: true });
rule([3, 10, 131005], { code: 'META_PERMISSION_DENIED', retry: 'none', flagInstance: true });
rule([131031, 368], { code: 'META_ACCOUNT_RESTRICTED', retry: 'none', flagInstance: true });
rule([100, 131008, 131009, 131021, 131051], { code: 'META_INVALID_REQUEST', retry: 'none' });
rule([131052, 131053], { code: 'META_MEDIA_ERROR', retry: 'none' });
rule([132000, 132001, 132005, 132007, 132012, 132015, 132016, 2388019], { code: 'META_TEMPLATE_ERROR', retry: 'none' });

/** The policy for one Meta error code (also used for asynchronous `failed` status webhooks). */
export function graphErrorRule(metaCode: number): Rule {
  // 200–299 are permission codes as a range.
  if (metaCode >= 200 && metaCode <= 299) return { code: 'META_PERMISSION_DENIED', retry: 'none', flagInstance: true };
  return rules.get(metaCode) ?? { code: 'META_UNKNOWN', retry: 'none' };
}

/** A Graph HTTP error response (status + parsed JSON body, or its text) → a domain error with its policy. */
export function parseGraphError(httpStatus: number, body: unknown): ParsedGraphError {
  const envelope = readEnvelope(body);
  if (!envelope) {
    // No Graph envelope: a proxy or load balancer answered. 5xx and 429 are transient, anything else is not.
    const transient = httpStatus >= 500 || httpStatus === 429;
    return {
      code: transient ? 'META_TEMPORARY' : 'META_UNKNOWN',
      metaCode: null,
      message: `Graph API answered HTTP ${httpStatus} without an error envelope`,
      details: typeof body === 'string' ? body.slice(0, 500) : null,
      httpStatus,
      retry: transient ? 'backoff' : 'none',
      retryAfterMs: transient ? 2_000 : null,
      flagInstance: false,
      templateRequired: false,
    };
  }
  const matched = graphErrorRule(envelope.code);
  return {
    code: matched.code,
    metaCode: envelope.code,
    message: envelope.message,
    details: envelope.details,
    httpStatus,
    retry: matched.retry,
    retryAfterMs: matched.retryAfterMs ?? null,
    flagInstance: matched.flagInstance === true,
    templateRequired: matched.templateRequired === true,
  };
}

/** fetch itself failed. Only a refused or unresolvable connection proves the request never reached Meta. */
export function parseNetworkError(error: unknown): ParsedGraphError & { requestMayHaveArrived: boolean } {
  const cause = (error as { cause?: { code?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code ?? '';
  const neverSent = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'].includes(code);
  return {
    code: 'META_UNREACHABLE',
    metaCode: null,
    message: `Graph API unreachable: ${code || (error as Error).message}`,
    details: null,
    httpStatus: null,
    retry: 'backoff',
    retryAfterMs: 2_000,
    flagInstance: false,
    templateRequired: false,
    requestMayHaveArrived: !neverSent,
  };
}

function readEnvelope(body: unknown): { code: number; message: string; details: string | null } | null {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  const error = (value as { error?: { code?: unknown; message?: unknown; error_data?: { details?: unknown } } } | null)?.error;
  if (!error || (typeof error.code !== 'number' && typeof error.code !== 'string')) return null;
  const code = Number(error.code);
  if (!Number.isFinite(code)) return null;
  return {
    code,
    message: typeof error.message === 'string' ? error.message : `Graph error ${code}`,
    details: typeof error.error_data?.details === 'string' ? error.error_data.details : null,
  };
}
