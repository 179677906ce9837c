import { createHash } from 'node:crypto';

export interface AppResponse {
  status: number;
  text: string;
  contentType: string | null;
  /** `X-Daprremindercancel: true` in the answer. */
  headers: { cancel: boolean };
}

export class AppUnavailableError extends Error {}

/** The app instance that hosts an actor among `instanceUrls` (a stable hash, as Dapr's placement tables are). */
export function placementOf(instanceUrls: string[], actorType: string, actorId: string): string | undefined {
  if (instanceUrls.length === 0) return undefined;
  const hash = createHash('sha256').update(`${actorType}||${actorId}`).digest().readUInt32BE(0);
  return instanceUrls[hash % instanceUrls.length];
}

/**
 * How the double calls the app, as daprd does: with `dapr-app-id` and, when configured, `dapr-api-token`. An app id
 * may run as several instances (pods, each behind its own daprd): actor calls go to the instance placement picks
 * for the actor (a hash over the instances, as Dapr's placement tables do), everything else round-robin (the
 * consumer group shares the stream between pods).
 */
export class AppChannel {
  urls: string[] = [];
  private next = 0;

  constructor(
    private readonly appId: string,
    private readonly appApiToken: string | undefined,
  ) {}

  /** The first instance (the only one, in single-instance tests). */
  get url(): string | undefined {
    return this.urls[0];
  }

  set url(value: string | undefined) {
    this.urls = value === undefined ? [] : [value];
  }

  get connected(): boolean {
    return this.urls.length > 0;
  }

  async call(method: string, path: string, body?: { text: string | Buffer; contentType: string }, instance?: string): Promise<AppResponse> {
    const url = instance ?? this.instanceFor(path);
    if (!url) throw new AppUnavailableError('the app is not connected');
    const headers: Record<string, string> = { 'dapr-app-id': this.appId };
    if (this.appApiToken) headers['dapr-api-token'] = this.appApiToken;
    if (body) headers['content-type'] = body.contentType;
    let response: Response;
    try {
      response = await fetch(`${url}${path}`, { method, headers, ...(body ? { body: body.text } : {}) });
    } catch (error) {
      throw new AppUnavailableError(`the app did not answer ${method} ${path}`, { cause: error });
    }
    return {
      status: response.status,
      text: await response.text(),
      contentType: response.headers.get('content-type'),
      headers: { cancel: response.headers.get('x-daprremindercancel') === 'true' },
    };
  }

  private instanceFor(path: string): string | undefined {
    const actor = /^\/actors\/([^/]+)\/([^/]+)/.exec(path);
    if (actor) return placementOf(this.urls, decodeURIComponent(actor[1]!), decodeURIComponent(actor[2]!));
    const url = this.urls[this.next % Math.max(1, this.urls.length)];
    this.next += 1;
    return url;
  }
}
