import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneReplyTraces } from './reply-trace-retention.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

describe('reply trace retention', () => {
  it('deletes traces and recorded model and tool calls older than the cut-off, and nothing newer', async () => {
    const { prisma } = database;
    const businessId = (await prisma.business.create({ data: { name: 'Retención' } })).id;
    const old = new Date('2026-01-01T00:00:00Z');
    const recent = new Date('2026-03-01T00:00:00Z');
    for (const [bufferId, createdAt] of [
      [crypto.randomUUID(), old],
      [crypto.randomUUID(), recent],
    ] as const) {
      await prisma.replyTrace.create({
        data: {
          bufferId,
          businessId,
          conversationId: crypto.randomUUID(),
          messageIds: [crypto.randomUUID()],
          provider: 'openai',
          model: 'gpt-4o-mini',
          prompt: [],
          modelCalls: [],
          toolCalls: [],
          promptTokens: 1,
          completionTokens: 1,
          totalTokens: 2,
          bufferWaitMs: 0,
          modelMs: 0,
          toolMs: 0,
          totalMs: 0,
          createdAt,
        },
      });
      await prisma.aiReplyRound.create({
        data: {
          bufferId,
          round: 0,
          businessId,
          model: 'm',
          toolCalls: [],
          promptTokens: 1,
          completionTokens: 1,
          totalTokens: 2,
          durationMs: 1,
          createdAt,
        },
      });
      await prisma.aiToolCall.create({
        data: { idempotencyKey: `${bufferId}:0:0`, bufferId, businessId, round: 0, callIndex: 0, name: 't', startedAt: createdAt },
      });
    }
    expect(await pruneReplyTraces(prisma, new Date('2026-02-01T00:00:00Z'))).toBe(3);
    expect(await prisma.replyTrace.count()).toBe(1);
    expect(await prisma.aiReplyRound.count()).toBe(1);
    expect(await prisma.aiToolCall.count()).toBe(1);
    expect(await pruneReplyTraces(prisma, new Date('2026-02-01T00:00:00Z'))).toBe(0);
  });
});
