import { sendingSettingsPatchSchema } from '@app/domain';
import { z } from 'zod';

const name = z.string().trim().min(1).max(80);

export const createInstanceBodySchema = z.discriminatedUnion('provider', [
  z.object({
    provider: z.literal('META'),
    name,
    /** Cloud API phone number id: webhooks are routed to the instance by it. */
    phoneNumberId: z.string().regex(/^\d{5,32}$/, 'must be the numeric phone number id from Meta'),
    wabaId: z
      .string()
      .regex(/^\d{5,32}$/, 'must be the numeric WhatsApp Business Account id')
      .optional(),
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

/** PATCH /instances/:id: rename, and (BAILEYS) the sending settings; a setting set to null goes back to the default. */
export const updateInstanceBodySchema = z
  .object({
    name: name.optional(),
    /** WhatsApp Web sending governor of this number; omitted keys are kept, null restores the deployment's default. */
    baileys: sendingSettingsPatchSchema.optional(),
  })
  .strict()
  .refine((body) => body.name !== undefined || body.baileys !== undefined, { message: 'Give name or baileys.' });
export type UpdateInstanceInput = z.infer<typeof updateInstanceBodySchema>;

/** This instance's own sending settings (null: the deployment's default applies). */
export const baileysSettingsViewSchema = z.object({
  maxPerMinute: z.number().int().nullable(),
  minGapPerRecipientMs: z.number().int().nullable(),
  newContactsPerDay: z.number().int().nullable(),
  typing: z.boolean().nullable(),
});

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
  /** BAILEYS: the sending governor's settings of this number (PATCH to change); null for other providers. */
  baileys: baileysSettingsViewSchema.nullable(),
  /**
   * BAILEYS: since when this number has no session pod because the platform runs as many WhatsApp Web sessions as
   * it may (set by the instance controller; POST …/session/restart moves it to a freed slot); null while it has one.
   */
  overCapacitySince: z.string().nullable(),
  createdAt: z.string(),
});
export type InstanceView = z.infer<typeof instanceViewSchema>;

export const instanceListSchema = z.object({ items: z.array(instanceViewSchema) });
export const instanceParamsSchema = z.object({ id: z.uuid() });
