import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordInboundMessage, SecretBox, type PrismaClient } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import {
  AiReplyRequested,
  parseOutboundAllowList,
  type AgentTool,
  type CompleteBufferInput,
  type FailBufferInput,
  type ToolProvider,
} from '@app/domain';
import type { ActorClient } from '@app/runtime/ports';
import { createDirectHttpToolCaller, sealHttpToolHeaders } from '@app/runtime/providers';
import { createLogger } from '@app/runtime/service';
import { createOpenAiTestServer, type ChatCompletionRequestBody, type OpenAiTestServer } from '@app/testkit/openai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AiReplyWorker } from './ai-reply-worker.ts';
import { createOpenAiChatModel } from './model/openai-chat-model.ts';
import { createToolProviders } from './tools/tool-providers.ts';

/**
 * The tool loop through the real worker: PostgreSQL, the unmodified `openai` client against the OpenAI wire double
 * (scripted tool calls), tools that call a local HTTP server. The actor is a recorder (its own suite covers it).
 */

const logger = createLogger({ service: 'conversation-actors-test', level: 'silent' });
let database: TestDatabase;
let prisma: PrismaClient;
let openai: OpenAiTestServer;
let shop: { server: Server; base: string; requests: Array<{ method: string; path: string; key: string | undefined; body: string }> };
let businessId: string;
let instanceId: string;
let phoneSequence = 0;

/** What the worker told the actor. */
let actorCalls: Array<{ method: string; argument: CompleteBufferInput | FailBufferInput }>;
let failNextComplete = false;
const actors: ActorClient = {
  invoke: async <T>(_type: string, _id: string, method: string, argument?: unknown) => {
    if (method === 'completeBuffer' && failNextComplete) {
      failNextComplete = false;
      throw new Error('actor unreachable (simulated)');
    }
    actorCalls.push({ method, argument: argument as CompleteBufferInput });
    return undefined as T;
  },
};

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The shop's own API the tools call: order lookups, bookings (a side effect), and one endpoint that hangs. */
async function startShop() {
  const requests: Array<{ method: string; path: string; key: string | undefined; body: string }> = [];
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    const path = request.url ?? '/';
    requests.push({ method: request.method ?? 'GET', path, key: request.headers['idempotency-key'] as string | undefined, body });
    if (path.startsWith('/pedidos/')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ numero: path.slice('/pedidos/'.length), estado: 'en camino', entrega: 'mañana antes de las 12' }));
      return;
    }
    if (path === '/reservas') {
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ reserva: `R-${requests.filter((entry) => entry.path === '/reservas').length}` }));
      return;
    }
    if (path === '/lento') {
      const timer = setTimeout(() => response.end('{}'), 5_000);
      request.on('close', () => clearTimeout(timer));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const tools = (): AgentTool[] => [
  {
    name: 'consultar_pedido',
    description: 'Consulta el estado de un pedido por su número (p. ej. A-17).',
    parameters: {
      type: 'object',
      properties: { numero: { type: 'string', pattern: '^[A-Z]-\\d+$' } },
      required: ['numero'],
      additionalProperties: false,
    },
    sideEffects: false,
    timeoutMs: 2_000,
    async run(args, call) {
      const response = await fetch(`${shop.base}/pedidos/${String(args['numero'])}`, { signal: call.signal });
      return { ok: true, result: await response.json() };
    },
  },
  {
    name: 'crear_reserva',
    description: 'Reserva una mesa.',
    parameters: { type: 'object', properties: { personas: { type: 'integer', minimum: 1 } }, required: ['personas'] },
    sideEffects: true,
    timeoutMs: 2_000,
    async run(args, call) {
      const response = await fetch(`${shop.base}/reservas`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': call.idempotencyKey, authorization: 'Bearer shop-secret-token' },
        body: JSON.stringify(args),
        signal: call.signal,
      });
      return { ok: true, result: await response.json() };
    },
  },
  {
    name: 'consultar_inventario',
    description: 'Consulta el inventario (lento).',
    parameters: { type: 'object', properties: {} },
    sideEffects: false,
    timeoutMs: 300,
    async run(_args, call) {
      const response = await fetch(`${shop.base}/lento`, { signal: call.signal });
      return { ok: true, result: await response.json() };
    },
  },
  {
    name: 'enviar_catalogo',
    description: 'Envía el catálogo en PDF.',
    parameters: { type: 'object', properties: {} },
    sideEffects: false,
    timeoutMs: 1_000,
    run: async () => ({
      ok: true,
      result: { enviado: 'Catálogo 2026' },
      send: [{ kind: 'document', media: { mediaId: 'library/catalogo.pdf', mimeType: 'application/pdf', filename: 'Catalogo 2026.pdf' } }],
    }),
  },
];

