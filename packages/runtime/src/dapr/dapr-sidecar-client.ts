/**
 * The app → sidecar calls our adapters make (research/dapr.md §2.2), over plain fetch: actor state reads and
 * transactions, reminders and timers, publishes. Every call has a deadline: a sidecar that stops answering (a
 * restart, a wedged placement) fails the call instead of hanging the turn or the delivery that made it. Timer due
 * times are Go durations in milliseconds (`1500ms`, never days, which daprd rejects); reminder due times are
 * RFC3339 instants, so a delivery the Scheduler makes late or early is measured against the real due time.
 */
export interface SidecarClientOptions {
  daprHttpUrl: string;
  /** Sent as `dapr-api-token` when the sidecar requires it (DAPR_API_TOKEN). */
  daprApiToken?: string;
  /** Deadline of each call (default 10 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const defaultSidecarTimeoutMs = 10_000;

export type ActorStateOperation =
  { operation: 'upsert'; request: { key: string; value: unknown } } | { operation: 'delete'; request: { key: string } };

export class SidecarError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what} failed: sidecar answered ${status} ${body.slice(0, 500)}`);
    this.name = 'SidecarError';
  }
}

export function goDuration(ms: number): string {
  return `${Math.max(0, Math.round(ms))}ms`;
}

export class DaprSidecarClient {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: SidecarClientOptions) {
    this.baseUrl = options.daprHttpUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? fetch;
  }

  actorPath(actorType: string, actorId: string): string {
    return `/v1.0/actors/${encodeURIComponent(actorType)}/${encodeURIComponent(actorId)}`;
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    what = `${method} ${path}`,
    timeoutMs = this.options.timeoutMs ?? defaultSidecarTimeoutMs,
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.daprApiToken) headers['dapr-api-token'] = this.options.daprApiToken;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await this.fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        signal,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      // The body is read under the same deadline: a sidecar can stall after the headers too.
      const text = await response.text();
      if (response.status >= 300) throw new SidecarError(response.status, text, what);
      return new Response(response.status === 204 ? null : text, { status: response.status, headers: response.headers });
    } catch (error) {
      if (signal.aborted) throw new SidecarError(0, `no answer within ${timeoutMs} ms`, what);
      throw error;
    }
  }

  /** A committed state value, or undefined (the sidecar answers 204 for a missing key). */
  async getState(actorType: string, actorId: string, key: string): Promise<unknown> {
    const response = await this.request('GET', `${this.actorPath(actorType, actorId)}/state/${encodeURIComponent(key)}`);
    const text = await response.text();
    return response.status === 204 || text === '' ? undefined : JSON.parse(text);
  }

  /** One transaction in the actor state store; only valid while the actor is active (inside a turn). */
  async saveState(actorType: string, actorId: string, operations: ActorStateOperation[]): Promise<void> {
    if (operations.length === 0) return;
    await this.request('POST', `${this.actorPath(actorType, actorId)}/state`, operations, 'actor state transaction');
  }

  async setReminder(actorType: string, actorId: string, name: string, dueAt: Date, data: unknown): Promise<void> {
    await this.request('PUT', `${this.actorPath(actorType, actorId)}/reminders/${encodeURIComponent(name)}`, {
      dueTime: dueAt.toISOString(),
      data,
    });
  }

  async deleteReminder(actorType: string, actorId: string, name: string): Promise<void> {
    await this.request('DELETE', `${this.actorPath(actorType, actorId)}/reminders/${encodeURIComponent(name)}`);
  }

  async setTimer(actorType: string, actorId: string, name: string, dueInMs: number, data: unknown, periodMs?: number): Promise<void> {
    await this.request('PUT', `${this.actorPath(actorType, actorId)}/timers/${encodeURIComponent(name)}`, {
      dueTime: goDuration(dueInMs),
      ...(periodMs ? { period: goDuration(periodMs) } : {}),
      // We never dispatch on `callback` (dapr #10088 can blank it); the timer name in the URL decides.
      callback: 'onReminder',
      data,
    });
  }

  async deleteTimer(actorType: string, actorId: string, name: string): Promise<void> {
    await this.request('DELETE', `${this.actorPath(actorType, actorId)}/timers/${encodeURIComponent(name)}`);
  }

  /** `POST /v1.0/publish/{pubsub}/{topic}`: daprd wraps the JSON body in a CloudEvent. */
  async publish(pubsubName: string, topic: string, event: unknown, metadata: Record<string, string> = {}): Promise<void> {
    const query = new URLSearchParams(Object.entries(metadata).map(([key, value]): [string, string] => [`metadata.${key}`, value])).toString();
    const path = `/v1.0/publish/${encodeURIComponent(pubsubName)}/${encodeURIComponent(topic)}${query ? `?${query}` : ''}`;
    await this.request('POST', path, event, `publish to "${topic}"`);
  }
}
