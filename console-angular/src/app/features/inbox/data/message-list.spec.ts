import { describe, expect, it } from 'vitest';
import { conversationView, messageView } from '../../../shared/testing/builders';
import { filterConversations, mergeMessages, upsertMessage, windowTimeLeft, withDaySeparators } from './message-list';

describe('message list rules', () => {
  it('keeps messages oldest first and never shows one twice', () => {
    const first = messageView({ id: 'a', sentAt: '2026-03-01T10:00:00.000Z' });
    const second = messageView({ id: 'b', sentAt: '2026-03-01T10:05:00.000Z' });
    let list = upsertMessage([], second);
    list = upsertMessage(list, first);
    list = upsertMessage(list, { ...second, status: 'READ' });
    expect(list.map((message) => [message.id, message.status])).toEqual([
      ['a', 'RECEIVED'],
      ['b', 'READ'],
    ]);
    expect(mergeMessages(list, [first, second]).map((message) => message.id)).toEqual(['a', 'b']);
  });

  it('puts a day separator before the first message of each day', () => {
    const messages = [
      messageView({ id: 'a', sentAt: '2026-03-01T10:00:00.000Z' }),
      messageView({ id: 'b', sentAt: '2026-03-01T23:00:00.000Z' }),
      messageView({ id: 'c', sentAt: '2026-03-02T08:00:00.000Z' }),
    ];
    const utcDay = (value: Date) => Math.floor(value.getTime() / 86_400_000);
    expect(withDaySeparators(messages, utcDay).map((entry) => entry.type)).toEqual(['day', 'message', 'message', 'day', 'message']);
  });

  it('finds conversations by name, phone or last message, ignoring case and accents', () => {
    const lucia = conversationView({
      id: '1',
      contact: { id: 'c1', name: 'Lucía', phone: '34600111222', waUserId: null },
      lastMessagePreview: 'Hola',
    });
    const pedro = conversationView({
      id: '2',
      contact: { id: 'c2', name: 'Pedro', phone: '34600999888', waUserId: null },
      lastMessagePreview: 'Pan integral',
    });
    expect(filterConversations([lucia, pedro], 'LUCIA').map((conversation) => conversation.id)).toEqual(['1']);
    expect(filterConversations([lucia, pedro], '999').map((conversation) => conversation.id)).toEqual(['2']);
    expect(filterConversations([lucia, pedro], 'integral').map((conversation) => conversation.id)).toEqual(['2']);
    expect(filterConversations([lucia, pedro], '  ')).toHaveLength(2);
  });

  it('counts down the 24 h window and reports it closed once it has passed', () => {
    const now = new Date('2026-03-01T10:00:00.000Z');
    expect(windowTimeLeft({ window: { open: true, expiresAt: '2026-03-01T12:30:00.000Z' } }, now)).toBe(2.5 * 3_600_000);
    expect(windowTimeLeft({ window: { open: true, expiresAt: '2026-03-01T09:59:00.000Z' } }, now)).toBeNull();
    expect(windowTimeLeft({ window: { open: false, expiresAt: null } }, now)).toBeNull();
  });
});
