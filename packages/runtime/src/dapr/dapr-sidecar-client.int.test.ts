import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DaprSidecarClient, SidecarError } from './dapr-sidecar-client.ts';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
});

/** A sidecar that accepts the connection and never answers (a wedged daprd, a placement table being rebuilt). */
async function silentSidecar(sendHeaders: boolean): Promise<string> {
  server = createServer((_request, response) => {
    if (sendHeaders) response.writeHead(200, { 'content-type': 'application/json' }).write('{"partial":');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

describe('DaprSidecarClient', () => {
  it('gives up on a sidecar that does not answer, instead of holding the turn or delivery forever', async () => {
    const client = new DaprSidecarClient({ daprHttpUrl: await silentSidecar(false), timeoutMs: 200 });
    const started = Date.now();
    await expect(client.getState('T', '1', 'k')).rejects.toSatisfy((error) => error instanceof SidecarError && error.status === 0);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('gives up on a sidecar that stalls after sending its headers', async () => {
    const client = new DaprSidecarClient({ daprHttpUrl: await silentSidecar(true), timeoutMs: 200 });
    await expect(client.publish('pubsub', 'orders', { id: 'x' })).rejects.toBeInstanceOf(SidecarError);
  });
});
