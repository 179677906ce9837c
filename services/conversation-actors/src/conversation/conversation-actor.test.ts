import { randomUUID } from 'node:crypto';
import type { ConversationSnapshot, ReceiveMessageInput } from '@app/domain';
import { beforeEach, describe, expect, it } from 'vitest';
import { InMemoryActorHost } from '../../test/in-memory-actor-host.ts';
import { createConversationActorDefinition } from './conversation-actor.definition.ts';

const actorId = 'instance-1:contact-1';
const ids = { businessId: 'business-1', instanceId: 'instance-1', conversationId: 'conversation-1', contactId: 'contact-1' };

let host: InMemoryActorHost;

function message(overrides: Partial<ReceiveMessageInput> = {}): ReceiveMessageInput {
  return {
    ...ids,
    messageId: randomUUID(),
    provider: 'META',
    sentAt: host.now().toISOString(),
    bufferSeconds: 5,
    maxBufferSeconds: 30,
    ...overrides,
  };
}

const receive = (input: ReceiveMessageInput) => host.invoke(actorId, 'receiveMessage', input);
const snapshot = () => host.invoke<ConversationSnapshot>(actorId, 'getSnapshot');
const eventsOfType = (type: string) => host.published.filter((published) => published.event.type === type);
const aiRequests = () =>
  eventsOfType('ai-reply.requested').map((published) => published.event.data as { bufferId: string; messageIds: string[]; attempt: number });

async function flushOneBurst(count = 1): Promise<{ bufferId: string; messageIds: string[] }> {
  const sent: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const input = message();
    sent.push(input.messageId);
    await receive(input);
  }
  await host.advance(5_000);
  const request = aiRequests().at(-1)!;
  expect(request.messageIds).toEqual(sent);
  return request;
}

beforeEach(() => {
  host = new InMemoryActorHost(createConversationActorDefinition({ aiEnabled: true, aiJobTimeoutSeconds: 120 }));
});

describe('ConversationActor buffering', () => {
  it('debounces: each message pushes the flush, and the burst becomes one AI request', async () => {
    const first = message();
    await receive(first);
    await host.advance(3_000);
    const second = message();
    await receive(second);
    expect(host.reminderOf(actorId, 'flush')?.dueAt).toEqual(new Date(host.now().getTime() + 5_000));
    await host.advance(4_999);
    expect(aiRequests()).toHaveLength(0);
    await host.advance(1);
    expect(aiRequests()).toEqual([expect.objectContaining({ messageIds: [first.messageId, second.messageId], attempt: 1 })]);
    expect((await snapshot()).openBuffer).toBeNull();
  });

  it('caps the wait at maxBufferSeconds after the first message', async () => {
    const start = host.now().getTime();
    for (let index = 0; index < 5; index += 1) {
      await receive(message({ bufferSeconds: 5, maxBufferSeconds: 12 }));
      await host.advance(4_000);
      if (aiRequests().length > 0) break;
    }
    expect(aiRequests()).toHaveLength(1);
    expect(aiRequests()[0]!.messageIds).toHaveLength(3);
    const request = eventsOfType('ai-reply.requested')[0]!;
    expect(Date.parse(request.event.occurredAt) - start).toBe(12_000);
  });

  it('tracks the reply window from the latest customer message (+24 h), never shrinking it', async () => {
    const sentAt = new Date(host.now().getTime() - 60_000);
    await receive(message({ sentAt: sentAt.toISOString() }));
    expect((await snapshot()).windowExpiresAt).toBe(new Date(sentAt.getTime() + 24 * 3_600_000).toISOString());
    await receive(message({ sentAt: new Date(sentAt.getTime() - 3_600_000).toISOString() }));
    expect((await snapshot()).windowExpiresAt).toBe(new Date(sentAt.getTime() + 24 * 3_600_000).toISOString());
  });

  it('ignores a redelivered message', async () => {
    const input = message();
    await receive(input);
    const flushAt = host.reminderOf(actorId, 'flush')!.dueAt;
    await host.advance(2_000);
    await receive(input);
    expect(host.reminderOf(actorId, 'flush')!.dueAt).toEqual(flushAt);
    expect((await snapshot()).openBuffer?.messageIds).toEqual([input.messageId]);
  });

  it('handles a flush reminder delivered twice as one flush', async () => {
    await receive(message());
    await host.advance(5_000);
    await host.fireReminder(actorId, 'flush');
    expect(aiRequests()).toHaveLength(1);
  });

  it('keeps waiting when a stale flush fires before the pushed-back time', async () => {
    await receive(message());
    await host.advance(4_000);
    await receive(message());
    await host.fireReminder(actorId, 'flush');
    expect(aiRequests()).toHaveLength(0);
    await host.advance(5_000);
    expect(aiRequests()).toHaveLength(1);
  });

  it('drops the burst when the bot is disabled for the contact, and resumes after the quiet time', async () => {
    const until = new Date(host.now().getTime() + 60_000).toISOString();
    await host.invoke(actorId, 'setBotDisabled', { disabled: true, until });
    await receive(message());
    await host.advance(5_000);
    expect(aiRequests()).toHaveLength(0);
    expect(await snapshot()).toMatchObject({ openBuffer: null, inFlight: null, botDisabled: true });
    await host.advance(60_000);
    expect((await snapshot()).botDisabled).toBe(false);
    await flushOneBurst();
  });

  it('drops bursts when AI is not configured, keeping the schedule', async () => {
    host = new InMemoryActorHost(createConversationActorDefinition({ aiEnabled: false, aiJobTimeoutSeconds: 120 }));
    await receive(message());
    await host.advance(5_000);
    expect(host.published).toHaveLength(0);
    expect(await snapshot()).toMatchObject({ openBuffer: null, inFlight: null });
  });
});

