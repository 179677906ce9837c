import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { conversationView, messageView } from '../../../shared/testing/builders';
import { InboxStore, searchDebounceMs } from './inbox-store';

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
    backend
      .expectOne((request) => request.url === '/api/conversations/conversation-1/messages')
      .flush({ items: [messageView({ id: 'm1' })], nextCursor: null });
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
    request.flush({
      message: messageView({ id: 'm3', direction: 'OUTBOUND', author: 'OPERATOR', status: 'PENDING', sentAt: '2026-03-01T10:02:00.000Z' }),
      replayed: false,
    });
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
      .flush(
        { error: { code: 'WINDOW_CLOSED', message: 'The 24-hour window is closed.', details: null } },
        { status: 422, statusText: 'Unprocessable' },
      );
    expect(await sending).toBe(false);
    expect(store.sendProblem()?.code).toBe('WINDOW_CLOSED');
    expect(store.messages()).toHaveLength(1);
  });

  it('moves an updated conversation to the top of the list', () => {
    const pedro = conversationView({
      id: 'conversation-2',
      lastMessageAt: '2026-03-01T11:00:00.000Z',
      contact: { id: 'c2', name: 'Pedro', phone: null, waUserId: null },
    });
    store.apply({ type: 'conversation.updated', conversation: pedro });
    expect(store.conversations().map((conversation) => conversation.id)).toEqual(['conversation-2', 'conversation-1']);
  });

  it('searches the whole business on the server after typing pauses, filtering the loaded rows meanwhile', async () => {
    vi.useFakeTimers();
    try {
      const older = conversationView({
        id: 'conversation-9',
        contact: { ...lucia.contact, id: 'contact-9', name: 'José Núñez' },
        lastMessagePreview: 'adiós',
        lastMessageAt: '2026-02-01T10:00:00.000Z',
      });
      store.setSearch('lu');
      expect(store.visible().map((item) => item.id)).toEqual(['conversation-1']);
      store.setSearch('jose');
      expect(store.visible()).toEqual([]);
      vi.advanceTimersByTime(searchDebounceMs);
      const request = backend.expectOne((candidate) => candidate.url === '/api/conversations' && candidate.params.get('q') === 'jose');
      request.flush({
        items: [{ ...older, searchMatch: { messageId: 'm9', text: '¿Abren el domingo?', sentAt: '2026-02-01T10:00:00.000Z' } }],
        nextCursor: null,
      });
      await Promise.resolve();
      await Promise.resolve();
      expect(store.visible().map((item) => [item.id, item.searchMatch?.text])).toEqual([['conversation-9', '¿Abren el domingo?']]);

      // A live change to a result keeps it a result, with the message that matched.
      store.apply({ type: 'conversation.updated', conversation: { ...older, unreadCount: 3 } });
      expect(store.visible().map((item) => [item.unreadCount, item.searchMatch?.text])).toEqual([[3, '¿Abren el domingo?']]);

      store.setSearch('');
      expect(store.visible().map((item) => item.id)).toEqual(['conversation-1', 'conversation-9']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops the answer to a term the operator has typed past', async () => {
    vi.useFakeTimers();
    try {
      store.setSearch('ped');
      vi.advanceTimersByTime(searchDebounceMs);
      const stale = backend.expectOne((candidate) => candidate.params.get('q') === 'ped');
      store.setSearch('pedro');
      vi.advanceTimersByTime(searchDebounceMs);
      const fresh = backend.expectOne((candidate) => candidate.params.get('q') === 'pedro');
      fresh.flush({ items: [], nextCursor: null });
      stale.flush({ items: [lucia], nextCursor: null });
      await Promise.resolve();
      await Promise.resolve();
      expect(store.visible()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
