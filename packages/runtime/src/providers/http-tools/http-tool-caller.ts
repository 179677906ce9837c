/** One HTTP tool call as it leaves the platform, and what came back; both callers (direct, Dapr binding) share it. */
export interface HttpToolRequest {
  url: string;
  method: 'POST';
  /** Every header to send, the tool's secrets included (never logged or returned: see `redactedHeaders`). */
  headers: Record<string, string>;
  /** JSON text. */
  body: string;
  timeoutMs: number;
  /** The reply loop's signal (the worker stops); the timeout is the caller's. */
  signal?: AbortSignal;
}

/**
 * A 2xx JSON answer is a result; anything else is an error the model is told about: refused by the SSRF guard,
 * unreachable, timed out, non-2xx (status and a short snippet), not JSON, larger than the cap.
 */
export type HttpToolResponse =
  | { ok: true; status: number; body: unknown; durationMs: number }
  | { ok: false; error: string; status?: number; snippet?: string; durationMs: number };

export interface HttpToolCaller {
  call(request: HttpToolRequest): Promise<HttpToolResponse>;
}

/** What of an error body is shown: enough to recognise it, not a whole HTML page. */
export const snippetChars = 200;

export function snippetOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > snippetChars ? `${flat.slice(0, snippetChars)}…` : flat;
}

/** How a 2xx body becomes a result: JSON, or empty (null); anything else is an error naming what came. */
export function parseJsonAnswer(
  status: number,
  text: string,
  contentType: string | undefined,
): { ok: true; body: unknown } | { ok: false; error: string; snippet: string } {
  if (text.trim() === '') return { ok: true, body: null };
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch {
    return {
      ok: false,
      error: `HTTP ${status} answered with something that is not JSON (${contentType ?? 'no content type'})`,
      snippet: snippetOf(text),
    };
  }
}
