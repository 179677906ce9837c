import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOutboundAllowList } from '@app/domain';
import { createDirectHttpToolCaller, type DirectHttpToolCallerOptions } from './direct-http-tool-caller.ts';
import type { HttpToolRequest } from './http-tool-caller.ts';
import { runHttpTool, toToolOutcome } from './run-http-tool.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('the direct HTTP tool caller (standalone)', () => {
  let server: Server;
  let port: number;
  const received: Received[] = [];
  const routes: Record<string, (request: IncomingMessage, response: ServerResponse, body: string) => void> = {
    '/json': (_request, response, body) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ echo: JSON.parse(body || 'null') }));
    },
    '/empty': (_request, response) => response.writeHead(204).end(),
    '/slow': (_request, response) => {
      const timer = setTimeout(() => response.end('{}'), 3_000);
      response.on('close', () => clearTimeout(timer));
    },
    '/large': (_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ filler: 'x'.repeat(20_000) }));
    },
    '/large-chunked': (_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.write('{"filler":"');
      for (let index = 0; index < 40; index += 1) response.write('y'.repeat(1_000));
      response.end('"}');
    },
    '/fails': (_request, response) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('boom: the workflow crashed\n'.repeat(30));
    },
    '/html': (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html><body>Welcome to n8n</body></html>');
    },
    '/redirect-same': (_request, response) => response.writeHead(307, { location: '/json' }).end(),
    '/redirect-loopback': (_request, response) => response.writeHead(302, { location: `http://127.0.0.1:${port}/json` }).end(),
    '/redirect-loop': (_request, response) => response.writeHead(307, { location: '/redirect-loop' }).end(),
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
        const route = routes[new URL(request.url ?? '/', 'http://x').pathname];
        if (route) route(request, response, body);
        else response.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  /** `n8n.test` resolves to this machine, without DNS; the operator allow-lists it by name. */
  const caller = (overrides: Partial<DirectHttpToolCallerOptions> = {}) =>
    createDirectHttpToolCaller({
      allowHttp: true,
      allowList: parseOutboundAllowList('n8n.test'),
      resolve: async (hostname) => {
        if (hostname === 'n8n.test' || hostname === 'other.test') return [{ address: '127.0.0.1', family: 4 }];
        if (hostname === 'metadata.test') return [{ address: '169.254.169.254', family: 4 }];
        if (hostname === 'split.test')
          return [
            { address: '93.184.216.34', family: 4 },
            { address: '10.0.0.7', family: 4 },
          ];
        throw Object.assign(new Error(`unknown host ${hostname}`), { code: 'ENOTFOUND' });
      },
      ...overrides,
    });
  const post = (url: string, extra: Partial<HttpToolRequest> = {}): HttpToolRequest => ({
    url,
    method: 'POST',
    headers: {},
    body: '{"city":"Madrid"}',
    timeoutMs: 2_000,
    ...extra,
  });

  describe('the SSRF guard (no DNS involved)', () => {
    it.each([
      ['literal loopback IPv4', () => `http://127.0.0.1:${port}/json`, 'loopback'],
      ['literal private IPv4', () => 'http://10.0.0.1/json', 'private'],
      ['literal IPv6 loopback', () => `http://[::1]:${port}/json`, 'loopback'],
      ['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${port}/json`, 'loopback'],
      ['cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/', 'metadata'],
      ['IPv6 metadata address', () => 'http://[fd00:ec2::254]/', 'metadata'],
      ['the unspecified address', () => `http://0.0.0.0:${port}/json`, 'unspecified'],
      ['a name resolving to the metadata address', () => 'http://metadata.test/', 'metadata'],
      ['a name resolving to a public and a private address', () => 'http://split.test/', 'private'],
      ['a name resolving to loopback that is not allow-listed', () => `http://other.test:${port}/json`, 'loopback'],
    ])('refuses %s before connecting', async (_case, url, kind) => {
      const before = received.length;
      const answer = await caller().call(post(url()));
      expect(answer).toMatchObject({ ok: false, error: expect.stringContaining(`is a ${kind} address`) });
      expect(received.length).toBe(before);
    });

    it('refuses plain http unless the operator allows it, and URLs with credentials', async () => {
      await expect(caller({ allowHttp: false }).call(post(`http://n8n.test:${port}/json`))).resolves.toMatchObject({
        ok: false,
        error: expect.stringContaining('only https://'),
      });
      await expect(caller().call(post(`http://user:pw@n8n.test:${port}/json`))).resolves.toMatchObject({
        ok: false,
        error: expect.stringContaining('credentials'),
      });
    });

    it('lets an allow-listed host through and connects to the address it checked', async () => {
      const answer = await caller().call(post(`http://n8n.test:${port}/json`, { headers: { 'X-Api-Key': 'k-123' } }));
      expect(answer).toMatchObject({ ok: true, status: 200, body: { echo: { city: 'Madrid' } } });
      const request = received.at(-1)!;
      expect(request).toMatchObject({ method: 'POST', url: '/json' });
      expect(request.headers).toMatchObject({ host: `n8n.test:${port}`, 'x-api-key': 'k-123', 'content-type': 'application/json' });
    });

    it('lets an allow-listed address block through', async () => {
      const answer = await caller({ allowList: parseOutboundAllowList('127.0.0.0/8') }).call(post(`http://127.0.0.1:${port}/json`));
      expect(answer).toMatchObject({ ok: true, body: { echo: { city: 'Madrid' } } });
    });

    it('follows a redirect within the allowed host, keeping method and body on 307', async () => {
      const answer = await caller().call(post(`http://n8n.test:${port}/redirect-same`));
      expect(answer).toMatchObject({ ok: true, body: { echo: { city: 'Madrid' } } });
    });

    it('does not follow a redirect to loopback', async () => {
      const before = received.length;
      const answer = await caller().call(post(`http://n8n.test:${port}/redirect-loopback`));
      expect(answer).toMatchObject({ ok: false, error: expect.stringContaining('is a loopback address (127.0.0.1)') });
      expect(received.slice(before).map((request) => request.url)).toEqual(['/redirect-loopback']);
    });

    it('stops after three redirects', async () => {
      const answer = await caller().call(post(`http://n8n.test:${port}/redirect-loop`));
      expect(answer).toMatchObject({ ok: false, error: 'more than 3 redirects', status: 307 });
    });
  });

  describe('answers', () => {
    it('reports a timeout', async () => {
      const answer = await caller().call(post(`http://n8n.test:${port}/slow`, { timeoutMs: 300 }));
      expect(answer).toMatchObject({ ok: false, error: 'timed out after 300 ms' });
      expect(answer.durationMs).toBeLessThan(2_000);
    });

    it('refuses a body larger than the cap, declared or streamed', async () => {
      for (const path of ['/large', '/large-chunked']) {
        const answer = await caller().call(post(`http://n8n.test:${port}${path}`));
        expect(answer).toMatchObject({ ok: false, error: 'the answer is larger than 16384 bytes', status: 200 });
      }
    });

    it('reports a non-2xx answer with its status and a short snippet', async () => {
      const answer = await caller().call(post(`http://n8n.test:${port}/fails`));
      expect(answer).toMatchObject({ ok: false, error: 'HTTP 500', status: 500, snippet: expect.stringMatching(/^boom: the workflow crashed/) });
      expect(answer.ok === false && answer.snippet!.length).toBeLessThanOrEqual(201);
    });

    it('reports a 2xx answer that is not JSON', async () => {
      const answer = await caller().call(post(`http://n8n.test:${port}/html`));
      expect(answer).toMatchObject({
        ok: false,
        error: expect.stringContaining('not JSON (text/html)'),
        snippet: expect.stringContaining('Welcome to n8n'),
      });
    });

    it('takes an empty 2xx answer as a null result', async () => {
      await expect(caller().call(post(`http://n8n.test:${port}/empty`))).resolves.toMatchObject({ ok: true, status: 204, body: null });
    });

    it('reports an unknown host', async () => {
      await expect(caller().call(post('http://nowhere.test/'))).resolves.toMatchObject({ ok: false, error: expect.stringContaining('ENOTFOUND') });
    });
  });

  describe('runHttpTool', () => {
    const tool = (overrides: object = {}) => ({
      name: 'consultar_pedido',
      url: `http://n8n.test:${port}/json`,
      method: 'POST' as const,
      headers: { Authorization: 'Bearer very-secret' },
      bodyTemplate: '{"order": "{{order}}", "phone": "{{contact.phone}}", "greeting": "Hola {{contact.name}}"}',
      timeoutMs: 2_000,
      ...overrides,
    });
    const context = { 'contact.phone': '+34600111222', 'contact.name': 'Ana', 'conversation.id': 'c-1', 'business.name': 'Sol' };

    it('fills the template, sends the idempotency key and redacts the tool’s headers in what it reports', async () => {
      const run = await runHttpTool(caller(), tool(), { args: { order: 'A-17' }, context, idempotencyKey: 'buffer-1:0:0' });
      expect(run).toMatchObject({
        sent: true,
        request: {
          method: 'POST',
          headers: { Authorization: '[redacted]', 'Idempotency-Key': 'buffer-1:0:0' },
          body: '{"order": "A-17", "phone": "+34600111222", "greeting": "Hola Ana"}',
        },
        response: { ok: true, body: { echo: { order: 'A-17', phone: '+34600111222', greeting: 'Hola Ana' } } },
      });
      expect(received.at(-1)!.headers).toMatchObject({ authorization: 'Bearer very-secret', 'idempotency-key': 'buffer-1:0:0' });
      expect(toToolOutcome(run)).toEqual({ ok: true, result: { echo: { order: 'A-17', phone: '+34600111222', greeting: 'Hola Ana' } } });
    });

    it('sends nothing when a variable is missing', async () => {
      const before = received.length;
      const run = await runHttpTool(caller(), tool(), { args: {}, context: { ...context, 'contact.name': null } });
      expect(run).toEqual({ sent: false, missing: ['order', 'contact.name'] });
      expect(received.length).toBe(before);
      expect(toToolOutcome(run)).toEqual({ ok: false, error: expect.stringContaining('{{order}}, {{contact.name}}') });
    });

    it('tells the model about an error answer with its snippet', async () => {
      const run = await runHttpTool(caller(), tool({ url: `http://n8n.test:${port}/fails` }), { args: { order: 'A' }, context });
      expect(toToolOutcome(run)).toEqual({ ok: false, error: expect.stringMatching(/^HTTP 500 — body: boom/) });
    });
  });
});
