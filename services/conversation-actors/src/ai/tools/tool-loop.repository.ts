import { randomUUID } from 'node:crypto';
import { Prisma, queryRawFast, type PrismaClient } from '@app/db';
import type { ChatUsage, ToolCall } from '../model/chat-model.ts';
import type { ToolCallOutcome } from './tool-runner.ts';

/** A model call of a reply's tool loop as recorded: replayed instead of asked again when the buffer is retried. */
export interface RecordedRound {
  round: number;
  text: string | null;
  toolCalls: ToolCall[];
  usage: ChatUsage;
  durationMs: number;
}

export interface RecordedToolCall {
  /** Null: started and never finished (the worker died mid-call), so it runs again with the same key. */
  outcome: ToolCallOutcome | null;
  durationMs: number | null;
}

export interface RecordedLoop {
  rounds: Map<number, RecordedRound>;
  /** By idempotency key (`<bufferId>:<round>:<callIndex>`). */
  toolCalls: Map<string, RecordedToolCall>;
}

export function toolCallKey(bufferId: string, round: number, callIndex: number): string {
  return `${bufferId}:${round}:${callIndex}`;
}

/** The token_usage source of one model call of a reply: counted once however often the buffer is retried. */
export function modelCallSourceId(bufferId: string, round: number): string {
  return `${bufferId}:${round}`;
}

/** What earlier attempts of this buffer recorded (two indexed reads; both empty on a first attempt). */
export async function loadRecordedLoop(prisma: PrismaClient, bufferId: string): Promise<RecordedLoop> {
  const [rounds, toolCalls] = await Promise.all([
    prisma.aiReplyRound.findMany({ where: { bufferId }, orderBy: { round: 'asc' } }),
    prisma.aiToolCall.findMany({ where: { bufferId }, select: { idempotencyKey: true, outcome: true, durationMs: true } }),
  ]);
  return {
    rounds: new Map(rounds.map((row) => [row.round, toRecordedRound(row)])),
    toolCalls: new Map(
      toolCalls.map((row) => [row.idempotencyKey, { outcome: (row.outcome as ToolCallOutcome | null) ?? null, durationMs: row.durationMs }]),
    ),
  };
}

function toRecordedRound(row: {
  round: number;
  text: string | null;
  toolCalls: Prisma.JsonValue;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  durationMs: number;
}): RecordedRound {
  return {
    round: row.round,
    text: row.text,
    toolCalls: row.toolCalls as unknown as ToolCall[],
    usage: { promptTokens: row.promptTokens, completionTokens: row.completionTokens, totalTokens: row.totalTokens },
    durationMs: row.durationMs,
  };
}

export interface RecordRoundInput {
  bufferId: string;
  businessId: string;
  attempt: number;
  round: number;
  provider: string;
  model: string;
  text: string | null;
  toolCalls: ToolCall[];
  usage: ChatUsage;
  durationMs: number;
  now: Date;
  /** False for an answer that must not be replayed (an empty text, which another call may fix): only its tokens are kept. */
  replayable: boolean;
}

/**
 * Records one model call and its token usage in ONE statement. The first recording of a round wins: when another
 * worker got there first (a lease taken over), its round is returned and must be used instead of ours, so the
 * rounds a retry replays are the ones whose tool calls may already have run.
 */
export async function recordRound(prisma: PrismaClient, input: RecordRoundInput): Promise<RecordedRound> {
  const now = Prisma.sql`(${input.now.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
  // An answer that is not replayed may be asked again in the next attempt: its tokens are its attempt's.
  const sourceId = input.replayable
    ? modelCallSourceId(input.bufferId, input.round)
    : `${modelCallSourceId(input.bufferId, input.round)}:attempt-${input.attempt}`;
  const usage = input.usage;
  const rows = await queryRawFast<{ recorded: boolean }>(
    prisma,
    Prisma.sql`
    WITH round AS (
      INSERT INTO ai_reply_round ("bufferId", "round", "businessId", "model", "text", "toolCalls", "promptTokens", "completionTokens", "totalTokens", "durationMs", "createdAt")
      SELECT ${input.bufferId}::uuid, ${input.round}::integer, ${input.businessId}::uuid, ${input.model}::text, ${input.text}::text,
             ${JSON.stringify(input.toolCalls)}::jsonb, ${usage.promptTokens}::integer, ${usage.completionTokens}::integer, ${usage.totalTokens}::integer,
             ${Math.round(input.durationMs)}::integer, ${now}
      WHERE ${input.replayable}::boolean
      ON CONFLICT ("bufferId", "round") DO NOTHING
      RETURNING 1
    ),
    usage AS (
      INSERT INTO token_usage ("id", "businessId", "provider", "feature", "model", "promptTokens", "completionTokens", "totalTokens", "sourceId", "createdAt")
      SELECT ${randomUUID()}::uuid, ${input.businessId}::uuid, ${input.provider}::text, 'reply', ${input.model}::text, ${usage.promptTokens}::integer,
             ${usage.completionTokens}::integer, ${usage.totalTokens}::integer, ${sourceId}::text, ${now}
      WHERE EXISTS (SELECT 1 FROM round) OR NOT ${input.replayable}::boolean
      ON CONFLICT DO NOTHING
    )
    SELECT EXISTS (SELECT 1 FROM round) AS recorded`,
  );
  const mine: RecordedRound = { round: input.round, text: input.text, toolCalls: input.toolCalls, usage, durationMs: input.durationMs };
  if (!input.replayable || rows[0]?.recorded) return mine;
  const existing = await prisma.aiReplyRound.findUnique({ where: { bufferId_round: { bufferId: input.bufferId, round: input.round } } });
  return existing ? toRecordedRound(existing) : mine;
}

export interface ToolCallRecordKey {
  idempotencyKey: string;
  bufferId: string;
  businessId: string;
  round: number;
  callIndex: number;
  name: string;
}

/** Before a side-effect tool runs: a crash from here on leaves a call that is run again with the same key. */
export async function startToolCall(prisma: PrismaClient, key: ToolCallRecordKey, now: Date): Promise<void> {
  await prisma.aiToolCall.createMany({ data: [{ ...key, startedAt: now }], skipDuplicates: true });
}

/** After the call: its outcome, replayed from now on. */
export async function finishToolCall(
  prisma: PrismaClient,
  key: ToolCallRecordKey,
  finished: { outcome: ToolCallOutcome; durationMs: number; startedAt: Date; now: Date },
): Promise<void> {
  const outcome = finished.outcome as unknown as Prisma.InputJsonValue;
  const durationMs = Math.round(finished.durationMs);
  await prisma.aiToolCall.upsert({
    where: { idempotencyKey: key.idempotencyKey },
    create: { ...key, outcome, durationMs, startedAt: finished.startedAt, finishedAt: finished.now },
    update: { outcome, durationMs, finishedAt: finished.now },
  });
}

/** The tool loop's journal in PostgreSQL: what a retried or crash-recovered buffer replays. */
export function createToolLoopJournal(prisma: PrismaClient) {
  return {
    load: (bufferId: string) => loadRecordedLoop(prisma, bufferId),
    recordRound: (input: RecordRoundInput) => recordRound(prisma, input),
    startToolCall: (key: ToolCallRecordKey, now: Date) => startToolCall(prisma, key, now),
    finishToolCall: (key: ToolCallRecordKey, finished: Parameters<typeof finishToolCall>[2]) => finishToolCall(prisma, key, finished),
  };
}
