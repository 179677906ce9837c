import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueEvent, recordInboundMessage } from '@app/db';
import { MessageContentChanged } from '@app/domain';
import { expectEventually } from '@app/testkit';
import { callApi, createSandboxInstance, issueTicket, sendCustomerMessage, startLiveServer, type LiveServer } from './live-harness.ts';
import { dataOf, framesOf, openSse, startReconnectingClient, waitForFrame, type SseConnection, type SseFrame } from './live-sse-client.ts';
import { expectError, signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

interface MessageEvent {
  conversationId: string;
  message: { id: string; author: string; direction: string; status: string; text: string | null; conversationId: string };
}
interface ConversationEvent {
  conversation: { id: string; unreadCount: number; lastMessagePreview: string | null; botDisabled: boolean; window: { open: boolean } };
}

describe('live updates over SSE (in-process fan-out)', () => {
  let harness: TenantApiHarness;
  let server: LiveServer;
  let alice: SignedInTenant;
  let bob: SignedInTenant;
  let aliceInstance: string;
  let bobInstance: string;
  const connections: SseConnection[] = [];

  const connect = async (tenant: SignedInTenant, headers: Record<string, string> = {}, query = '') => {
    const connection = await openSse(`${server.url}/api/live?ticket=${await issueTicket(server, tenant)}${query}`, headers);
    connections.push(connection);
    return connection;
  };
  const messageCreated = (connection: SseConnection, text: string) =>
    waitForFrame(connection, (frame) => frame.event === 'message.created' && dataOf<MessageEvent>(frame).message.text === text);

  beforeAll(async () => {
    harness = await startTenantApiHarness();
    server = await startLiveServer(harness, { stream: { heartbeatMs: 300 } });
    [alice, bob] = await Promise.all([signUp(harness), signUp(harness)]);
    aliceInstance = await createSandboxInstance(server, alice);
    bobInstance = await createSandboxInstance(server, bob);
  });

  afterAll(async () => {
    for (const connection of connections) connection.close();
    await server?.stop();
    await harness?.close();
  });

  describe('tickets', () => {
    it('are issued only to a signed-in caller, for 60 seconds', async () => {
      const anonymous = await callApi(server, null, 'POST', '/api/live/tickets');
      expect(anonymous.status).toBe(401);
      expectError(anonymous.body, 'UNAUTHENTICATED');
      const issued = await callApi<{ ticket: string; expiresIn: number }>(server, alice, 'POST', '/api/live/tickets');
      expect(issued.status).toBe(201);
      expect(issued.body).toEqual({ ticket: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/), expiresIn: 60 });
    });

    it('open one stream once: a missing, unknown or used ticket is a 401 JSON error and never streams', async () => {
      const missing = await openSse(`${server.url}/api/live`);
      expect(missing.status).toBe(401);
      expect(missing.contentType).toMatch(/application\/json/);
      expect(expectError(missing.errorBody, 'UNAUTHENTICATED').details).toEqual({ reason: 'TICKET_MISSING' });

      const unknown = await openSse(`${server.url}/api/live?ticket=not-a-ticket`);
      expect(unknown.status).toBe(401);
      expect(expectError(unknown.errorBody, 'UNAUTHENTICATED').details).toEqual({ reason: 'TICKET_INVALID' });

      // The access token itself is not a ticket.
      const token = await openSse(`${server.url}/api/live?ticket=${alice.accessToken}`);
      expect(token.status).toBe(401);

      const ticket = await issueTicket(server, alice);
      const first = await openSse(`${server.url}/api/live?ticket=${ticket}`);
      connections.push(first);
      expect(first.status).toBe(200);
      expect(first.contentType).toMatch(/^text\/event-stream/);
      const second = await openSse(`${server.url}/api/live?ticket=${ticket}`);
      expect(second.status).toBe(401);
      expect(second.frames).toEqual([]);
    });

    it('expire after 60 seconds', async () => {
      const ticket = await issueTicket(server, alice);
      harness.clock.advance(61_000);
      const expired = await openSse(`${server.url}/api/live?ticket=${ticket}`);
      expect(expired.status).toBe(401);
      expectError(expired.errorBody, 'UNAUTHENTICATED');
    });
  });

  it('starts with retry: 2000 and ready, then sends a heartbeat comment', async () => {
    const connection = await connect(alice);
    await waitForFrame(connection, (frame) => frame.event === 'ready');
    expect(connection.retry).toBe(2000);
    expect(dataOf(connection.frames[0]!)).toMatchObject({ replayed: 0, resync: false });
    await expectEventually(() => expect(connection.comments).toContain('heartbeat'));
  });

  it('sends a customer message and its conversation to its business only', async () => {
    const aliceStream = await connect(alice);
    const bobStream = await connect(bob);
    await Promise.all([aliceStream, bobStream].map((stream) => waitForFrame(stream, (frame) => frame.event === 'ready')));

    const sent = await sendCustomerMessage(server, alice, aliceInstance, 'Is the shop open today?');
    const created = dataOf<MessageEvent>(await messageCreated(aliceStream, 'Is the shop open today?'));
    expect(created).toEqual({
      conversationId: sent.conversationId,
      message: expect.objectContaining({ id: sent.messageId, author: 'CUSTOMER', status: 'RECEIVED' }),
    });
    // The same view the REST route returns.
    const page = await callApi<{ items: unknown[] }>(server, alice, 'GET', `/api/conversations/${sent.conversationId}/messages`);
    expect(page.body.items).toContainEqual(created.message);
    const conversation = await waitForFrame(aliceStream, (frame) => frame.event === 'conversation.updated');
    expect(dataOf<ConversationEvent>(conversation).conversation).toMatchObject({
      id: sent.conversationId,
      unreadCount: 1,
      lastMessagePreview: 'Is the shop open today?',
    });
    const list = await callApi<{ items: unknown[] }>(server, alice, 'GET', '/api/conversations');
    expect(list.body.items).toContainEqual(dataOf<ConversationEvent>(conversation).conversation);

    // Bob's stream works (it gets his own message) and never carried Alice's.
    await sendCustomerMessage(server, bob, bobInstance, 'Hello from Bob');
    await messageCreated(bobStream, 'Hello from Bob');
    const bobData = bobStream.frames.filter((frame) => frame.event !== 'ready').map((frame) => frame.data);
    expect(bobData.join()).not.toContain(sent.conversationId);
    expect(bobData.join()).not.toContain('Is the shop open today?');
  });

  it('shows an appointment booked or moved — by the agent or the console — to its business only', async () => {
    const aliceStream = await connect(alice);
    const bobStream = await connect(bob);
    await Promise.all([aliceStream, bobStream].map((stream) => waitForFrame(stream, (frame) => frame.event === 'ready')));
    const sent = await sendCustomerMessage(server, alice, aliceInstance, 'Quiero una cita');
    const contact = await harness.database.prisma.conversation.findUniqueOrThrow({ where: { id: sent.conversationId }, select: { contactId: true } });
    const service = await callApi<{ id: string }>(server, alice, 'POST', '/api/booking/services', { name: 'Corte', durationMinutes: 30 });
    const weekly = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
    expect((await callApi(server, alice, 'PUT', '/api/booking/availability', { weekly })).status).toBe(200);
    const startsAt = new Date(Math.ceil((Date.now() + 2 * 86_400_000) / 3_600_000) * 3_600_000).toISOString();
    const booked = await callApi<{ id: string }>(server, alice, 'POST', '/api/appointments', {
      contactId: contact.contactId,
      serviceId: service.body.id,
      startsAt,
    });
    expect(booked.status).toBe(201);
    const frame = await waitForFrame(aliceStream, (candidate) => candidate.event === 'appointment.updated');
    expect(dataOf<{ appointment: { id: string; startsAt: string } }>(frame).appointment).toEqual(booked.body);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bobStream.frames.map((candidate) => candidate.event)).not.toContain('appointment.updated');
  });

  it('shows an operator reply, its status changes and the bot pause; then the contact and global switches', async () => {
    const stream = await connect(alice);
    await waitForFrame(stream, (frame) => frame.event === 'ready');
    const sent = await sendCustomerMessage(server, alice, aliceInstance, 'I need a person', '+34600999888');
    await messageCreated(stream, 'I need a person');

    const reply = await callApi<{ message: { id: string } }>(server, alice, 'POST', `/api/conversations/${sent.conversationId}/messages`, {
      text: 'Hi, this is Ana.',
    });
    expect(reply.status).toBe(201);
    const created = dataOf<MessageEvent>(await messageCreated(stream, 'Hi, this is Ana.'));
    expect(created.message).toMatchObject({ id: reply.body.message.id, author: 'OPERATOR', direction: 'OUTBOUND' });
    const sentUpdate = await waitForFrame(
      stream,
      (frame) => frame.event === 'message.updated' && dataOf<MessageEvent>(frame).message.status === 'SENT',
    );
    expect(dataOf<MessageEvent>(sentUpdate)).toMatchObject({
      conversationId: sent.conversationId,
      message: { id: reply.body.message.id, status: 'SENT' },
    });
    await waitForFrame(
      stream,
      (frame) =>
        frame.event === 'conversation.updated' &&
        dataOf<ConversationEvent>(frame).conversation.id === sent.conversationId &&
        dataOf<ConversationEvent>(frame).conversation.botDisabled,
    );

    const before = stream.frames.length;
    expect((await callApi(server, alice, 'PATCH', `/api/contacts/${sent.contactId}`, { botDisabled: false })).status).toBe(200);
    await waitForFrame(
      stream,
      (frame) =>
        stream.frames.indexOf(frame) >= before &&
        frame.event === 'conversation.updated' &&
        !dataOf<ConversationEvent>(frame).conversation.botDisabled,
    );

    expect((await callApi(server, alice, 'PUT', '/api/agent', { botEnabled: false })).status).toBe(200);
    expect(dataOf(await waitForFrame(stream, (frame) => frame.event === 'business.updated'))).toEqual({ botEnabled: false });
    expect((await callApi(server, alice, 'PUT', '/api/agent', { botEnabled: true })).status).toBe(200);
    await waitForFrame(stream, (frame) => frame.event === 'business.updated' && dataOf(frame)['botEnabled'] === true);
    // A PUT that does not change the switch publishes nothing.
    expect((await callApi(server, alice, 'PUT', '/api/agent', { botEnabled: true, bufferSeconds: 2 })).status).toBe(200);
    await sendCustomerMessage(server, alice, aliceInstance, 'marker after the switch');
    await messageCreated(stream, 'marker after the switch');
    expect(framesOf(stream, 'business.updated')).toHaveLength(2);
  });

  it('tells the console when a contact field value changes, and only that business', async () => {
    const [aliceStream, bobStream] = [await connect(alice), await connect(bob)];
    await Promise.all([aliceStream, bobStream].map((stream) => waitForFrame(stream, (frame) => frame.event === 'ready')));
    const sent = await sendCustomerMessage(server, alice, aliceInstance, 'I live in Madrid', '+34600777666');
    expect((await callApi(server, alice, 'POST', '/api/contact-fields', { key: 'city', label: 'City', type: 'TEXT' })).status).toBe(201);
    expect((await callApi(server, alice, 'PUT', `/api/contacts/${sent.contactId}/fields`, { values: { city: 'Madrid' } })).status).toBe(200);
    const frame = await waitForFrame(aliceStream, (candidate) => candidate.event === 'contact.fields-changed');
    expect(dataOf(frame)).toEqual({ contactId: sent.contactId, fieldKey: 'city' });
    await sendCustomerMessage(server, bob, bobInstance, 'marker for bob');
    await messageCreated(bobStream, 'marker for bob');
    expect(framesOf(bobStream, 'contact.fields-changed')).toHaveLength(0);
  });

  it("shows a customer's edit of a stored message as an update of that message and of its conversation's preview", async () => {
    const stream = await connect(alice);
    await waitForFrame(stream, (frame) => frame.event === 'ready');
    const sent = await sendCustomerMessage(server, alice, aliceInstance, 'See you at 5', '+34600777666');
    await messageCreated(stream, 'See you at 5');

    // What the WhatsApp Web ingest does when the customer edits it: the row and the event in one transaction.
    const { prisma } = harness.database;
    await prisma.$transaction(async (transaction) => {
      await transaction.message.update({
        where: { id: sent.messageId },
        data: { text: 'See you at 6', content: { kind: 'text', text: 'See you at 6', editedAt: new Date().toISOString() } },
      });
      await transaction.conversation.update({ where: { id: sent.conversationId }, data: { lastMessagePreview: 'See you at 6' } });
      const change = MessageContentChanged.create({
        businessId: alice.businessId,
        conversationId: sent.conversationId,
        messageId: sent.messageId,
        change: 'edited',
      });
      await enqueueEvent(transaction, MessageContentChanged.topic, change, { key: sent.conversationId });
    });
    server.pubsub.wake();

    const updated = await waitForFrame(
      stream,
      (frame) => frame.event === 'message.updated' && dataOf<MessageEvent>(frame).message.id === sent.messageId,
    );
    expect(dataOf<MessageEvent>(updated).message).toMatchObject({ text: 'See you at 6' });
    await waitForFrame(
      stream,
      (frame) => frame.event === 'conversation.updated' && dataOf<ConversationEvent>(frame).conversation.lastMessagePreview === 'See you at 6',
    );
  });

  it('replays what a client missed after its Last-Event-ID, without duplicates, and asks a client with an unknown id to resync', async () => {
    const first = await connect(alice);
    await waitForFrame(first, (frame) => frame.event === 'ready');
    await sendCustomerMessage(server, alice, aliceInstance, 'before the drop');
    const seen = await messageCreated(first, 'before the drop');
    await waitForFrame(first, (frame) => frame.event === 'conversation.updated' && first.frames.indexOf(frame) > first.frames.indexOf(seen));
    first.close();
    const lastSeen = first.frames.at(-1)!.id!;

    // A second client watches, so the test knows when both missed messages were published.
    const watcher = await connect(alice);
    await waitForFrame(watcher, (frame) => frame.event === 'ready');
    await sendCustomerMessage(server, alice, aliceInstance, 'missed one');
    await sendCustomerMessage(server, alice, aliceInstance, 'missed two');
    await messageCreated(watcher, 'missed one');
    await messageCreated(watcher, 'missed two');

    const resumed = await connect(alice, { 'Last-Event-ID': lastSeen });
    const ready = await waitForFrame(resumed, (frame) => frame.event === 'ready');
    const replayed = resumed.frames.slice(0, resumed.frames.indexOf(ready)).filter((frame) => frame.event.startsWith('message.'));
    expect(replayed.map((frame) => dataOf<MessageEvent>(frame).message.text)).toEqual(['missed one', 'missed two']);
    expect(dataOf(ready)).toMatchObject({ resync: false });
    const ids = resumed.frames.map((frame) => frame.id).filter((id) => id !== ready.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id !== lastSeen)).toBe(true);

    // Live events continue after the replay.
    await sendCustomerMessage(server, alice, aliceInstance, 'after the resume');
    await messageCreated(resumed, 'after the resume');
    expect(resumed.frames.filter((frame) => frame.event === 'message.created').map((frame) => dataOf<MessageEvent>(frame).message.text)).toEqual([
      'missed one',
      'missed two',
      'after the resume',
    ]);

    // The same through the query parameter a new EventSource would use.
    const byQuery = await connect(alice, {}, `&lastEventId=${encodeURIComponent(lastSeen)}`);
    await waitForFrame(byQuery, (frame) => frame.event === 'ready');
    expect(framesOf(byQuery, 'message.created').map((frame) => dataOf<MessageEvent>(frame).message.text)).toEqual([
      'missed one',
      'missed two',
      'after the resume',
    ]);

    const stale = await connect(alice, { 'Last-Event-ID': '1-1' });
    await waitForFrame(stale, (frame) => frame.event === 'ready');
    expect(stale.frames[0]).toMatchObject({ event: 'resync' });
    expect(dataOf(stale.frames.find((frame) => frame.event === 'ready')!)).toMatchObject({ replayed: 0, resync: true });
  });

  it('after a server restart the client reconnects by itself, is told to resync, and loses nothing that happened while it was down', async () => {
    let current = server;
    const client = startReconnectingClient({ baseUrl: () => current.url, ticket: () => issueTicket(current, alice), retryMs: 50 });
    await expectEventually(() => expect(client.frames.some((frame) => frame.event === 'ready')).toBe(true));
    await sendCustomerMessage(current, alice, aliceInstance, 'before the restart');
    await waitForFrame(client, (frame) => frame.event === 'message.created' && dataOf<MessageEvent>(frame).message.text === 'before the restart');

    await server.stop();
    // Stored while the API is down (by an ingress elsewhere): the outbox keeps the event for the live group.
    const now = harness.clock.now();
    const whileDown = await recordInboundMessage(harness.database.prisma, {
      businessId: alice.businessId,
      instanceId: aliceInstance,
      sender: { phone: '34600111222', name: null },
      providerMessageId: `sandbox.while-down.${now.getTime()}`,
      sentAt: now,
      content: { kind: 'text', text: 'while reconnecting' },
      now,
    });
    const restarted = await startLiveServer(harness, { stream: { heartbeatMs: 300 } });
    server = restarted;
    current = restarted;

    // The new process has none of the old ids: the client is told to resync and refetches, which shows the message
    // stored while it was down; from there on events arrive live again.
    const resync = await waitForFrame(client, (frame) => frame.event === 'resync');
    const refetched = await callApi<{ items: Array<{ id: string; text: string }> }>(
      restarted,
      alice,
      'GET',
      `/api/conversations/${whileDown.conversationId}/messages`,
    );
    expect(refetched.body.items).toContainEqual(expect.objectContaining({ id: whileDown.messageId, text: 'while reconnecting' }));
    await sendCustomerMessage(restarted, alice, aliceInstance, 'after the restart');
    await waitForFrame(client, (frame) => frame.event === 'message.created' && dataOf<MessageEvent>(frame).message.text === 'after the restart');
    expect(client.connections.filter((connection) => connection.status === 200).length).toBeGreaterThanOrEqual(2);
    const afterResync = client.frames.slice(client.frames.indexOf(resync));
    const messageIds = afterResync
      .filter((frame) => frame.event === 'message.created')
      .map((frame: SseFrame) => dataOf<MessageEvent>(frame).message.id);
    expect(new Set(messageIds).size).toBe(messageIds.length);
    await client.stop();
  });

  it('refuses a business more open streams than its cap with a 429, and counts each business apart', async () => {
    const capped = await startLiveServer(harness, { stream: { heartbeatMs: 300, maxStreamsPerBusiness: 2 } });
    const opened: SseConnection[] = [];
    try {
      for (let index = 0; index < 2; index += 1) opened.push(await openSse(`${capped.url}/api/live?ticket=${await issueTicket(capped, alice)}`));
      expect(opened.map((connection) => connection.status)).toEqual([200, 200]);
      const third = await openSse(`${capped.url}/api/live?ticket=${await issueTicket(capped, alice)}`);
      expect(third.status).toBe(429);
      expect(expectError(third.errorBody, 'RATE_LIMITED').details).toEqual({ limit: 2 });
      const others = await openSse(`${capped.url}/api/live?ticket=${await issueTicket(capped, bob)}`);
      opened.push(others);
      expect(others.status).toBe(200);
      // A closed stream frees its place.
      opened[0]!.close();
      await expectEventually(async () => {
        const again = await openSse(`${capped.url}/api/live?ticket=${await issueTicket(capped, alice)}`);
        opened.push(again);
        expect(again.status).toBe(200);
      });
    } finally {
      for (const connection of opened) connection.close();
      await capped.stop();
    }
  });
});
