import type { BindingRequest, BindingResponse, OutputBinding } from '../ports/binding.ts';
import { AppError } from '../service/app-error.ts';

export interface HttpOutputBindingOptions {
  /** Binding name → base URL (what the Dapr `bindings.http` component's `url` holds in Kubernetes). */
  baseUrls: Record<string, string>;
  /** Like the component's errorIfNot2XX (default true): a non-2xx answer is an error, as it is through Dapr. */
  errorIfNot2xx?: boolean;
  fetch?: typeof fetch;
}

/**
 * Standalone output bindings: the call Dapr's HTTP binding would make, made directly. `metadata.path` is appended to
 * the base URL; other metadata keys that start with a capital letter are request headers, as in Dapr.
 */
export function createHttpOutputBinding(options: HttpOutputBindingOptions): OutputBinding {
  const fetchFunction = options.fetch ?? fetch;
  return {
    async invoke(name: string, request: BindingRequest): Promise<BindingResponse> {
      const baseUrl = options.baseUrls[name];
      if (!baseUrl) throw new AppError('NOT_FOUND', `No output binding named "${name}".`);
      const metadata = request.metadata ?? {};
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(metadata)) if (/^[A-Z]/.test(key)) headers[key] = value;
      const method = request.operation.toUpperCase();
      const hasBody = request.data !== undefined && method !== 'GET';
      if (hasBody && !Object.keys(headers).some((key) => key.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
      const url = baseUrl.replace(/\/+$/, '') + (metadata.path ? `/${metadata.path.replace(/^\/+/, '')}` : '');
      let response: Response;
      try {
        response = await fetchFunction(url, {
          method,
          headers,
          ...(hasBody ? { body: typeof request.data === 'string' ? request.data : JSON.stringify(request.data) } : {}),
        });
      } catch (error) {
        throw new AppError('UNAVAILABLE', `Output binding "${name}" could not reach its target.`, null, { cause: error });
      }
      const text = await response.text();
      let body: unknown = text === '' ? null : text;
      try {
        body = text === '' ? null : JSON.parse(text);
      } catch {
        // Not JSON: keep the text.
      }
      if ((options.errorIfNot2xx ?? true) && (response.status < 200 || response.status > 299)) {
        throw new AppError('UNAVAILABLE', `Output binding "${name}" answered ${response.status}.`, { statusCode: response.status, body });
      }
      return { statusCode: response.status, body };
    },
  };
}
