import { confirmVoucher, recordInboundMessage, type PrismaClient } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { AiReplyRequested, productSearchText, type DomainEvent, type MessageContent } from '@app/domain';
import type { ActorClient } from '@app/runtime/ports';
import { createLogger } from '@app/runtime/service';
import { createOpenAiTestServer, type ChatCompletionRequestBody, type OpenAiTestServer } from '@app/testkit/openai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { voucherIntakeSubscription } from '../../../subscriptions/voucher-intake.subscription.ts';
import { AiReplyWorker } from '../../ai-reply-worker.ts';
import { createOpenAiChatModel } from '../../model/openai-chat-model.ts';
import { createToolProviders } from '../tool-providers.ts';

/**
 * A shop's agent sells in Spanish through the real worker and tool loop (PostgreSQL, the platform's own tool providers,
 * the unmodified `openai` client against its wire double): a typo search, an order priced by the shop, the payment
 * voucher the customer sends attached by the intake subscription, and the operator's confirmation told to the customer.
 */
const logger = createLogger({ service: 'sales-conversation', level: 'silent' });
const clock = { now: () => new Date() };
let database: TestDatabase;
let prisma: PrismaClient;
let openai: OpenAiTestServer;
let businessId: string;
let instanceId: string;
let shirtId: string;
const actors: ActorClient = { invoke: async <T>() => undefined as T };
const phone = '5491155550001';
let sequence = 0;

async function customerSends(content: MessageContent) {
  sequence += 1;
  return recordInboundMessage(prisma, {
    businessId,
    instanceId,
    sender: { phone, name: 'Sofía' },
    providerMessageId: `wamid.shop.${sequence}`,
    sentAt: new Date(),
    content,
  });
}

async function agentAnswers(text: string): Promise<string | null> {
  const stored = await customerSends({ kind: 'text', text });
  const worker = new AiReplyWorker({
    prisma,
    actors,
    model: createOpenAiChatModel({ client: new OpenAI({ apiKey: 'sk-test', baseURL: openai.baseURL }), requestTimeoutMs: 5_000, maxRetries: 0 }),
    clock,
    logger,
    leaseMs: 60_000,
    toolProviders: createToolProviders({ prisma, clock, logger }),
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
  expect(await worker.handle(event)).toBe('success');
  const reply = await prisma.message.findFirst({ where: { conversationId: stored.conversationId, author: 'AI' }, orderBy: { createdAt: 'desc' } });
  return reply?.text ?? null;
}

const lastToolAnswer = (request: ChatCompletionRequestBody) => {
  const tool = [...request.messages].reverse().find((message) => message.role === 'tool');
  return JSON.parse(String(tool?.content)) as Record<string, unknown>;
};

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = database.prisma;
  openai = await createOpenAiTestServer();
  const business = await prisma.business.create({ data: { name: 'Tienda Sol', timezone: 'America/Argentina/Buenos_Aires', objective: 'SALES' } });
  businessId = business.id;
  await prisma.agentConfig.create({ data: { businessId, systemPrompt: 'Sos la vendedora de {{business_name}}.', model: 'gpt-4o-mini' } });
  instanceId = (await prisma.instance.create({ data: { businessId, provider: 'SANDBOX', name: 'sandbox' } })).id;
  const product = (name: string, priceMinor: number, stock: number) =>
    prisma.product.create({
      data: { businessId, name, priceMinor, currency: 'ARS', stock, searchText: productSearchText({ name, category: 'Ropa', sku: null }) },
    });
  shirtId = (await product('Camisa azul', 2_500_000, 5)).id;
  await product('Camisa roja', 2_400_000, 5);
  await product('Pantalón azul', 4_000_000, 5);
});

afterAll(async () => {
  await openai?.close();
  await database?.drop();
});

describe('selling by WhatsApp in Spanish', () => {
  it('finds "camisa azl", takes the order at the shop’s price, attaches the voucher photo, and tells the customer it is paid', async () => {
    openai.script({ toolCalls: [{ id: 'c1', name: 'buscar_producto', arguments: '{"query":"camisa azl"}' }] }, (request) => {
      const [best] = lastToolAnswer(request)['matches'] as Array<{ productId: string; name: string; price: string }>;
      expect(best!.name).toBe('Camisa azul');
      return `Tenemos la ${best!.name} a ${best!.price}. ¿Te la reservo? Pasame tu nombre y dirección.`;
    });
    expect(await agentAnswers('hola, tenés camisa azl?')).toMatch(/^Tenemos la Camisa azul a .*25\.000/);

    openai.script(
      {
        toolCalls: [
          {
            id: 'c2',
            name: 'crear_pedido',
            // The model writes a price it made up: the shop's catalogue decides the total.
            arguments: JSON.stringify({
              items: [{ productId: shirtId, quantity: 2 }],
              customerName: 'Sofía Pérez',
              address: 'Av. Corrientes 1234',
              notes: 'precio 1',
            }),
          },
        ],
      },
      (request) => {
        const { order } = lastToolAnswer(request) as { order: { reference: string; total: string } };
        return `Listo, pedido ${order.reference} por ${order.total}. Mandame la foto del comprobante de transferencia.`;
      },
    );
    expect(await agentAnswers('Sí, dos. Soy Sofía Pérez, Av. Corrientes 1234')).toMatch(/^Listo, pedido .+ por .*50\.000.*comprobante/);
    const order = await prisma.order.findFirstOrThrow({ where: { businessId } });
    expect(order).toMatchObject({ status: 'AWAITING_VOUCHER', totalMinor: 5_000_000, currency: 'ARS' });

    // The customer sends the photo; the intake subscription (on messages.inbound) attaches it and says so.
    const photo = await customerSends({ kind: 'image', media: { mediaId: 'media-1', mimeType: 'image/jpeg', caption: 'comprobante' } });
    const received = (
      await prisma.outboxEvent.findFirstOrThrow({
        where: { topic: 'messages.inbound', payload: { path: ['data', 'messageId'], equals: photo.messageId } },
      })
    ).payload as unknown as DomainEvent;
    expect(await voucherIntakeSubscription({ prisma, clock, logger }).handler(received)).toBe('success');
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).voucherMessageId).toBe(photo.messageId);

    // The operator confirms with one click (the API calls this): PAID, and the customer is told.
    await confirmVoucher(prisma, { businessId, orderId: order.id, now: new Date() });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('PAID');
    const told = await prisma.message.findMany({
      where: { conversationId: photo.conversationId, direction: 'OUTBOUND' },
      orderBy: { createdAt: 'asc' },
    });
    expect(told.slice(-2).map((message) => message.text)).toEqual([
      expect.stringContaining('Recibimos tu comprobante'),
      expect.stringMatching(/^¡Pago confirmado! Tu pedido .* \(50\.000,00\sARS\) ya está pagado/),
    ]);
  });
});
