import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDaprSidecarDouble, type DaprSidecarDouble } from '@app/testkit/dapr-sidecar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpToolRequest } from '../providers/http-tools/http-tool-caller.ts';
import { runHttpTool, toToolOutcome } from '../providers/http-tools/run-http-tool.ts';
import { createDaprHttpToolCaller } from './dapr-http-tool-caller.ts';

describe('HTTP tools through the Dapr HTTP output binding (sidecar double)', () => {
  let target: Server;
  let baseUrl: string;
  let sidecar: DaprSidecarDouble;
  const received: Array<{ url: string; headers: IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    target = createServer((incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ url: incoming.url ?? '', headers: incoming.headers, body });
        const path = new URL(incoming.url ?? '/', 'http://x').pathname;
        if (path === '/webhook/fails') return void response.writeHead(503, { 'content-type': 'text/plain' }).end('n8n is down');
        if (path === '/webhook/html') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<p>Workflow started</p>');
        if (path === '/webhook/slow') return void setTimeout(() => response.end('{}'), 3_000).unref();
        response.setHeader('content-type', 'application/json');
        if (path === '/webhook/large') return void response.end(JSON.stringify({ filler: 'x'.repeat(30_000) }));
        response.end(JSON.stringify({ estado: 'enviado', got: JSON.parse(body || 'null') }));
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/webhook`;
    // As deploy/dapr/http-tools-binding.yaml configures it: n8n's webhook base URL, one byte over the cap read.
    sidecar = await startDaprSidecarDouble({
      apiToken: 'sidecar-token',
      httpBindings: { 'http-tools': { url: baseUrl, maxResponseBodySize: 16_385 } },
    });
  });

  afterAll(async () => {
    await sidecar?.stop();
    target?.closeAllConnections();
    await new Promise((resolve) => target?.close(resolve));
  });

  const caller = () => createDaprHttpToolCaller({ daprHttpUrl: sidecar.url, apiToken: 'sidecar-token', bindingName: 'http-tools', baseUrl });
  const post = (path: string, extra: Partial<HttpToolRequest> = {}): HttpToolRequest => ({
    url: `${baseUrl}${path}`,
    method: 'POST',
    headers: {},
    body: '{"order":"A-17","n":2}',
    timeoutMs: 2_000,
    ...extra,
  });

  it('sends the tool’s path as metadata.path and its headers as capitalised metadata, and returns the JSON answer', async () => {
    const answer = await caller().call(post('/orders?source=agent', { headers: { 'x-api-key': 'k-1', 'Idempotency-Key': 'b:0:0' } }));
    expect(answer).toMatchObject({ ok: true, status: 200, body: { estado: 'enviado', got: { order: 'A-17', n: 2 } } });
    expect(sidecar.bindingCalls.at(-1)).toEqual({
      name: 'http-tools',
      operation: 'post',
      data: { order: 'A-17', n: 2 },
      metadata: { path: '/orders?source=agent', 'X-api-key': 'k-1', 'Idempotency-Key': 'b:0:0' },
    });
    expect(received.at(-1)).toMatchObject({ url: '/webhook/orders?source=agent', headers: { 'x-api-key': 'k-1', 'idempotency-key': 'b:0:0' } });
  });

  it('refuses a URL outside the binding’s base URL without calling the sidecar', async () => {
    const before = sidecar.bindingCalls.length;
    for (const url of ['https://evil.example/webhook/x', `${baseUrl}-other/x`]) {
      await expect(caller().call(post('', { url }))).resolves.toMatchObject({ ok: false, error: expect.stringContaining('calls HTTP tools under') });
    }
    expect(sidecar.bindingCalls.length).toBe(before);
  });

  it('reports a non-2xx answer with the target’s status, which the binding gives as metadata', async () => {
    await expect(caller().call(post('/fails'))).resolves.toMatchObject({ ok: false, error: 'HTTP 503', status: 503 });
  });

  it('reports a 2xx answer that is not JSON', async () => {
    await expect(caller().call(post('/html'))).resolves.toMatchObject({
      ok: false,
      status: 200,
      error: expect.stringContaining('not JSON (text/html)'),
      snippet: '<p>Workflow started</p>',
    });
  });

  it('refuses an answer larger than the cap', async () => {
    await expect(caller().call(post('/large'))).resolves.toMatchObject({ ok: false, error: 'the answer is larger than 16384 bytes' });
  });

  it('cuts a slow call off at the tool’s timeout', async () => {
    const answer = await caller().call(post('/slow', { timeoutMs: 300 }));
    expect(answer).toMatchObject({ ok: false, error: 'timed out after 300 ms' });
    expect(answer.durationMs).toBeLessThan(2_000);
  });

  it('runs a whole tool call the same way as the direct caller', async () => {
    const run = await runHttpTool(
      caller(),
      {
        name: 'consultar_pedido',
        url: `${baseUrl}/orders`,
        method: 'POST',
        headers: { Authorization: 'Bearer s3cret' },
        bodyTemplate: '{"order": "{{order}}", "who": "{{contact.name}}"}',
        timeoutMs: 2_000,
      },
      {
        args: { order: 'B-2' },
        context: { 'contact.phone': null, 'contact.name': 'Ana', 'conversation.id': 'c', 'business.name': 'Sol' },
        idempotencyKey: 'buf:1:0',
      },
    );
    expect(run).toMatchObject({ sent: true, request: { headers: { Authorization: '[redacted]', 'Idempotency-Key': 'buf:1:0' } } });
    expect(toToolOutcome(run)).toEqual({ ok: true, result: { estado: 'enviado', got: { order: 'B-2', who: 'Ana' } } });
    expect(received.at(-1)!.headers).toMatchObject({ authorization: 'Bearer s3cret', 'idempotency-key': 'buf:1:0' });
  });
});
