import type { PrismaClient } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import type { AgentTool, ToolProvider } from '@app/domain';
import { createLogger } from '@app/runtime/service';
import { createOpenAiTestServer, type OpenAiTestServer } from '@app/testkit/openai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAiChatModel } from '../model/openai-chat-model.ts';
import { createAgentTestRunner } from './run-agent-tests.ts';

/** Agent test cases through the real tool loop: PostgreSQL, the unmodified `openai` client against its wire double. */
let database: TestDatabase;
let prisma: PrismaClient;
let openai: OpenAiTestServer;
let businessId: string;
const bookings: unknown[] = [];
const lookups: unknown[] = [];

const tools: AgentTool[] = [
  {
    name: 'consultar_envio',
    description: 'Coste de envío a una ciudad.',
    parameters: { type: 'object', properties: { ciudad: { type: 'string' } }, required: ['ciudad'] },
    sideEffects: false,
    timeoutMs: 1_000,
    run: async (args) => {
      lookups.push(args);
      return { ok: true, result: { ciudad: args['ciudad'], coste: 'gratis' } };
    },
  },
  {
    name: 'crear_pedido',
    description: 'Crea un pedido.',
    parameters: { type: 'object', properties: { producto: { type: 'string' } }, required: ['producto'] },
    sideEffects: true,
    timeoutMs: 1_000,
    run: async (args) => {
      bookings.push(args);
      return { ok: true, result: { pedido: 'P-1' } };
    },
  },
];
const provider: ToolProvider = { load: async () => ({ tools }) };

function runner() {
  return createAgentTestRunner({
    prisma,
    model: createOpenAiChatModel({ client: new OpenAI({ apiKey: 'sk-test', baseURL: openai.baseURL }), requestTimeoutMs: 5_000, maxRetries: 0 }),
    clock: { now: () => new Date() },
    logger: createLogger({ service: 'agent-tests', level: 'silent' }),
    toolProviders: [provider],
    maxToolRounds: 3,
    concurrency: 1,
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = database.prisma;
  openai = await createOpenAiTestServer();
  const business = await prisma.business.create({ data: { name: 'Panadería Sol', timezone: 'Europe/Madrid' } });
  businessId = business.id;
  await prisma.agentConfig.create({ data: { businessId, systemPrompt: 'Eres el asistente de {{business_name}}.', model: 'gpt-4o-mini' } });
});

afterAll(async () => {
  await openai?.close();
  await database?.drop();
});

beforeEach(() => {
  openai.reset();
  bookings.splice(0);
  lookups.splice(0);
});

describe('agent test runs', () => {
  it('runs each case as a fresh sandbox conversation: read-only tools run, side-effect tools are only checked, verdicts per turn', async () => {
    openai.script(
      { toolCalls: [{ id: 'c1', name: 'consultar_envio', arguments: '{"ciudad":"Madrid"}' }] },
      'El envío a Madrid es gratis.',
      { toolCalls: [{ id: 'c2', name: 'crear_pedido', arguments: '{"producto":"pan integral"}' }] },
      'Listo, tu pedido P-1 está hecho.',
      'Hola, ¿en qué te ayudo?',
    );
    const result = await runner().run({
      businessId,
      cases: [
        {
          id: 'case-1',
          name: 'Envío y pedido',
          steps: [
            {
              customer: '¿Enviáis a Madrid?',
              expect: [
                { type: 'calls_tool', tool: 'consultar_envio' },
                { type: 'mentions', text: 'envio a madrid' },
              ],
            },
            { customer: 'Quiero un pan integral', expect: [{ type: 'calls_tool', tool: 'crear_pedido' }] },
          ],
        },
        { id: 'case-2', name: 'Saludo', steps: [{ customer: 'Hola', expect: [{ type: 'mentions', text: 'bienvenido' }] }] },
      ],
    });

    expect(result).toMatchObject({ passed: 1, failed: 1 });
    const [shipping, greeting] = result.cases;
    expect(shipping).toMatchObject({ id: 'case-1', passed: true, error: null });
    expect(shipping!.turns.map((turn) => turn.toolCalls)).toEqual([
      [{ name: 'consultar_envio', arguments: '{"ciudad":"Madrid"}', simulated: false, error: null }],
      [{ name: 'crear_pedido', arguments: '{"producto":"pan integral"}', simulated: true, error: null }],
    ]);
    expect(lookups).toEqual([{ ciudad: 'Madrid' }]);
    expect(bookings).toEqual([]); // checked, never made
    expect(greeting).toMatchObject({ passed: false, turns: [{ reply: 'Hola, ¿en qué te ayudo?', passed: false }] });
    expect(greeting!.turns[0]!.verdicts[0]!.detail).toBe('the answer does not mention "bienvenido"');

    // The second turn builds on the first: the model saw the first answer; the simulated call told it "succeeded".
    const requests = openai.chatRequests();
    expect(requests[0]!.messages[0]).toEqual({ role: 'system', content: 'Eres el asistente de Panadería Sol.' });
    expect(requests[2]!.messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(JSON.parse(String(requests[3]!.messages.at(-1)!.content))).toMatchObject({ simulated: true });
    // Nothing was stored as a conversation; the tokens spent are recorded.
    expect(await prisma.message.count({ where: { businessId } })).toBe(0);
    expect(await prisma.tokenUsage.count({ where: { businessId, feature: 'agent_test' } })).toBe(2);
  });

  it('runs a draft prompt and model instead of the saved ones', async () => {
    openai.setReply(() => 'ok');
    await runner().run({
      businessId,
      draft: { systemPrompt: 'Borrador para {{business_name}}.', model: 'gpt-4.1-mini' },
      cases: [{ id: 'c', name: 'x', steps: [{ customer: 'hola', expect: [] }] }],
    });
    const [request] = openai.chatRequests();
    expect(request!.model).toBe('gpt-4.1-mini');
    expect(request!.messages[0]).toEqual({ role: 'system', content: 'Borrador para Panadería Sol.' });
  });

  it('fails a case whose model call fails, with the reason, and runs the others', async () => {
    openai.injectFailures('model_not_found', 1);
    openai.setReply(() => 'Hola');
    const result = await runner().run({
      businessId,
      cases: [
        { id: 'a', name: 'roto', steps: [{ customer: 'hola', expect: [] }] },
        { id: 'b', name: 'bien', steps: [{ customer: 'hola', expect: [{ type: 'mentions', text: 'hola' }] }] },
      ],
    });
    expect(result.cases.map((entry) => [entry.id, entry.passed, entry.error !== null])).toEqual([
      ['a', false, true],
      ['b', true, false],
    ]);
    expect(result.cases[0]!.error).toMatch(/404|model/i);
  });
});
