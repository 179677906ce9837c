import { recordInboundMessage, type PrismaClient } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { AiReplyRequested } from '@app/domain';
import type { ActorClient } from '@app/runtime/ports';
import { createLogger } from '@app/runtime/service';
import { createOpenAiTestServer, type ChatCompletionRequestBody, type OpenAiTestServer } from '@app/testkit/openai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AiReplyWorker } from '../../ai-reply-worker.ts';
import { createOpenAiChatModel } from '../../model/openai-chat-model.ts';
import { createToolProviders } from '../tool-providers.ts';

/**
 * A salon's agent books in Spanish through the real worker and tool loop: PostgreSQL, the platform's own tool
 * providers, the unmodified `openai` client against its wire double scripted as a model would answer.
 */
const logger = createLogger({ service: 'appointments-conversation', level: 'silent' });
const timeZone = 'America/Mexico_City';
let database: TestDatabase;
let prisma: PrismaClient;
let openai: OpenAiTestServer;
let businessId: string;
let instanceId: string;
const actors: ActorClient = { invoke: async <T>() => undefined as T };

/** Tomorrow's date where the salon is (never today, so 16:00 is always ahead). */
const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
  new Date(Date.now() + 24 * 60 * 60_000),
);

function worker() {
  const clock = { now: () => new Date() };
  return new AiReplyWorker({
    prisma,
    actors,
    model: createOpenAiChatModel({ client: new OpenAI({ apiKey: 'sk-test', baseURL: openai.baseURL }), requestTimeoutMs: 5_000, maxRetries: 0 }),
    clock,
    logger,
    leaseMs: 60_000,
    toolProviders: createToolProviders({ prisma, clock, logger }),
  });
}

async function customerWrites(phone: string, name: string, text: string) {
  const stored = await recordInboundMessage(prisma, {
    businessId,
    instanceId,
    sender: { phone, name },
    providerMessageId: `wamid.salon.${phone}.${Date.now()}`,
    sentAt: new Date(),
    content: { kind: 'text', text },
  });
  const event = AiReplyRequested.create({
    bufferId: crypto.randomUUID(),
    businessId,
    instanceId,
    conversationId: stored.conversationId,
    contactId: stored.contactId,
    messageIds: [stored.messageId],
    firstMessageAt: new Date().toISOString(),
    lastMessageAt: new Date().toISOString(),
    attempt: 1,
  });
  expect(await worker().handle(event)).toBe('success');
  const replies = await prisma.message.findMany({ where: { conversationId: stored.conversationId, author: 'AI' }, orderBy: { createdAt: 'asc' } });
  return replies.at(-1)?.text ?? null;
}

const lastToolAnswer = (request: ChatCompletionRequestBody) => {
  const tool = [...request.messages].reverse().find((message) => message.role === 'tool');
  return JSON.parse(String(tool?.content)) as Record<string, unknown>;
};

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = database.prisma;
  openai = await createOpenAiTestServer();
  const business = await prisma.business.create({ data: { name: 'Barbería Centro', timezone: timeZone, objective: 'APPOINTMENTS' } });
  businessId = business.id;
  await prisma.agentConfig.create({ data: { businessId, systemPrompt: 'Eres la recepcionista de {{business_name}}.', model: 'gpt-4o-mini' } });
  instanceId = (await prisma.instance.create({ data: { businessId, provider: 'SANDBOX', name: 'sandbox' } })).id;
  await prisma.bookableService.create({ data: { businessId, name: 'Corte', durationMinutes: 60 } });
  await prisma.availabilityRule.createMany({
    data: [0, 1, 2, 3, 4, 5, 6].flatMap((weekday) => [
      { businessId, weekday, startMinute: 10 * 60, endMinute: 14 * 60 },
      { businessId, weekday, startMinute: 16 * 60, endMinute: 19 * 60 },
    ]),
  });
});

afterAll(async () => {
  await openai?.close();
  await database?.drop();
});

describe('booking by WhatsApp in Spanish', () => {
  it('checks availability, books, and offers a second customer who wants the same time the free alternatives', async () => {
    openai.script(
      { toolCalls: [{ id: 'c1', name: 'consultar_disponibilidad', arguments: JSON.stringify({ service: 'Corte', date_from: tomorrow }) }] },
      (request) => {
        const slots = lastToolAnswer(request)['slots'] as Array<{ start: string }>;
        const afternoon = slots.find((slot) => slot.start.startsWith(`${tomorrow}T16:00`));
        expect(afternoon).toBeDefined();
        return { toolCalls: [{ id: 'c2', name: 'agendar_cita', arguments: JSON.stringify({ service: 'Corte', start: `${tomorrow}T16:00` }) }] };
      },
      (request) => {
        const booked = lastToolAnswer(request)['appointment'] as { start: string };
        return `¡Listo Ana! Te espero mañana a las ${booked.start.slice(11, 16)} para tu corte.`;
      },
    );
    expect(await customerWrites('5215500000001', 'Ana', '¿Tienen lugar mañana por la tarde para un corte?')).toBe(
      '¡Listo Ana! Te espero mañana a las 16:00 para tu corte.',
    );

    openai.script(
      { toolCalls: [{ id: 'c3', name: 'agendar_cita', arguments: JSON.stringify({ service: 'Corte', start: `${tomorrow}T16:00` }) }] },
      (request) => {
        const refused = lastToolAnswer(request) as { error: string };
        expect(refused.error).toContain('already booked');
        expect(refused.error).toContain(`${tomorrow}T17:00`); // the hour right after is among the free times offered
        const alternative = refused.error.match(new RegExp(`${tomorrow}T(\\d\\d:\\d\\d)`))?.[1];
        return `Lo siento Luis, a las 16:00 ya está ocupado. ¿Te sirve a las ${alternative}?`;
      },
    );
    const answer = await customerWrites('5215500000002', 'Luis', 'Quiero un corte mañana a las 4 de la tarde');
    expect(answer).toMatch(/^Lo siento Luis, a las 16:00 ya está ocupado\. ¿Te sirve a las (?!16:00)\d\d:\d\d\?$/);
    expect(await prisma.appointment.count({ where: { businessId } })).toBe(1);
  });
});
