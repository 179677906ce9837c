export interface AppResponse {
  status: number;
  text: string;
  contentType: string | null;
}

export class AppUnavailableError extends Error {}

/** How the double calls the app, as daprd does: with `dapr-app-id` and, when configured, `dapr-api-token`. */
export class AppChannel {
  url: string | undefined;

  constructor(
    private readonly appId: string,
    private readonly appApiToken: string | undefined,
  ) {}

  get connected(): boolean {
    return this.url !== undefined;
  }

  async call(method: string, path: string, body?: { text: string | Buffer; contentType: string }): Promise<AppResponse> {
    if (!this.url) throw new AppUnavailableError('the app is not connected');
    const headers: Record<string, string> = { 'dapr-app-id': this.appId };
    if (this.appApiToken) headers['dapr-api-token'] = this.appApiToken;
    if (body) headers['content-type'] = body.contentType;
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, { method, headers, ...(body ? { body: body.text } : {}) });
    } catch (error) {
      throw new AppUnavailableError(`the app did not answer ${method} ${path}`, { cause: error });
    }
    return { status: response.status, text: await response.text(), contentType: response.headers.get('content-type') };
  }
}
