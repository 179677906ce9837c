import type { AppointmentView } from '../appointments/appointments.schema.ts';
import type { ConversationView, MessageView } from '../conversations/conversations.schema.ts';
import type { OrderView } from '../orders/orders.schema.ts';

/**
 * What the console receives over GET /api/live. Payloads carry the same views the REST routes return, so a
 * client applies them with the code that renders a page: upsert by message id / conversation id.
 */
export interface LiveEventPayloads {
  'message.created': { conversationId: string; message: MessageView };
  'message.updated': { conversationId: string; message: MessageView };
  'conversation.updated': { conversation: ConversationView };
  'business.updated': { botEnabled: boolean };
  /** A custom field value of this contact was set or cleared (by an operator or the agent): refetch its fields. */
  'contact.fields-changed': { contactId: string; fieldKey: string };
  /** Booked, moved or changed status, by the agent or another operator. */
  'appointment.updated': { appointment: AppointmentView };
  'order.updated': { order: OrderView };
}

export type LiveEventType = keyof LiveEventPayloads;

export const liveEventTypes: readonly LiveEventType[] = [
  'message.created',
  'message.updated',
  'conversation.updated',
  'business.updated',
  'contact.fields-changed',
  'appointment.updated',
  'order.updated',
];

export type LiveEvent = { [Type in LiveEventType]: { type: Type; data: LiveEventPayloads[Type] } }[LiveEventType];

/** A live event as delivered: with its id in the business's stream (`<number>-<number>`, increasing). */
export type DeliveredLiveEvent = LiveEvent & { id: string };

/**
 * Not sent to clients as such: marks in a business's stream that events were skipped because no console watched
 * the business. A client resuming from before it (or seeing it live) is told to `resync`, never left with a gap.
 */
export interface LiveGap {
  type: 'gap';
  id: string;
}

/** What a business's stream holds and its subscribers receive. */
export type LiveStreamEntry = DeliveredLiveEvent | LiveGap;

const liveEventIdPattern = /^(\d{1,20})-(\d{1,20})$/;

export function isLiveEventId(value: string): boolean {
  return liveEventIdPattern.test(value);
}

/** Orders two ids of one stream (Redis stream ids and the in-process ids share the `<number>-<number>` shape). */
export function compareLiveEventIds(left: string, right: string): number {
  const [leftHigh, leftLow] = splitId(left);
  const [rightHigh, rightLow] = splitId(right);
  if (leftHigh !== rightHigh) return leftHigh < rightHigh ? -1 : 1;
  if (leftLow !== rightLow) return leftLow < rightLow ? -1 : 1;
  return 0;
}

function splitId(id: string): [bigint, bigint] {
  const match = liveEventIdPattern.exec(id);
  if (!match) throw new Error(`not a live event id: ${id}`);
  return [BigInt(match[1]!), BigInt(match[2]!)];
}
