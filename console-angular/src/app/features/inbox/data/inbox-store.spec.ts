import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conversationView, messageView } from '../../../shared/testing/builders';
import { InboxStore } from './inbox-store';

describe('InboxStore', () => {
  let store: InboxStore;
  let backend: HttpTestingController;
  const lucia = conversationView({ id: 'conversation-1', unreadCount: 2 });

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [InboxStore, provideHttpClient(), provideHttpClientTesting(), provideRouter([])] });
    store = TestBed.inject(InboxStore);
    backend = TestBed.inject(HttpTestingController);
    const loading = store.loadConversations();
    backend.expectOne((request) => request.url === '/api/conversations').flush({ items: [lucia], nextCursor: null });
    await loading;
  });

  afterEach(() => backend.verify());

  async function open(): Promise<void> {
    const opening = store.select('conversation-1');
    backend.expectOne((request) => request.url === '/api/conversations/conversation-1/messages').flush({ items: [messageView({ id: 'm1' })], nextCursor: null });
    await opening;
    backend.expectOne('/api/conversations/conversation-1/read').flush(null, { status: 204, statusText: 'No Content' });
  }

  it('opens a conversation, marks it read, and shows a live message once even when it arrives twice', async () => {
    await open();
    expect(store.selected()?.unreadCount).toBe(0);
    const reply = messageView({ id: 'm2', direction: 'OUTBOUND', author: 'AI', status: 'PENDING', sentAt: '2026-03-01T10:01:00.000Z' });
    store.apply({ type: 'message.created', conversationId: 'conversation-1', message: reply });
    store.apply({ type: 'message.created', conversationId: 'conversation-1', message: reply });
    store.apply({ type: 'message.updated', conversationId: 'conversation-1', message: { ...reply, status: 'SENT' } });
    expect(store.messages().map((message) => [message.id, message.status])).toEqual([
      ['m1', 'RECEIVED'],
      ['m2', 'SENT'],
    ]);
  });

  it('shows the bot as paused after the operator replies', async () => {
    await open();
    const sending = store.sendReply('Hi, this is Ana');
    const request = backend.expectOne('/api/conversations/conversation-1/messages');
    expect(request.request.headers.get('Idempotency-Key')).toMatch(/[0-9a-f-]{36}/);
    request.flush({ message: messageView({ id: 'm3', direction: 'OUTBOUND', author: 'OPERATOR', status: 'PENDING', sentAt: '2026-03-01T10:02:00.000Z' }), replayed: false });
    expect(await sending).toBe(true);
    expect(store.selected()?.botDisabled).toBe(true);
    expect(store.messages().at(-1)?.author).toBe('OPERATOR');
  });

  it('pauses the bot for a contact until a time and shows that time on every conversation with the contact', async () => {
    await open();
    const pausing = store.pauseContactBot(lucia, '2026-03-01T12:30:00.000Z');
    const request = backend.expectOne('/api/contacts/contact-1');
    expect(request.request.method).toBe('PATCH');
    expect(request.request.body).toEqual({ botDisabled: true, until: '2026-03-01T12:30:00.000Z' });
    request.flush({ ...lucia.contact, botDisabled: true, botDisabledUntil: '2026-03-01T12:30:00.000Z', updatedAt: '2026-03-01T10:00:00.000Z' });
    await pausing;
    expect(store.selected()?.botDisabled).toBe(true);
    expect(store.selected()?.botDisabledUntil).toBe('2026-03-01T12:30:00.000Z');
  });

  it('keeps the text and says why when the 24 h window is closed', async () => {
    await open();
    const sending = store.sendReply('Too late?');
    backend
      .expectOne('/api/conversations/conversation-1/messages')
      .flush({ error: { code: 'WINDOW_CLOSED', message: 'The 24-hour window is closed.', details: null } }, { status: 422, statusText: 'Unprocessable' });
    expect(await sending).toBe(false);
    expect(store.sendProblem()?.code).toBe('WINDOW_CLOSED');
    expect(store.messages()).toHaveLength(1);
  });

  it('moves an updated conversation to the top of the list', () => {
    const pedro = conversationView({ id: 'conversation-2', lastMessageAt: '2026-03-01T11:00:00.000Z', contact: { id: 'c2', name: 'Pedro', phone: null, waUserId: null } });
    store.apply({ type: 'conversation.updated', conversation: pedro });
    expect(store.conversations().map((conversation) => conversation.id)).toEqual(['conversation-2', 'conversation-1']);
  });
});
