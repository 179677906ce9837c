import { z } from 'zod';

export const pageQuerySchema = z.object({
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page.'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const listConversationsQuerySchema = pageQuerySchema.extend({
  instanceId: z.uuid().optional().describe('Only conversations of this instance.'),
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe("Search every conversation: the contact's name, phone or WhatsApp id, or any message text contains it (case and accents ignored)."),
});

export const conversationParamsSchema = z.object({ id: z.uuid() });

export const operatorReplyBodySchema = z.object({ text: z.string().trim().min(1).max(4096) });

export const contactSummarySchema = z.object({
  id: z.uuid(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  waUserId: z.string().nullable(),
});

export const conversationViewSchema = z.object({
  id: z.uuid(),
  instance: z.object({ id: z.uuid(), name: z.string(), provider: z.enum(['META', 'BAILEYS', 'SANDBOX']) }),
  contact: contactSummarySchema,
  lastMessageAt: z.string().nullable(),
  lastMessagePreview: z.string().nullable(),
  unreadCount: z.number().int(),
  /** The 24-hour customer-service window, from the customer's last message. */
  window: z.object({ open: z.boolean(), expiresAt: z.string().nullable() }),
  /** Whether the bot is paused for this contact right now (a pause whose time has passed no longer counts). */
  botDisabled: z.boolean(),
  botDisabledUntil: z.string().nullable(),
  /** Search results only (`q`): the newest message containing the term; null when the contact matched instead. */
  searchMatch: z.object({ messageId: z.uuid(), text: z.string(), sentAt: z.string() }).nullable().optional(),
});
export type ConversationView = z.infer<typeof conversationViewSchema>;

export const messageViewSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  direction: z.enum(['INBOUND', 'OUTBOUND']),
  author: z.enum(['CUSTOMER', 'AI', 'OPERATOR', 'SYSTEM']),
  kind: z.string(),
  text: z.string().nullable(),
  content: z.unknown().describe('The normalized message content (see MessageContent in @app/domain).'),
  /** What replies quote (content.context.providerMessageId names it); null for messages not yet sent. */
  providerMessageId: z.string().nullable(),
  status: z.enum(['RECEIVED', 'PENDING', 'SENDING', 'SENT', 'DELIVERED', 'READ', 'PLAYED', 'FAILED', 'CANCELLED']),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  sentAt: z.string(),
  statusAt: z.string().nullable(),
});
export type MessageView = z.infer<typeof messageViewSchema>;

export const conversationPageSchema = z.object({ items: z.array(conversationViewSchema), nextCursor: z.string().nullable() });
export const messagePageSchema = z.object({ items: z.array(messageViewSchema), nextCursor: z.string().nullable() });
export const operatorReplyResponseSchema = z.object({ message: messageViewSchema, replayed: z.boolean() });

export const idempotencyKeyHeaderSchema = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1–200 visible ASCII characters')
    .optional()
    .describe('A retried request with the same key returns the first message instead of sending again.'),
});
