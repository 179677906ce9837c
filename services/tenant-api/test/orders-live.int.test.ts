import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, createSandboxInstance, issueTicket, sendCustomerMessage, startLiveServer, type LiveServer } from './live-harness.ts';
import { dataOf, openSse, waitForFrame, type SseConnection } from './live-sse-client.ts';
import { signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

interface OrderEvent {
  order: { id: string; status: string; totalMinor: number; items: Array<{ name: string }> };
}

describe('live updates of orders', () => {
  let harness: TenantApiHarness;
  let server: LiveServer;
  let alice: SignedInTenant;
  let bob: SignedInTenant;
  const connections: SseConnection[] = [];

  beforeAll(async () => {
    harness = await startTenantApiHarness();
    server = await startLiveServer(harness);
    [alice, bob] = await Promise.all([signUp(harness), signUp(harness)]);
  });
  afterAll(async () => {
    for (const connection of connections) connection.close();
    await server?.stop();
    await harness?.close();
  });

  it('sends a created and a moved order to its business only, as the REST view', async () => {
    const instance = await createSandboxInstance(server, alice);
    const sent = await sendCustomerMessage(server, alice, instance, 'Quiero dos panes');
    const [aliceStream, bobStream] = (await Promise.all(
      [alice, bob].map(async (tenant) => {
        const connection = await openSse(`${server.url}/api/live?ticket=${await issueTicket(server, tenant)}`);
        connections.push(connection);
        await waitForFrame(connection, (frame) => frame.event === 'ready');
        return connection;
      }),
    )) as [SseConnection, SseConnection];

    const product = await callApi<{ id: string }>(server, alice, 'POST', '/api/products', { name: 'Pan', priceMinor: 150, currency: 'EUR' });
    const created = await callApi<{ id: string }>(server, alice, 'POST', '/api/orders', {
      contactId: sent.contactId,
      customer: { name: 'Ana' },
      items: [{ productId: product.body.id, quantity: 2 }],
    });
    expect(created.status).toBe(201);
    const first = dataOf<OrderEvent>(await waitForFrame(aliceStream, (frame) => frame.event === 'order.updated'));
    expect(first.order).toEqual(created.body);

    await callApi(server, alice, 'POST', `/api/orders/${created.body.id}/status`, { status: 'PAID' });
    const moved = await waitForFrame(aliceStream, (frame) => frame.event === 'order.updated' && dataOf<OrderEvent>(frame).order.status === 'PAID');
    expect(dataOf<OrderEvent>(moved).order).toMatchObject({ id: created.body.id, totalMinor: 300 });

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bobStream.frames.some((frame) => frame.event === 'order.updated')).toBe(false);
  });
});
