import { renderBodyTemplate, type HttpToolContextValues, type ToolOutcome } from '@app/domain';
import type { HttpToolCaller, HttpToolResponse } from './http-tool-caller.ts';

/** A stored HTTP tool with its header values decrypted: what one call needs. */
export interface HttpToolDefinition {
  name: string;
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  bodyTemplate: string | null;
  timeoutMs: number;
}

export interface HttpToolInvocation {
  args: Record<string, unknown>;
  context: HttpToolContextValues;
  /** Sent as `Idempotency-Key`, so the receiving workflow can recognise a call it already ran. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** The request as it was sent, header values replaced: safe to show in the console and keep in a trace. */
export interface SentHttpToolRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type HttpToolRun =
  | { sent: false; missing: string[]; invalidJson?: undefined }
  | { sent: false; missing?: undefined; invalidJson: string }
  | { sent: true; request: SentHttpToolRequest; response: HttpToolResponse };

export const redactedValue = '[redacted]';

/**
 * One call of a business's HTTP tool, shared by the reply loop and tenant-api's "test this tool": fills the body
 * template (a missing variable stops here, nothing is sent), adds the idempotency key, and calls.
 */
export async function runHttpTool(caller: HttpToolCaller, tool: HttpToolDefinition, invocation: HttpToolInvocation): Promise<HttpToolRun> {
  const rendered = renderBodyTemplate(tool.bodyTemplate, invocation.args, invocation.context);
  if (!rendered.ok) return 'missing' in rendered ? { sent: false, missing: rendered.missing } : { sent: false, invalidJson: rendered.invalidJson };
  const headers: Record<string, string> = { ...tool.headers };
  if (invocation.idempotencyKey) headers['Idempotency-Key'] = invocation.idempotencyKey;
  const response = await caller.call({
    url: tool.url,
    method: tool.method,
    headers,
    body: rendered.body,
    timeoutMs: tool.timeoutMs,
    ...(invocation.signal ? { signal: invocation.signal } : {}),
  });
  return {
    sent: true,
    request: { method: tool.method, url: tool.url, headers: redactedHeaders(tool.headers, headers), body: rendered.body },
    response,
  };
}

/** The tool's own header values are secrets; what the platform adds (the idempotency key) is not. */
export function redactedHeaders(secret: Record<string, string>, sent: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(sent).map(([name, value]) => [name, Object.hasOwn(secret, name) ? redactedValue : value]));
}

/** What the model reads of a run: the JSON answer, or an error naming what went wrong (status and snippet included). */
export function toToolOutcome(run: HttpToolRun): ToolOutcome {
  if (!run.sent) {
    return run.missing
      ? { ok: false, error: `the tool's body template needs ${run.missing.map((name) => `{{${name}}}`).join(', ')}, which had no value` }
      : { ok: false, error: `the tool's body template did not give JSON: ${run.invalidJson}` };
  }
  const { response } = run;
  if (response.ok) return { ok: true, result: response.body };
  const details = [response.error, response.snippet ? `body: ${response.snippet}` : undefined].filter(Boolean).join(' — ');
  return { ok: false, error: details };
}
