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

const fieldValue = z.union([z.string(), z.number()]);

export const listContactsQuerySchema = z.object({
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page.'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  q: z.string().trim().min(1).max(100).optional().describe('Only contacts whose name, phone or WhatsApp id contains it (case ignored).'),
});
export const exportContactsQuerySchema = listContactsQuerySchema.omit({ cursor: true, limit: true });

export const contactFieldFilterDescription =
  'Filter by custom field with `field.<key>=<value>` (repeat for several fields; all must match): TEXT fields match when the value ' +
  'contains it (case ignored); NUMBER, DATE (YYYY-MM-DD) and ENUM (case ignored) fields must equal it. An unknown key or a value ' +
  'the field could never hold is a 400.';

export const contactListItemSchema = z.object({
  id: z.uuid(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  waUserId: z.string().nullable(),
  createdAt: z.string(),
  fields: z.record(z.string(), fieldValue).describe('The custom field values the contact has, by key (NUMBER as a number, DATE as YYYY-MM-DD).'),
});
export type ContactListItem = z.infer<typeof contactListItemSchema>;
export const contactPageSchema = z.object({ items: z.array(contactListItemSchema), nextCursor: z.string().nullable() });

export const contactFieldValueViewSchema = z.object({
  key: z.string(),
  label: z.string(),
  type: z.enum(['TEXT', 'NUMBER', 'DATE', 'ENUM']),
  options: z.array(z.string()),
  value: fieldValue.nullable().describe('Null when the contact has no value.'),
  setBy: z.enum(['AI', 'OPERATOR']).nullable(),
  setByUserId: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type ContactFieldValueView = z.infer<typeof contactFieldValueViewSchema>;
export const contactFieldValuesSchema = z.object({
  items: z.array(contactFieldValueViewSchema).describe('Every field of the business, in display order.'),
});

export const updateContactFieldValuesBodySchema = z.strictObject({
  values: z
    .record(z.string(), fieldValue.nullable())
    .refine((values) => Object.keys(values).length > 0, 'name at least one field')
    .refine((values) => Object.keys(values).length <= 50, 'at most 50 fields at once')
    .describe('By field key: the new value (a string, or a number for NUMBER fields), or null to clear it. Fields left out keep their value.'),
});
export type UpdateContactFieldValuesInput = z.infer<typeof updateContactFieldValuesBodySchema>;
