import { httpToolResponseCapBytes } from '@app/domain';
import {
  parseJsonAnswer,
  snippetOf,
  type HttpToolCaller,
  type HttpToolRequest,
  type HttpToolResponse,
} from '../providers/http-tools/http-tool-caller.ts';

export interface DaprHttpToolCallerOptions {
  /** The sidecar (`http://127.0.0.1:3500`). */
  daprHttpUrl: string;
  apiToken?: string;
  /** The `bindings.http` component HTTP tools go out through (deploy/dapr/http-tools-binding.yaml). */
  bindingName: string;
  /** The component's `url` (n8n's webhook base URL): a tool's URL must start with it; the rest is the request path. */
  baseUrl: string;
  maxResponseBytes?: number;
}

/**
 * Kubernetes HTTP tool calls, through the sidecar's HTTP output binding: the cluster reaches the one base URL the
 * operator put in the component, so no tenant URL leaves it (the SSRF guard's job is done by the component). The
 * binding API is called directly rather than through DaprClient: the SDK hides the `metadata.statusCode` header
 * (the target's status, even on failure), takes no abort signal and parses the body before it can be capped.
 * Same answers as the direct caller: timeout, size cap, non-2xx and non-JSON are errors.
 */
export function createDaprHttpToolCaller(options: DaprHttpToolCallerOptions): HttpToolCaller {
  const maxResponseBytes = options.maxResponseBytes ?? httpToolResponseCapBytes;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const bindingUrl = `${options.daprHttpUrl.replace(/\/+$/, '')}/v1.0/bindings/${encodeURIComponent(options.bindingName)}`;

  return {
    async call(request: HttpToolRequest): Promise<HttpToolResponse> {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      if (request.url !== baseUrl && !request.url.startsWith(`${baseUrl}/`) && !request.url.startsWith(`${baseUrl}?`)) {
        return {
          ok: false,
          error: `refused: this deployment calls HTTP tools under ${baseUrl} only (the ${options.bindingName} binding)`,
          durationMs: elapsed(),
        };
      }
      const metadata: Record<string, string> = { path: request.url.slice(baseUrl.length) };
      // The binding sends metadata keys that start with a capital letter as headers; header names are case-insensitive.
      for (const [name, value] of Object.entries(request.headers)) metadata[name.charAt(0).toUpperCase() + name.slice(1)] = value;
      const timeout = AbortSignal.timeout(request.timeoutMs);
      const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
      try {
        const response = await fetch(bindingUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(options.apiToken ? { 'dapr-api-token': options.apiToken } : {}) },
          // daprd re-encodes `data` as JSON, so it goes as the object the template made.
          body: JSON.stringify({ operation: 'post', data: JSON.parse(request.body) as unknown, metadata }),
          signal,
        });
        const targetStatus = Number(response.headers.get('metadata.statuscode')) || undefined;
        const read = await readCapped(response, maxResponseBytes);
        if (!response.ok) {
          const message = errorMessageOf(read.text);
          const status = targetStatus ?? Number(/received status code (\d{3})/.exec(message)?.[1]);
          if (status) return { ok: false, error: `HTTP ${status}`, status, durationMs: elapsed() };
          return { ok: false, error: `the ${options.bindingName} binding failed: ${snippetOf(message)}`, durationMs: elapsed() };
        }
        const status = targetStatus ?? response.status;
        if (read.tooLarge) return { ok: false, error: `the answer is larger than ${maxResponseBytes} bytes`, status, durationMs: elapsed() };
        const parsed = parseJsonAnswer(status, read.text, response.headers.get('metadata.content-type') ?? undefined);
        return parsed.ok
          ? { ok: true, status, body: parsed.body, durationMs: elapsed() }
          : { ok: false, error: parsed.error, status, snippet: parsed.snippet, durationMs: elapsed() };
      } catch (error) {
        if (timeout.aborted) return { ok: false, error: `timed out after ${request.timeoutMs} ms`, durationMs: elapsed() };
        if (signal.aborted) return { ok: false, error: 'cancelled', durationMs: elapsed() };
        return { ok: false, error: `the Dapr sidecar could not be reached (${(error as Error).message})`, durationMs: elapsed() };
      }
    },
  };
}

async function readCapped(response: Response, limit: number): Promise<{ text: string; tooLarge: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) return { text: '', tooLarge: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      return { text: '', tooLarge: true };
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: false };
}

function errorMessageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : text;
  } catch {
    return text;
  }
}
