import { CommunicationProtocolEnum, DaprClient, LogLevel } from '@dapr/dapr';

export interface DaprClientOptions {
  /** The sidecar's HTTP address, e.g. `http://127.0.0.1:3500`. */
  daprHttpUrl: string;
  daprApiToken?: string;
}

/** `@dapr/dapr`'s DaprClient over HTTP, pointed at one sidecar URL, with the SDK's console logging turned down. */
export function createDaprClient(options: DaprClientOptions): DaprClient {
  const url = new URL(options.daprHttpUrl);
  return new DaprClient({
    daprHost: `${url.protocol}//${url.hostname}`,
    daprPort: url.port || (url.protocol === 'https:' ? '443' : '80'),
    communicationProtocol: CommunicationProtocolEnum.HTTP,
    ...(options.daprApiToken ? { daprApiToken: options.daprApiToken } : {}),
    logger: { level: LogLevel.Error },
  });
}
