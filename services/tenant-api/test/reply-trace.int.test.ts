import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyTraceSchema } from '../src/conversations/reply-trace.schema.ts';
import { expectError, signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

describe('tenant API: the trace of an AI reply', () => {
  let harness: TenantApiHarness;
  let owner: SignedInTenant;
  let other: SignedInTenant;
  let conversationId: string;
  let replyIds: string[];
  let customerMessageId: string;

  const api = () => request(harness.app);

  beforeAll(async () => {
    harness = await startTenantApiHarness();
    [owner, other] = await Promise.all([signUp(harness), signUp(harness)]);
    const instanceId = (
      await api().post('/api/instances').set('authorization', owner.bearer).send({ provider: 'SANDBOX', name: 'Sandbox' }).expect(201)
    ).body.id;
    const received = await api()
      .post(`/api/sandbox/${instanceId}/messages`)
      .set('authorization', owner.bearer)
      .send({ from: '+5491122223333', text: '¿Dónde está mi pedido A-17?' })
      .expect(202);
    conversationId = received.body.conversationId;
    customerMessageId = received.body.messageId;
    const { prisma } = harness.database;
    // What the AI worker stores for a reply of two messages (its own suite checks that it does).
    replyIds = [randomUUID(), randomUUID()];
    for (const [index, id] of replyIds.entries()) {
      await prisma.message.create({
        data: {
          id,
          businessId: owner.businessId,
          conversationId,
          instanceId,
          direction: 'OUTBOUND',
          author: 'AI',
          kind: index === 0 ? 'text' : 'document',
          text: index === 0 ? 'Tu pedido está en camino.' : null,
          content: index === 0 ? { kind: 'text', text: 'Tu pedido está en camino.' } : { kind: 'document', media: { mediaId: 'x.pdf' } },
          status: 'SENT',
          sentAt: new Date(Date.now() + index),
        },
      });
    }
    await prisma.replyTrace.create({
      data: {
        bufferId: randomUUID(),
        businessId: owner.businessId,
        conversationId,
        messageIds: replyIds,
        provider: 'openai',
        model: 'gpt-4o-mini',
        prompt: [
          { role: 'system', content: 'Sos el asistente.' },
          { role: 'user', content: '¿Dónde está mi pedido A-17?' },
          { role: 'assistant', content: null, toolCalls: [{ id: 'call_1', name: 'consultar_pedido', arguments: '{"numero":"A-17"}' }] },
          { role: 'tool', toolCallId: 'call_1', content: '{"estado":"en camino"}' },
        ],
        modelCalls: [
          { round: 0, promptTokens: 100, completionTokens: 10, totalTokens: 110, durationMs: 900, costUsd: 0.000021 },
          { round: 1, promptTokens: 130, completionTokens: 12, totalTokens: 142, durationMs: 700, costUsd: 0.0000267 },
        ],
        toolCalls: [
          { round: 0, name: 'consultar_pedido', arguments: { numero: 'A-17' }, result: '{"estado":"en camino"}', error: null, durationMs: 120 },
        ],
        promptTokens: 230,
        completionTokens: 22,
        totalTokens: 252,
        costUsd: 0.0000477,
        bufferWaitMs: 5_000,
        modelMs: 1_600,
        toolMs: 120,
        totalMs: 6_800,
      },
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('shows the trace on any message of the reply, documented by its schema', async () => {
    for (const id of replyIds) {
      const { body } = await api().get(`/api/conversations/${conversationId}/messages/${id}/trace`).set('authorization', owner.bearer).expect(200);
      const trace = replyTraceSchema.parse(body);
      expect(trace).toMatchObject({
        messageIds: replyIds,
        model: 'gpt-4o-mini',
        tokens: { prompt: 230, completion: 22, total: 252 },
        costUsd: 0.0000477,
        latency: { bufferWaitMs: 5_000, modelMs: 1_600, toolMs: 120, totalMs: 6_800 },
        toolCalls: [{ name: 'consultar_pedido', arguments: { numero: 'A-17' }, error: null }],
      });
      expect(trace.prompt).toHaveLength(4);
    }
  });

  it('is not found for another tenant, another conversation, a customer message or a malformed id', async () => {
    const path = `/api/conversations/${conversationId}/messages/${replyIds[0]}/trace`;
    expectError((await api().get(path).set('authorization', other.bearer).expect(404)).body, 'NOT_FOUND');
    expectError(
      (await api().get(`/api/conversations/${randomUUID()}/messages/${replyIds[0]}/trace`).set('authorization', owner.bearer).expect(404)).body,
      'NOT_FOUND',
    );
    expectError(
      (await api().get(`/api/conversations/${conversationId}/messages/${customerMessageId}/trace`).set('authorization', owner.bearer).expect(404))
        .body,
      'NOT_FOUND',
    );
    expectError(
      (await api().get(`/api/conversations/${conversationId}/messages/not-a-uuid/trace`).set('authorization', owner.bearer).expect(404)).body,
      'NOT_FOUND',
    );
    await api().get(path).expect(401);
  });
});
