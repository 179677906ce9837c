import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretBox } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { parseOutboundAllowList, type ToolCallContext, type ToolProvider } from '@app/domain';
import { createDirectHttpToolCaller, sealHttpToolHeaders } from '@app/runtime/providers';
import { createLogger } from '@app/runtime/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToolProviders } from '../tool-providers.ts';

describe('the HTTP tool provider', () => {
  let database: TestDatabase;
  let target: Server;
  let targetUrl: string;
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const credentials = new SecretBox({ currentKeyId: 'k1', keys: { k1: randomBytes(32) } });

  beforeAll(async () => {
    database = await createTestDatabase();
    target = createServer((incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        received.push({ headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (incoming.url === '/slow') return void setTimeout(() => response.end('{}'), 3_000).unref();
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ estado: 'enviado' }));
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    target?.closeAllConnections();
    await new Promise((resolve) => target?.close(resolve));
    await database?.drop();
  });

  /** Every provider's tools at once: this business has no contact fields, files or catalogue, so only its HTTP tools show. */
  const together = (sources: ToolProvider[]): ToolProvider => ({
    load: async (scope) => {
      const sets = await Promise.all(sources.map((source) => source.load(scope)));
      return { tools: sets.flatMap((set) => set.tools), secrets: sets.flatMap((set) => set.secrets ?? []) };
    },
  });

  const providers = () =>
    createToolProviders({
      prisma: database.prisma,
      clock: { now: () => new Date() },
      logger: createLogger({ service: 'test', level: 'silent' }),
      httpTools: {
        credentials,
        caller: createDirectHttpToolCaller({ allowHttp: true, allowList: parseOutboundAllowList('127.0.0.1') }),
      },
    });

  async function business(name: string) {
    const { prisma } = database;
    const row = await prisma.business.create({ data: { name } });
    const contact = await prisma.contact.create({ data: { businessId: row.id, phone: '+34600111222', name: 'Ana' } });
    return { businessId: row.id, contactId: contact.id, conversationId: randomUUID() };
  }

  async function tool(businessId: string, fields: { name: string; url?: string; active?: boolean; secret?: string; timeoutMs?: number }) {
    const id = randomUUID();
    await database.prisma.httpTool.create({
      data: {
        id,
        businessId,
        name: fields.name,
        description: `Tool ${fields.name}`,
        parameters: { type: 'object', properties: { pedido: { type: 'string' } }, required: ['pedido'] },
        url: fields.url ?? `${targetUrl}/webhook`,
        headerNames: ['X-Key'],
        encryptedHeaders: sealHttpToolHeaders(credentials, id, { 'X-Key': fields.secret ?? 'secret-value' }),
        bodyTemplate:
          '{"pedido": "{{pedido}}", "cliente": "{{contact.name}}", "telefono": "{{contact.phone}}", "conversacion": "{{conversation.id}}"}',
        timeoutMs: fields.timeoutMs ?? 10_000,
        active: fields.active ?? true,
      },
    });
  }

  const callContext = (scope: { businessId: string; contactId: string; conversationId: string }, key = 'buffer-1:0:0'): ToolCallContext => ({
    ...scope,
    instanceId: randomUUID(),
    provider: 'SANDBOX',
    idempotencyKey: key,
    signal: new AbortController().signal,
  });

  it('offers the business’s active tools only, as side-effecting tools whose header values are the set’s secrets', async () => {
    const mine = await business('Panadería Sol');
    const theirs = await business('Other');
    await tool(mine.businessId, { name: 'consultar_pedido', secret: 'Bearer mine-secret' });
    await tool(mine.businessId, { name: 'apagada', active: false, secret: 'inactive-secret' });
    await tool(theirs.businessId, { name: 'ajena', secret: 'their-secret' });

    const provider = together(providers());
    const set = await provider.load(mine);
    expect(set.tools.map((entry) => ({ name: entry.name, sideEffects: entry.sideEffects, timeoutMs: entry.timeoutMs }))).toEqual([
      { name: 'consultar_pedido', sideEffects: true, timeoutMs: 10_000 },
    ]);
    expect(set.tools[0]!.parameters).toMatchObject({ type: 'object', required: ['pedido'] });
    expect(set.secrets).toEqual(['Bearer mine-secret', 'mine-secret']);
  });

  it('runs a call with the conversation’s values and the idempotency key, and returns the JSON answer', async () => {
    const scope = await business('Tienda');
    await tool(scope.businessId, { name: 'consultar_pedido', secret: 's3cret' });
    const provider = together(providers());
    const [consultar] = (await provider.load(scope)).tools;
    const outcome = await consultar!.run({ pedido: 'A-17' }, callContext(scope, 'buffer-9:1:0'));
    expect(outcome).toEqual({ ok: true, result: { estado: 'enviado' } });
    const arrived = received.at(-1)!;
    expect(arrived.headers).toMatchObject({ 'x-key': 's3cret', 'idempotency-key': 'buffer-9:1:0' });
    expect(JSON.parse(arrived.body)).toEqual({ pedido: 'A-17', cliente: 'Ana', telefono: '+34600111222', conversacion: scope.conversationId });
  });

  it('reports a missing argument, a timeout and a refused address to the model as errors', async () => {
    const scope = await business('Errores');
    await tool(scope.businessId, { name: 'lenta', url: `${targetUrl}/slow`, timeoutMs: 1_000 });
    await tool(scope.businessId, { name: 'privada', url: 'http://10.1.2.3/webhook' });
    const provider = together(providers());
    const tools = Object.fromEntries((await provider.load(scope)).tools.map((entry) => [entry.name, entry]));
    await expect(tools['lenta']!.run({}, callContext(scope))).resolves.toEqual({ ok: false, error: expect.stringContaining('{{pedido}}') });
    await expect(tools['lenta']!.run({ pedido: 'x' }, callContext(scope))).resolves.toEqual({ ok: false, error: 'timed out after 1000 ms' });
    await expect(tools['privada']!.run({ pedido: 'x' }, callContext(scope))).resolves.toEqual({
      ok: false,
      error: expect.stringContaining('is a private address (10.1.2.3)'),
    });
  });

  it('leaves out a tool whose header values no configured key opens, and offers none without the HTTP tools setting', async () => {
    const scope = await business('Rotated');
    await tool(scope.businessId, { name: 'buena' });
    await database.prisma.httpTool.create({
      data: {
        businessId: scope.businessId,
        name: 'ilegible',
        description: 'x',
        parameters: { type: 'object' },
        url: `${targetUrl}/webhook`,
        headerNames: ['X-Key'],
        encryptedHeaders: new SecretBox({ currentKeyId: 'old', keys: { old: randomBytes(32) } }).encrypt('{}', 'http_tool:x'),
      },
    });
    const provider = together(providers());
    expect((await provider.load(scope)).tools.map((entry) => entry.name)).toEqual(['buena']);
    const withoutHttpTools = createToolProviders({
      prisma: database.prisma,
      clock: { now: () => new Date() },
      logger: createLogger({ service: 'test', level: 'silent' }),
    });
    expect((await together(withoutHttpTools).load(scope)).tools).toEqual([]);
  });
});
