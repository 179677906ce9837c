/** An output binding: a named outbound HTTP integration (n8n and friends). */
export interface BindingRequest {
  operation: 'post' | 'get' | 'put' | 'delete';
  data?: unknown;
  /** Path and headers of the call, as Dapr's HTTP binding takes them (`path`, capitalised header names). */
  metadata?: Record<string, string>;
}

export interface BindingResponse {
  statusCode: number;
  body: unknown;
}

export interface OutputBinding {
  invoke(name: string, request: BindingRequest): Promise<BindingResponse>;
}
