import type { ConversationView, MessageView } from '../../../core/api/api-models';

/** Inserts or replaces a message by id, keeping the list oldest first: live events and refetches never duplicate. */
export function upsertMessage(messages: readonly MessageView[], message: MessageView): MessageView[] {
  const without = messages.filter((existing) => existing.id !== message.id);
  const index = without.findIndex((existing) => compareMessages(existing, message) > 0);
  if (index === -1) return [...without, message];
  return [...without.slice(0, index), message, ...without.slice(index)];
}

/** A page into the list in O(n log n): a 5,000-message chat takes fifty of these. */
export function mergeMessages(messages: readonly MessageView[], incoming: readonly MessageView[]): MessageView[] {
  const byId = new Map(messages.map((message) => [message.id, message]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort(compareMessages);
}

function compareMessages(left: MessageView, right: MessageView): number {
  return left.sentAt === right.sentAt ? left.id.localeCompare(right.id) : left.sentAt < right.sentAt ? -1 : 1;
}

export type TimelineEntry = { type: 'day'; key: string; at: string } | { type: 'message'; key: string; message: MessageView };

/** Messages with a day separator before the first message of each calendar day (in the business's time zone). */
export function withDaySeparators(messages: readonly MessageView[], dayNumber: (value: Date) => number): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  let currentDay: number | null = null;
  for (const message of messages) {
    const day = dayNumber(new Date(message.sentAt));
    if (day !== currentDay) {
      entries.push({ type: 'day', key: `day-${day}`, at: message.sentAt });
      currentDay = day;
    }
    entries.push({ type: 'message', key: message.id, message });
  }
  return entries;
}

/** Case- and accent-insensitive search over name, phone and the last message. */
export function filterConversations(conversations: readonly ConversationView[], query: string): ConversationView[] {
  const needle = fold(query.trim());
  if (!needle) return [...conversations];
  return conversations.filter((conversation) =>
    [conversation.contact.name, conversation.contact.phone, conversation.contact.waUserId, conversation.lastMessagePreview].some(
      (field) => field !== null && fold(field).includes(needle),
    ),
  );
}

function fold(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

/** Most recent activity first, like the API orders them. */
export function sortConversations(conversations: readonly ConversationView[]): ConversationView[] {
  return [...conversations].sort((left, right) => (right.lastMessageAt ?? '').localeCompare(left.lastMessageAt ?? ''));
}

/** Milliseconds left in the 24 h window, or null when it is closed. */
export function windowTimeLeft(conversation: Pick<ConversationView, 'window'>, now: Date): number | null {
  if (!conversation.window.open || !conversation.window.expiresAt) return null;
  const left = Date.parse(conversation.window.expiresAt) - now.getTime();
  return left > 0 ? left : null;
}

export function contactLabel(conversation: Pick<ConversationView, 'contact'>): string {
  return conversation.contact.name ?? conversation.contact.phone ?? conversation.contact.waUserId ?? '—';
}
