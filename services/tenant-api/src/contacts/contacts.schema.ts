import { z } from 'zod';

export const contactParamsSchema = z.object({ id: z.uuid() });

export const updateContactBodySchema = z
  .object({
    botDisabled: z.boolean().describe('Pause (true) or resume (false) the bot for this contact.'),
    until: z.iso
      .datetime({ offset: true })
      .nullable()
      .optional()
      .describe('With botDisabled: resume by itself at this time. Null or absent: until switched back.'),
  })
  .refine((body) => body.botDisabled || body.until == null, { path: ['until'], message: 'only applies when botDisabled is true' });
export type UpdateContactInput = z.infer<typeof updateContactBodySchema>;

export const contactViewSchema = z.object({
  id: z.uuid(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  waUserId: z.string().nullable(),
  botDisabled: z.boolean(),
  botDisabledUntil: z.string().nullable(),
  updatedAt: z.string(),
});
export type ContactView = z.infer<typeof contactViewSchema>;