describe('ConversationActor AI job lifecycle', () => {
  it('requests sending the reply through the conversation provider once, ignoring duplicates and other buffers', async () => {
    const { bufferId } = await flushOneBurst(3);
    await host.invoke(actorId, 'completeBuffer', { bufferId: randomUUID(), replyMessageId: 'reply-x' });
    expect(eventsOfType('message.send-requested')).toHaveLength(0);
    await host.invoke(actorId, 'completeBuffer', { bufferId, replyMessageId: 'reply-1' });
    await host.invoke(actorId, 'completeBuffer', { bufferId, replyMessageId: 'reply-1' });
    const sends = eventsOfType('message.send-requested');
    expect(sends).toHaveLength(1);
    expect(sends[0]!.event.data).toEqual({ ...ids, messageId: 'reply-1', provider: 'META', bufferId });
    expect((await snapshot()).inFlight).toBeNull();
    expect(host.reminderOf(actorId, 'ai-timeout')).toBeUndefined();
  });

  it('requests a reply of several messages as ONE event carrying them in send order, with the same event id on a repeat', async () => {
    const { bufferId } = await flushOneBurst();
    await host.invoke(actorId, 'completeBuffer', { bufferId, replyMessageIds: ['text-1', 'file-2', 'file-3'] });
    await host.invoke(actorId, 'completeBuffer', { bufferId, replyMessageIds: ['text-1', 'file-2', 'file-3'] });
    const sends = eventsOfType('message.send-requested');
    expect(sends).toHaveLength(1);
    expect(sends[0]!.event.data).toEqual({ ...ids, messageId: 'text-1', messageIds: ['text-1', 'file-2', 'file-3'], provider: 'META', bufferId });
  });

  it('cancels every message of a reply when the bot was disabled, and treats an empty reply as no reply', async () => {
    const { bufferId } = await flushOneBurst();
    await host.invoke(actorId, 'setBotDisabled', { disabled: true, until: null });
    await host.invoke(actorId, 'completeBuffer', { bufferId, replyMessageIds: ['text-1', 'file-2'] });
    expect(eventsOfType('message.send-cancelled').map((published) => published.event.data)).toEqual([
      { ...ids, messageId: 'text-1', messageIds: ['text-1', 'file-2'], bufferId, reason: 'bot_disabled' },
    ]);
    await host.invoke(actorId, 'setBotDisabled', { disabled: false, until: null });
    const next = await flushOneBurst();
    await host.invoke(actorId, 'completeBuffer', { bufferId: next.bufferId, replyMessageIds: [] });
    expect(eventsOfType('message.send-cancelled').at(-1)!.event.data).toMatchObject({ messageId: null, reason: 'no_reply' });
  });

  it('cancels the reply when the bot was disabled while the AI was writing', async () => {
    const { bufferId } = await flushOneBurst();
    await host.invoke(actorId, 'setBotDisabled', { disabled: true, until: null });
    await host.invoke(actorId, 'completeBuffer', { bufferId, replyMessageId: 'reply-1' });
    expect(eventsOfType('message.send-requested')).toHaveLength(0);
    expect(eventsOfType('message.send-cancelled').map((published) => published.event.data)).toEqual([
      { ...ids, messageId: 'reply-1', bufferId, reason: 'bot_disabled' },
    ]);
  });

  it('retries after 5 s and 10 s, then quarantines and lets the next burst go', async () => {
    const { bufferId } = await flushOneBurst();
    await host.invoke(actorId, 'failBuffer', { bufferId, attempt: 1, reason: 'HTTP 500' });
    await host.invoke(actorId, 'failBuffer', { bufferId, attempt: 1, reason: 'HTTP 500' }); // duplicate report
    await host.advance(4_999);
    expect(aiRequests()).toHaveLength(1);
    await host.advance(1);
    expect(aiRequests().map((request) => request.attempt)).toEqual([1, 2]);
    await host.invoke(actorId, 'failBuffer', { bufferId, attempt: 2, reason: 'HTTP 500' });
    await host.advance(9_999);
    expect(aiRequests()).toHaveLength(2);
    await host.advance(1);
    expect(aiRequests().map((request) => request.attempt)).toEqual([1, 2, 3]);
    expect(new Set(aiRequests().map((request) => request.bufferId))).toEqual(new Set([bufferId]));
    await host.invoke(actorId, 'failBuffer', { bufferId, attempt: 3, reason: 'HTTP 500' });
    expect(await snapshot()).toMatchObject({ inFlight: null, quarantinedBufferIds: [bufferId] });
    expect(eventsOfType('ai-reply.quarantined').map((published) => published.event.data)).toEqual([
      expect.objectContaining({
        bufferId,
        businessId: ids.businessId,
        conversationId: ids.conversationId,
        attempts: 3,
        reason: 'HTTP 500',
        messageIds: aiRequests()[0]!.messageIds,
      }),
    ]);
    await host.advance(60_000);
    expect(aiRequests()).toHaveLength(3);
    await host.invoke(actorId, 'completeBuffer', { bufferId, replyMessageId: 'late' });
    expect(eventsOfType('message.send-requested')).toHaveLength(0);
    await flushOneBurst();
  });

  it('quarantines a non-retryable failure at once', async () => {
    const { bufferId } = await flushOneBurst();
    await host.invoke(actorId, 'failBuffer', { bufferId, attempt: 1, reason: 'insufficient_quota', retryable: false });
    expect(await snapshot()).toMatchObject({ inFlight: null, quarantinedBufferIds: [bufferId] });
    await host.advance(60_000);
    expect(aiRequests()).toHaveLength(1);
  });

  it('treats a job nobody answers as a failed attempt', async () => {
    await flushOneBurst();
    await host.advance(120_000);
    expect(aiRequests()).toHaveLength(1);
    await host.advance(5_000);
    expect(aiRequests().map((request) => request.attempt)).toEqual([1, 2]);
  });

  it('holds a burst that arrives while one is in flight, and flushes it when that one completes', async () => {
    const { bufferId } = await flushOneBurst();
    const waiting = message();
    await receive(waiting);
    await host.advance(10_000);
    expect(aiRequests()).toHaveLength(1);
    expect((await snapshot()).openBuffer?.messageIds).toEqual([waiting.messageId]);
    await host.invoke(actorId, 'completeBuffer', { bufferId, replyMessageId: 'reply-1' });
    const requests = aiRequests();
    expect(requests).toHaveLength(2);
    expect(requests[1]!.messageIds).toEqual([waiting.messageId]);
    expect(requests[1]!.bufferId).not.toBe(bufferId);
    expect((await snapshot()).inFlight?.bufferId).toBe(requests[1]!.bufferId);
  });

  it('re-arms the flush of a waiting burst that is not yet due when the in-flight one completes', async () => {
    const { bufferId } = await flushOneBurst();
    await receive(message());
    await host.invoke(actorId, 'completeBuffer', { bufferId, replyMessageId: null });
    expect(eventsOfType('message.send-cancelled')[0]!.event.data).toMatchObject({ reason: 'no_reply', bufferId });
    expect(aiRequests()).toHaveLength(1);
    await host.advance(5_000);
    expect(aiRequests()).toHaveLength(2);
  });
});
