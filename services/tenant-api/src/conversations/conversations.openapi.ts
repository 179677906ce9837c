import type { RouteDoc } from '../openapi/route-doc.ts';
import {
  conversationPageSchema,
  conversationParamsSchema,
  listConversationsQuerySchema,
  messagePageSchema,
  operatorReplyBodySchema,
  operatorReplyResponseSchema,
  pageQuerySchema,
} from './conversations.schema.ts';
import { replyTraceParamsSchema, replyTraceSchema } from './reply-trace.schema.ts';

const tag = 'conversations';

export const conversationRouteDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/conversations',
    tag,
    authenticated: true,
    summary: 'Conversations, most recent activity first (cursor pagination)',
    query: listConversationsQuerySchema,
    success: { status: 200, description: 'A page of conversations.', schema: conversationPageSchema },
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/conversations/:id/messages',
    tag,
    authenticated: true,
    summary: 'Messages of a conversation, newest first (cursor pagination)',
    params: conversationParamsSchema,
    query: pageQuerySchema,
    success: { status: 200, description: 'A page of messages.', schema: messagePageSchema },
    errors: [400, 401, 404],
  },
  {
    method: 'post',
    path: '/conversations/:id/messages',
    tag,
    authenticated: true,
    summary: 'Reply as an operator; pauses the bot for the contact (hand-off)',
    description:
      'Stores the message as PENDING and queues it for the provider in the same transaction. For a META instance outside the 24-hour window the reply is refused with 422 WINDOW_CLOSED and nothing is stored. A repeated Idempotency-Key answers 200 with the first message.',
    params: conversationParamsSchema,
    headers: [{ name: 'Idempotency-Key', description: 'Optional; 1–200 visible ASCII characters. A retried request does not send twice.' }],
    body: operatorReplyBodySchema,
    success: { status: 201, description: 'Queued for sending.', schema: operatorReplyResponseSchema },
    errors: [400, 401, 404, 422],
  },
  {
    method: 'get',
    path: '/conversations/:id/messages/:messageId/trace',
    tag,
    authenticated: true,
    summary: 'Why an AI reply said what it said: model, prompt as sent, tool calls, tokens, cost and latency',
    description:
      'For any message of an AI reply (its text or a file it sent). Secrets of the business and its tools are redacted. Traces are kept REPLY_TRACE_RETENTION_DAYS days (30 by default); 404 for an operator message, an older reply or another tenant.',
    params: replyTraceParamsSchema,
    success: { status: 200, description: 'The reply trace.', schema: replyTraceSchema },
    errors: [401, 404],
  },
  {
    method: 'post',
    path: '/conversations/:id/read',
    tag,
    authenticated: true,
    summary: 'Mark the conversation read (unread count 0)',
    params: conversationParamsSchema,
    success: { status: 204, description: 'Marked read.' },
    errors: [401, 404],
  },
];
