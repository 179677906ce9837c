import { z } from 'zod';

const name = z.string().trim().min(1).max(80);

export const createInstanceBodySchema = z.discriminatedUnion('provider', [
  z.object({
    provider: z.literal('META'),
    name,
    /** Cloud API phone number id: webhooks are routed to the instance by it. */
    phoneNumberId: z.string().regex(/^\d{5,32}$/, 'must be the numeric phone number id from Meta'),
    wabaId: z.string().regex(/^\d{5,32}$/, 'must be the numeric WhatsApp Business Account id').optional(),
    accessToken: z.string().min(20).max(1024).describe('System-user access token; encrypted at rest, never returned.'),
  }),
  z.object({
    provider: z.literal('SANDBOX'),
    name,
  }),
  /** A WhatsApp Web number linked by QR code or pairing code (GET /instances/:id/session); gets a free slot. */
  z.object({
    provider: z.literal('BAILEYS'),
    name,
  }),
]);
export type CreateInstanceInput = z.infer<typeof createInstanceBodySchema>;

export const instanceViewSchema = z.object({
  id: z.uuid(),
  provider: z.enum(['META', 'BAILEYS', 'SANDBOX']),
  name: z.string(),
  phoneNumberId: z.string().nullable(),
  wabaId: z.string().nullable(),
  status: z.string(),
  /** BAILEYS: the session slot (the StatefulSet ordinal that runs it); null for other providers. */
  slot: z.number().int().nullable(),
  /** Credentials are never returned; this says whether some are stored. */
  hasAccessToken: z.boolean(),
  createdAt: z.string(),
});
export type InstanceView = z.infer<typeof instanceViewSchema>;

export const instanceListSchema = z.object({ items: z.array(instanceViewSchema) });
export const instanceParamsSchema = z.object({ id: z.uuid() });
