import type { ConversationView, MessageView } from '../../core/api/api-models';

/** API views with sensible defaults for component and service tests; override what the test is about. */
export function messageView(overrides: Partial<MessageView> = {}): MessageView {
  return {
    id: crypto.randomUUID(),
    conversationId: 'conversation-1',
    direction: 'INBOUND',
    author: 'CUSTOMER',
    kind: 'text',
    text: 'Hello',
    content: { kind: 'text', text: 'Hello' },
    providerMessageId: null,
    status: 'RECEIVED',
    errorCode: null,
    errorMessage: null,
    sentAt: '2026-03-01T10:00:00.000Z',
    statusAt: null,
    ...overrides,
  };
}

export function conversationView(overrides: Partial<ConversationView> = {}): ConversationView {
  return {
    id: crypto.randomUUID(),
    instance: { id: 'instance-1', name: 'Main shop', provider: 'SANDBOX' },
    contact: { id: 'contact-1', name: 'Lucía', phone: '34600111222', waUserId: '34600111222' },
    lastMessageAt: '2026-03-01T10:00:00.000Z',
    lastMessagePreview: 'Hello',
    unreadCount: 0,
    window: { open: true, expiresAt: '2026-03-02T10:00:00.000Z' },
    botDisabled: false,
    botDisabledUntil: null,
    ...overrides,
  };
}