const provider: ToolProvider = {
  load: async () => ({ tools: tools(), promptNotes: ['Horario: 8 a 18 h.'], secrets: ['shop-secret-token'] }),
};

function worker(options: { maxToolRounds?: number; providers?: ToolProvider[] } = {}) {
  return new AiReplyWorker({
    prisma,
    actors,
    model: createOpenAiChatModel({ client: new OpenAI({ apiKey: 'sk-test', baseURL: openai.baseURL }), requestTimeoutMs: 5_000, maxRetries: 0 }),
    clock: { now: () => new Date() },
    logger,
    leaseMs: 60_000,
    toolProviders: options.providers ?? [provider],
    maxToolRounds: options.maxToolRounds ?? 5,
    modelPrices: { 'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 } },
  });
}

/** A customer's burst stored as an ingress does, and the AI job the actor would publish for it. */
async function burst(texts: string[], attempt = 1, bufferId = crypto.randomUUID()) {
  phoneSequence += 1;
  const phone = `5491100000${phoneSequence}`;
  const stored: Array<Awaited<ReturnType<typeof recordInboundMessage>>> = [];
  for (const [index, text] of texts.entries()) {
    stored.push(
      await recordInboundMessage(prisma, {
        businessId,
        instanceId,
        sender: { phone, name: 'Lucía' },
        providerMessageId: `wamid.tools.${phone}.${index}`,
        sentAt: new Date(Date.now() - 5_000 + index),
        content: { kind: 'text', text },
      }),
    );
  }
  const { conversationId, contactId } = stored[0]!;
  const job = (forAttempt: number) =>
    AiReplyRequested.create({
      bufferId,
      businessId,
      instanceId,
      conversationId,
      contactId,
      messageIds: stored.map((message) => message.messageId),
      firstMessageAt: new Date(Date.now() - 5_000).toISOString(),
      lastMessageAt: new Date().toISOString(),
      attempt: forAttempt,
    });
  return { bufferId, conversationId, contactId, event: job(attempt), job };
}

const toolMessages = (request: ChatCompletionRequestBody | undefined) =>
  (request?.messages ?? []).filter((message) => message.role === 'tool').map((message) => JSON.parse(String(message.content)) as unknown);

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = database.prisma;
  openai = await createOpenAiTestServer();
  shop = await startShop();
  const business = await prisma.business.create({ data: { name: 'Cantina Luna', timezone: 'America/Argentina/Buenos_Aires' } });
  businessId = business.id;
  await prisma.agentConfig.create({ data: { businessId, systemPrompt: 'Sos el asistente de {{business_name}}.', model: 'gpt-4o-mini' } });
  instanceId = (await prisma.instance.create({ data: { businessId, provider: 'SANDBOX', name: 'sandbox' } })).id;
});

afterAll(async () => {
  await openai?.close();
  shop?.server.closeAllConnections();
  await new Promise((resolve) => shop?.server.close(resolve));
  await database?.drop();
});

beforeEach(() => {
  openai.reset();
  openai.setReply(() => 'Listo.');
  shop.requests.splice(0);
  actorCalls = [];
  failNextComplete = false;
});

