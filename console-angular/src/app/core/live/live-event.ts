import type { AppointmentView, ConversationView, MessageView, OrderView } from '../api/api-models';

/** What tenant-api's live stream (GET /api/live) sends; `resync` means "you may have missed something: refetch". */
export type LiveEvent =
  | { type: 'message.created'; conversationId: string; message: MessageView }
  | { type: 'message.updated'; conversationId: string; message: MessageView }
  | { type: 'conversation.updated'; conversation: ConversationView }
  | { type: 'business.updated'; botEnabled: boolean }
  | { type: 'contact.fields-changed'; contactId: string; fieldKey: string }
  | { type: 'appointment.updated'; appointment: AppointmentView }
  | { type: 'order.updated'; order: OrderView }
  | { type: 'resync' };

export const liveEventTypes = [
  'message.created',
  'message.updated',
  'conversation.updated',
  'business.updated',
  'contact.fields-changed',
  'appointment.updated',
  'order.updated',
  'resync',
] as const;

/** Parses one SSE message; null for anything that is not a well-formed event (ignored rather than crashing the stream). */
export function parseLiveEvent(type: string, data: string): LiveEvent | null {
  if (type === 'resync') return { type: 'resync' };
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch {
    return null;
  }
  if (!payload || typeof payload !== 'object') return null;
  const value = payload as Record<string, unknown>;
  switch (type) {
    case 'message.created':
    case 'message.updated':
      return typeof value['conversationId'] === 'string' && value['message'] && typeof value['message'] === 'object'
        ? { type, conversationId: value['conversationId'], message: value['message'] as MessageView }
        : null;
    case 'conversation.updated':
      return value['conversation'] && typeof value['conversation'] === 'object'
        ? { type, conversation: value['conversation'] as ConversationView }
        : null;
    case 'business.updated':
      return typeof value['botEnabled'] === 'boolean' ? { type, botEnabled: value['botEnabled'] } : null;
    case 'contact.fields-changed':
      return typeof value['contactId'] === 'string' && typeof value['fieldKey'] === 'string'
        ? { type, contactId: value['contactId'], fieldKey: value['fieldKey'] }
        : null;
    case 'appointment.updated':
      return value['appointment'] && typeof value['appointment'] === 'object' ? { type, appointment: value['appointment'] as AppointmentView } : null;
    case 'order.updated':
      return value['order'] && typeof value['order'] === 'object' ? { type, order: value['order'] as OrderView } : null;
    default:
      return null;
  }
}
