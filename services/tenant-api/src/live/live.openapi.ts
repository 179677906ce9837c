import type { RouteDoc } from '../openapi/route-doc.ts';
import { liveStreamFrameSchema, liveStreamQuerySchema, liveTicketSchema } from './live.schema.ts';

const tag = 'live';

export const liveRouteDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/live/tickets',
    tag,
    authenticated: true,
    summary: 'A single-use, 60-second ticket that opens one live-update stream',
    description: 'EventSource cannot send an Authorization header, and an access token does not belong in a URL: trade it for a ticket first.',
    success: { status: 201, description: 'The ticket.', schema: liveTicketSchema },
    errors: [401, 503],
  },
  {
    method: 'get',
    path: '/live',
    tag,
    authenticated: false,
    summary: "Live updates of the caller's business as server-sent events",
    description: [
      "Starts with `retry: 2000`, then `ready` (the stream's position); a `: heartbeat` comment every 15 s.",
      'Events: `message.created` and `message.updated` {conversationId, message: MessageView}, `conversation.updated`',
      '{conversation: ConversationView}, `business.updated` {botEnabled}, `order.updated` {order: OrderView} (created, moved,',
      'voucher received). Each has an increasing `id`.',
      'To resume, send the last id seen (Last-Event-ID header or ?lastEventId=) with a new ticket: the missed events are',
      'replayed (the server keeps the last 500 events or 5 minutes per business); when that is not possible the stream',
      'starts with `resync` and the client refetches. Apply events as upserts keyed by message id / conversation id:',
      'a replayed event may repeat one the client already fetched. The stream ends after an hour; reconnect the same way.',
      'A business may hold 50 open streams per server; one more is refused with 429.',
    ].join(' '),
    query: liveStreamQuerySchema,
    headers: [{ name: 'Last-Event-ID', description: 'Resume after this event id (sent by EventSource when it reconnects).' }],
    success: { status: 200, description: 'A text/event-stream.', schema: liveStreamFrameSchema, eventStream: true },
    errors: [401, 429, 503],
  },
];
