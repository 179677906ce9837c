import { z } from 'zod';
import { appointmentViewSchema } from '../appointments/appointments.schema.ts';
import { conversationViewSchema, messageViewSchema } from '../conversations/conversations.schema.ts';
import { orderViewSchema } from '../orders/orders.schema.ts';

export const liveTicketSchema = z.object({
  ticket: z.string().describe('Single use; pass it as ?ticket= to GET /live within expiresIn seconds.'),
  expiresIn: z.number().int().describe('Seconds.'),
});

export const liveStreamQuerySchema = z.object({
  ticket: z.string().optional().describe('From POST /live/tickets. Required; a missing, unknown, expired or used ticket is a 401.'),
  lastEventId: z
    .string()
    .max(60)
    .optional()
    .describe('Resume after this event id, for a client that opens a new EventSource (the Last-Event-ID header wins when both are sent).'),
});

const messageEventData = z.object({ conversationId: z.uuid(), message: messageViewSchema });

/** The stream's frames, for the document: `event: <event>`, `id: <id>`, `data: <data as JSON>`. */
export const liveStreamFrameSchema = z
  .discriminatedUnion('event', [
    z.object({ event: z.literal('message.created'), id: z.string(), data: messageEventData }),
    z.object({ event: z.literal('message.updated'), id: z.string(), data: messageEventData }),
    z.object({ event: z.literal('conversation.updated'), id: z.string(), data: z.object({ conversation: conversationViewSchema }) }),
    z.object({ event: z.literal('business.updated'), id: z.string(), data: z.object({ botEnabled: z.boolean() }) }),
    z.object({ event: z.literal('contact.fields-changed'), id: z.string(), data: z.object({ contactId: z.uuid(), fieldKey: z.string() }) }),
    z.object({ event: z.literal('appointment.updated'), id: z.string(), data: z.object({ appointment: appointmentViewSchema }) }),
    z.object({ event: z.literal('order.updated'), id: z.string(), data: z.object({ order: orderViewSchema }) }),
    z.object({ event: z.literal('resync'), id: z.string(), data: z.object({ lastEventId: z.string() }) }),
    z.object({
      event: z.literal('ready'),
      id: z.string(),
      data: z.object({ lastEventId: z.string(), replayed: z.number().int(), resync: z.boolean() }),
    }),
  ])
  .describe('One server-sent event.');