describe('the AI worker with tools (PostgreSQL, OpenAI double, a local HTTP API)', () => {
  it('calls a tool in a Spanish conversation and answers with its result; tokens per model call, a trace with the tool call', async () => {
    openai.script(
      {
        toolCalls: [{ id: 'call_pedido', name: 'consultar_pedido', arguments: '{"numero":"A-17"}' }],
        usage: { prompt_tokens: 120, completion_tokens: 20 },
      },
      (request) => {
        const result = toolMessages(request)[0] as { estado: string; entrega: string };
        return {
          content: `¡Hola Lucía! Tu pedido A-17 está ${result.estado} y llega ${result.entrega}.`,
          usage: { prompt_tokens: 180, completion_tokens: 25 },
        };
      },
    );
    const { bufferId, conversationId, event } = await burst(['hola', '¿dónde está mi pedido A-17?']);
    expect(await worker().handle(event)).toBe('success');

    const [first, second] = openai.chatRequests();
    expect(first!.messages[0]).toEqual({ role: 'system', content: 'Sos el asistente de Cantina Luna.\n\nHorario: 8 a 18 h.' });
    expect((first!['tools'] as Array<{ function: { name: string } }>).map((tool) => tool.function.name)).toEqual([
      'consultar_pedido',
      'crear_reserva',
      'consultar_inventario',
      'enviar_catalogo',
    ]);
    expect(second!.messages.slice(-2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_pedido', type: 'function', function: { name: 'consultar_pedido', arguments: '{"numero":"A-17"}' } }],
      },
      {
        role: 'tool',
        tool_call_id: 'call_pedido',
        content: JSON.stringify({ numero: 'A-17', estado: 'en camino', entrega: 'mañana antes de las 12' }),
      },
    ]);
    expect(shop.requests.map((request) => request.path)).toEqual(['/pedidos/A-17']);

    const replies = await prisma.message.findMany({ where: { conversationId, author: 'AI' } });
    expect(replies.map((reply) => reply.text)).toEqual(['¡Hola Lucía! Tu pedido A-17 está en camino y llega mañana antes de las 12.']);
    expect(actorCalls).toEqual([{ method: 'completeBuffer', argument: { bufferId, replyMessageIds: [replies[0]!.id] } }]);

    const usage = await prisma.tokenUsage.findMany({ where: { sourceId: { startsWith: bufferId } }, orderBy: { sourceId: 'asc' } });
    expect(usage.map((row) => [row.sourceId, row.promptTokens, row.completionTokens, row.model, row.provider, row.feature])).toEqual([
      [`${bufferId}:0`, 120, 20, 'gpt-4o-mini', 'openai', 'reply'],
      [`${bufferId}:1`, 180, 25, 'gpt-4o-mini', 'openai', 'reply'],
    ]);
    const trace = await prisma.replyTrace.findUniqueOrThrow({ where: { bufferId } });
    expect(trace).toMatchObject({ model: 'gpt-4o-mini', messageIds: [replies[0]!.id], promptTokens: 300, completionTokens: 45, totalTokens: 345 });
    expect(trace.costUsd).toBeCloseTo((300 * 0.15 + 45 * 0.6) / 1_000_000, 12);
    expect(trace.toolCalls).toEqual([
      expect.objectContaining({
        round: 0,
        name: 'consultar_pedido',
        arguments: { numero: 'A-17' },
        error: null,
        result: expect.stringContaining('en camino'),
      }),
    ]);
    expect(trace.bufferWaitMs).toBeGreaterThanOrEqual(4_000);
    expect(trace.totalMs).toBeGreaterThanOrEqual(trace.bufferWaitMs);
    expect((trace.prompt as unknown[]).length).toBe(second!.messages.length);
  });

  it('tells the model about malformed arguments, arguments against the schema, unknown tools and a timeout — and still answers', async () => {
    openai.script(
      {
        toolCalls: [
          { id: 'call_roto', name: 'consultar_pedido', arguments: '{"numero": "A-1' },
          { id: 'call_esquema', name: 'consultar_pedido', arguments: '{"numero": 17}' },
          { id: 'call_nada', name: 'borrar_todo', arguments: '{}' },
          { id: 'call_lento', name: 'consultar_inventario', arguments: '{}' },
        ],
      },
      'Perdón, no pude consultar eso ahora. ¿Me repetís el número de pedido?',
    );
    const { bufferId, conversationId, event } = await burst(['¿tienen stock? pedido A-1']);
    const started = Date.now();
    expect(await worker().handle(event)).toBe('success');
    expect(Date.now() - started).toBeLessThan(4_000); // the slow tool was cut off at 300 ms

    const errors = toolMessages(openai.chatRequests()[1]) as Array<{ error: string }>;
    expect(errors.map((message) => message.error)).toEqual([
      expect.stringContaining('not valid JSON'),
      expect.stringMatching(/invalid arguments: .*numero.* must be string/),
      'unknown tool "borrar_todo"',
      'timed out after 300 ms',
    ]);
    expect(shop.requests.map((request) => request.path)).toEqual(['/lento']);
    expect(await prisma.message.count({ where: { conversationId, author: 'AI' } })).toBe(1);
    const trace = await prisma.replyTrace.findUniqueOrThrow({ where: { bufferId } });
    expect((trace.toolCalls as Array<{ error: string | null; arguments: unknown }>).map((call) => [call.arguments, call.error !== null])).toEqual([
      ['{"numero": "A-1', true],
      [{ numero: 17 }, true],
      [{}, true],
      [{}, true],
    ]);
  });

  it('stops offering tools after the round limit: one last call without tools, and the agent answers with what it has', async () => {
    openai.setReply((request) =>
      request['tools'] ? { toolCalls: [{ name: 'consultar_pedido', arguments: '{"numero":"B-2"}' }] } : 'Tu pedido B-2 está en camino.',
    );
    const { conversationId, event } = await burst(['¿y el B-2?']);
    expect(await worker({ maxToolRounds: 2 }).handle(event)).toBe('success');
    const requests = openai.chatRequests();
    expect(requests.map((request) => request['tools'] !== undefined)).toEqual([true, true, false]);
    expect(shop.requests).toHaveLength(2);
    expect((await prisma.message.findFirstOrThrow({ where: { conversationId, author: 'AI' } })).text).toBe('Tu pedido B-2 está en camino.');
  });

  it('never repeats a side-effect tool when the reply fails to be stored after the tool ran: the retry replays the recorded rounds', async () => {
    openai.script(
      { toolCalls: [{ id: 'call_reserva', name: 'crear_reserva', arguments: '{"personas":4}' }] },
      (request) => `Listo, tu reserva ${(toolMessages(request)[0] as { reserva: string }).reserva} para 4 personas está confirmada.`,
    );
    // The reply's statement fails once, after the tool ran and both model calls were made (a crash before the send).
    await prisma.$executeRawUnsafe(`CREATE SEQUENCE IF NOT EXISTS crash_once`);
    await prisma.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION crash_store_once() RETURNS trigger AS $$
      BEGIN IF nextval('crash_once') = 1 THEN RAISE EXCEPTION 'simulated crash before the send'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER crash_store_once BEFORE INSERT ON reply_trace FOR EACH ROW EXECUTE FUNCTION crash_store_once()`);
    const { bufferId, conversationId, job } = await burst(['Quiero reservar para 4 personas']);
    try {
      await expect(worker().handle(job(1))).rejects.toThrow(/simulated crash/);
      expect(shop.requests.filter((request) => request.path === '/reservas')).toHaveLength(1);
      expect(await prisma.message.count({ where: { conversationId, author: 'AI' } })).toBe(0);

      // The actor's ai-timeout re-requests it: attempt 2 replays both recorded model calls and the recorded booking.
      expect(await worker().handle(job(2))).toBe('success');
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER crash_store_once ON reply_trace`);
    }
    const bookings = shop.requests.filter((request) => request.path === '/reservas');
    expect(bookings).toHaveLength(1);
    expect(bookings[0]!.key).toBe(`${bufferId}:0:0`);
    expect(openai.chatRequests()).toHaveLength(2);
    const replies = await prisma.message.findMany({ where: { conversationId, author: 'AI' } });
    expect(replies.map((reply) => reply.text)).toEqual(['Listo, tu reserva R-1 para 4 personas está confirmada.']);
    expect(actorCalls).toEqual([{ method: 'completeBuffer', argument: { bufferId, replyMessageIds: [replies[0]!.id] } }]);
    expect(await prisma.tokenUsage.count({ where: { sourceId: { startsWith: bufferId } } })).toBe(2);
    // The trace never holds the shop's token (the tool's secret), though the tool sent it.
    expect(JSON.stringify(await prisma.replyTrace.findUniqueOrThrow({ where: { bufferId } }))).not.toContain('shop-secret-token');

    // Stored, but the actor never heard of it: the redelivery finds the reply and only reports it.
    failNextComplete = true;
    const { job: otherJob, conversationId: other } = await burst(['otra reserva, para 2']);
    openai.script({ toolCalls: [{ name: 'crear_reserva', arguments: '{"personas":2}' }] }, 'Reserva confirmada.');
    await expect(worker().handle(otherJob(1))).rejects.toThrow(/actor unreachable/);
    expect(await worker().handle(otherJob(2))).toBe('success');
    expect(shop.requests.filter((request) => request.path === '/reservas')).toHaveLength(2);
    expect(openai.chatRequests()).toHaveLength(4);
    expect(await prisma.message.count({ where: { conversationId: other, author: 'AI' } })).toBe(1);
  });

  it('runs a side-effect call that started but never finished (a crash mid-call) again, with the same idempotency key', async () => {
    const { bufferId, event } = await burst(['reservá para 3']);
    // What a worker that died inside the handler left behind: the model's round and the call marked as started.
    await prisma.aiReplyRound.create({
      data: {
        bufferId,
        round: 0,
        businessId,
        model: 'gpt-4o-mini',
        toolCalls: [{ id: 'call_a', name: 'crear_reserva', arguments: '{"personas":3}' }],
        promptTokens: 50,
        completionTokens: 10,
        totalTokens: 60,
        durationMs: 800,
      },
    });
    await prisma.aiToolCall.create({
      data: { idempotencyKey: `${bufferId}:0:0`, bufferId, businessId, round: 0, callIndex: 0, name: 'crear_reserva', startedAt: new Date() },
    });
    openai.script('Reserva para 3 confirmada.');
    expect(await worker().handle(event)).toBe('success');
    expect(shop.requests.map((request) => [request.path, request.key])).toEqual([['/reservas', `${bufferId}:0:0`]]);
    expect(openai.chatRequests()).toHaveLength(1); // round 0 was replayed, only round 1 asked
    expect(await prisma.aiToolCall.findUniqueOrThrow({ where: { idempotencyKey: `${bufferId}:0:0` } })).toMatchObject({
      outcome: expect.objectContaining({ ok: true }),
      finishedAt: expect.any(Date),
    });
  });

  it('sends the files a tool asked for after the text, as one ordered reply', async () => {
    openai.script({ toolCalls: [{ name: 'enviar_catalogo', arguments: '{}' }] }, 'Te paso el catálogo 👇');
    const { bufferId, conversationId, event } = await burst(['¿me pasás el catálogo?']);
    expect(await worker().handle(event)).toBe('success');
    const replies = await prisma.message.findMany({ where: { conversationId, author: 'AI' }, orderBy: { sentAt: 'asc' } });
    expect(replies.map((reply) => [reply.kind, reply.idempotencyKey])).toEqual([
      ['text', `ai-reply:${bufferId}`],
      ['document', `ai-reply:${bufferId}:1`],
    ]);
    expect(actorCalls).toEqual([{ method: 'completeBuffer', argument: { bufferId, replyMessageIds: replies.map((reply) => reply.id) } }]);
  });

  it('calls a business HTTP tool (an n8n webhook) defined in the database, with its template, secret header and key, and answers with its result', async () => {
    const credentials = new SecretBox({ currentKeyId: 'k1', keys: { k1: randomBytes(32) } });
    const toolId = crypto.randomUUID();
    await prisma.httpTool.create({
      data: {
        id: toolId,
        businessId,
        name: 'reservar_mesa',
        description: 'Reserva una mesa para N personas.',
        parameters: { type: 'object', properties: { personas: { type: 'integer', minimum: 1 } }, required: ['personas'] },
        url: `${shop.base}/reservas`,
        headerNames: ['Authorization'],
        encryptedHeaders: sealHttpToolHeaders(credentials, toolId, { Authorization: 'Bearer n8n-secret' }),
        bodyTemplate: '{"personas": {{personas}}, "cliente": "{{contact.name}}", "telefono": "{{contact.phone}}"}',
      },
    });
    try {
      openai.script({ toolCalls: [{ id: 'call_mesa', name: 'reservar_mesa', arguments: '{"personas":4}' }] }, (request) => {
        const result = toolMessages(request)[0] as { reserva: string };
        return { content: `¡Listo! Tu reserva ${result.reserva} para 4 personas está confirmada.` };
      });
      const { bufferId, conversationId, event } = await burst(['quiero reservar para 4']);
      const httpTools = createToolProviders({
        prisma,
        clock: { now: () => new Date() },
        logger,
        httpTools: { credentials, caller: createDirectHttpToolCaller({ allowHttp: true, allowList: parseOutboundAllowList('127.0.0.1') }) },
      });
      expect(await worker({ providers: httpTools }).handle(event)).toBe('success');

      expect(shop.requests).toEqual([{ method: 'POST', path: '/reservas', key: `${bufferId}:0:0`, body: expect.any(String) }]);
      expect(JSON.parse(shop.requests[0]!.body)).toEqual({ personas: 4, cliente: 'Lucía', telefono: expect.stringMatching(/^5491100000/) });
      const replies = await prisma.message.findMany({ where: { conversationId, author: 'AI' } });
      expect(replies.map((reply) => reply.text)).toEqual(['¡Listo! Tu reserva R-1 para 4 personas está confirmada.']);
      // The header's value is a secret: never in the stored trace.
      const trace = await prisma.replyTrace.findUniqueOrThrow({ where: { bufferId } });
      expect(JSON.stringify(trace)).not.toContain('n8n-secret');
    } finally {
      await prisma.httpTool.delete({ where: { id: toolId } });
    }
  });
});
