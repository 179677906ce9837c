import { z } from 'zod';
import { contactFieldKeyPattern, contactFieldLimits, contactFieldTypes } from '@app/domain';

export const contactFieldParamsSchema = z.object({ id: z.uuid() });

const label = z.string().trim().min(1).max(contactFieldLimits.labelLength);
const description = z.string().trim().max(contactFieldLimits.descriptionLength).describe('For the model: what the field means and when to save it.');
const options = z
  .array(z.string().max(contactFieldLimits.optionLength))
  .max(contactFieldLimits.options)
  .describe('ENUM only: the allowed values (trimmed; duplicates ignoring case are refused). Values are matched ignoring case.');
const position = z.number().int().min(0).max(10_000).describe('Display order, lowest first.');

export const createContactFieldBodySchema = z.strictObject({
  key: z
    .string()
    .regex(contactFieldKeyPattern, 'must be lower snake case starting with a letter, at most 40 characters ([a-z][a-z0-9_]{0,39})')
    .describe('What the API, the CSV export and the model call the field; cannot change later.'),
  label,
  type: z.enum(contactFieldTypes).describe('TEXT (≤ 500 characters), NUMBER, DATE (YYYY-MM-DD) or ENUM (one of options); cannot change later.'),
  options: options.optional(),
  description: description.optional(),
  position: position.optional(),
});
export type CreateContactFieldInput = z.infer<typeof createContactFieldBodySchema>;

export const updateContactFieldBodySchema = z
  .strictObject({ label, description, position, options })
  .partial()
  .describe('Fields left out keep their value. Removing an ENUM option that a contact has is refused (409).');
export type UpdateContactFieldInput = z.infer<typeof updateContactFieldBodySchema>;

export const contactFieldViewSchema = z.object({
  id: z.uuid(),
  key: z.string(),
  label: z.string(),
  type: z.enum(contactFieldTypes),
  options: z.array(z.string()),
  description: z.string(),
  position: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ContactFieldView = z.infer<typeof contactFieldViewSchema>;

export const contactFieldListSchema = z.object({ items: z.array(contactFieldViewSchema) });
