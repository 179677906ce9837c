import { z } from 'zod';

export const sandboxParamsSchema = z.object({ instanceId: z.uuid() });

export const sandboxMessageBodySchema = z.object({
  from: z.string().regex(/^\+?[1-9]\d{5,14}$/, 'must be a phone number in international format, digits only (a leading + is allowed)'),
  text: z.string().min(1).max(4096),
  name: z.string().trim().min(1).max(100).optional().describe('The customer’s profile name.'),
});

export const sandboxMessageResponseSchema = z.object({
  messageId: z.uuid(),
  conversationId: z.uuid(),
  contactId: z.uuid(),
  providerMessageId: z.string(),
  /** True when this Idempotency-Key was already used: nothing new was stored. */
  duplicate: z.boolean(),
});
