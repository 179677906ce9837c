/**
 * The app → sidecar calls our actor adapter makes (research/dapr.md §2.2), over plain fetch: actor state reads
 * and transactions, reminders and timers. Durations are sent as Go durations in milliseconds (`1500ms`): never
 * days, which daprd rejects.
 */
export interface SidecarClientOptions {
  daprHttpUrl: string;
  /** Sent as `dapr-api-token` when the sidecar requires it (DAPR_API_TOKEN). */
  daprApiToken?: string;
  fetch?: typeof fetch;
}

export type ActorStateOperation =
  | { operation: 'upsert'; request: { key: string; value: unknown } }
  | { operation: 'delete'; request: { key: string } };

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

  async request(method: string, path: string, body?: unknown, what = `${method} ${path}`): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.daprApiToken) headers['dapr-api-token'] = this.options.daprApiToken;
    const response = await this.fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (response.status >= 300) throw new SidecarError(response.status, await response.text(), what);
    return response;
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

  async setReminder(actorType: string, actorId: string, name: string, dueInMs: number, data: unknown): Promise<void> {
    await this.request('PUT', `${this.actorPath(actorType, actorId)}/reminders/${encodeURIComponent(name)}`, {
      dueTime: goDuration(dueInMs),
      data,
    });
  }

  async deleteReminder(actorType: string, actorId: string, name: string): Promise<void> {
    await this.request('DELETE', `${this.actorPath(actorType, actorId)}/reminders/${encodeURIComponent(name)}`);
  }

  async setTimer(actorType: string, actorId: string, name: string, dueInMs: number, data: unknown): Promise<void> {
    await this.request('PUT', `${this.actorPath(actorType, actorId)}/timers/${encodeURIComponent(name)}`, {
      dueTime: goDuration(dueInMs),
      // We never dispatch on `callback` (dapr #10088 can blank it); the timer name in the URL decides.
      callback: 'onReminder',
      data,
    });
  }

  async deleteTimer(actorType: string, actorId: string, name: string): Promise<void> {
    await this.request('DELETE', `${this.actorPath(actorType, actorId)}/timers/${encodeURIComponent(name)}`);
  }
}
