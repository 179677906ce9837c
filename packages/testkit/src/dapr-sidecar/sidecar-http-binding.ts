/**
 * Dapr's `bindings.http` output binding as daprd runs it (components-contrib bindings/http, daprd's
 * POST /v1.0/bindings/{name}): the request's `data` is re-encoded as JSON (daprd json.Marshal's it), `metadata.path` is
 * appended to the component's `url`, metadata keys that start with a capital letter are request headers, the
 * Content-Type defaults to JSON. The answer's body is read up to `maxResponseBodySize` (the rest is cut off, not an
 * error); its status and headers come back as `metadata.*` response headers, even when the call fails. With
 * errorIfNot2XX (the default) a non-2xx answer is an error: 500 ERR_INVOKE_OUTPUT_BINDING "received status code N",
 * and its body is lost.
 */
export interface HttpBindingComponent {
  /** The component's `url` (the base URL, e.g. n8n's webhook base). */
  url: string;
  errorIfNot2XX?: boolean;
  /** Bytes of the answer read at most (the component's maxResponseBodySize); default 100 MiB, as Dapr's. */
  maxResponseBodySize?: number;
}

export interface HttpBindingAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export async function invokeHttpBinding(
  name: string,
  component: HttpBindingComponent,
  request: { operation: string; data: unknown; metadata: Record<string, string> },
): Promise<HttpBindingAnswer> {
  const errorAnswer = (message: string, metadata: Record<string, string> = {}): HttpBindingAnswer => ({
    status: 500,
    headers: { 'content-type': 'application/json', ...metadata },
    body: Buffer.from(JSON.stringify({ errorCode: 'ERR_INVOKE_OUTPUT_BINDING', message: `error invoking output binding ${name}: ${message}` })),
  });
  const method = request.operation.toUpperCase();
  if (!['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'].includes(method)) {
    return errorAnswer(`invalid operation: ${request.operation}`);
  }
  const path = request.metadata['path'];
  const url = path ? `${component.url.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}` : component.url;
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.metadata)) if (/^\p{Lu}/u.test(key)) headers[key] = value;
  if (!Object.keys(headers).some((key) => key.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json; charset=utf-8';
  const hasBody = request.data !== null && request.data !== undefined && method !== 'GET' && method !== 'HEAD';

  let response: Response;
  try {
    response = await fetch(url, { method, headers, ...(hasBody ? { body: goJson(request.data) } : {}) });
  } catch (error) {
    return errorAnswer(`${method} ${url}: ${(error as Error).message}`);
  }
  const limit = component.maxResponseBodySize ?? 100 * 1024 * 1024;
  const body = await readAtMost(response, limit);
  const metadata: Record<string, string> = {
    'metadata.statusCode': String(response.status),
    'metadata.status': `${response.status} ${response.statusText}`,
  };
  response.headers.forEach((value, key) => {
    metadata[`metadata.${key}`] = value;
  });
  if ((component.errorIfNot2XX ?? true) && (response.status < 200 || response.status > 299)) {
    return errorAnswer(`received status code ${response.status}`, metadata);
  }
  return { status: 200, headers: { 'content-type': 'application/json', ...metadata }, body };
}

/** Go's json.Marshal of a decoded JSON value: object keys sorted. */
function goJson(value: unknown): string {
  const sorted = (entry: unknown): unknown =>
    Array.isArray(entry)
      ? entry.map(sorted)
      : typeof entry === 'object' && entry !== null
        ? Object.fromEntries(
            Object.keys(entry)
              .sort()
              .map((key) => [key, sorted((entry as Record<string, unknown>)[key])]),
          )
        : entry;
  return JSON.stringify(sorted(value));
}

async function readAtMost(response: Response, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(Buffer.from(value));
    size += value.length;
    if (size >= limit) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, limit);
}
