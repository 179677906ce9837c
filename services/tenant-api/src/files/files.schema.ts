import { z } from 'zod';

export const fileParamsSchema = z.object({ id: z.uuid() });

const title = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .refine((value) => !/[[\]\n\r]/.test(value), 'must not contain brackets or line breaks (it is used in [[file:<title>]])')
  .describe('What the agent and the [[file:<title>]] shortcode name the file by; unique within the business, any language.');
const triggerKeywords = z.array(z.string().trim().min(1).max(60)).max(30).describe('Words that hint the agent to send the file.');
const triggerContext = z.string().trim().max(1000).describe('When the agent should send it, in a sentence.');
const order = z.number().int().min(0).max(10_000).describe('Position in the list the agent sees (ascending).');
const active = z.boolean().describe('Inactive files are kept but the agent neither sees nor sends them.');

export const updateFileBodySchema = z
  .strictObject({ title, triggerKeywords, triggerContext, order, active })
  .partial()
  .describe('Fields left out keep their current value.');
export type UpdateFileInput = z.infer<typeof updateFileBodySchema>;

/** The text fields of the upload form, as they arrive (strings), into the same shapes as the update. */
export const uploadFieldsSchema = z.strictObject({
  title: title.optional().describe('Defaults to the file name without its extension.'),
  triggerKeywords: z
    .string()
    .max(4000)
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === '') return [];
      const keywords = value
        .split(',')
        .map((keyword) => keyword.trim())
        .filter(Boolean);
      const parsed = triggerKeywords.safeParse(keywords);
      if (!parsed.success) context.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'invalid keywords' });
      return parsed.success ? parsed.data : [];
    })
    .describe('Comma-separated.'),
  triggerContext: triggerContext.optional(),
  order: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a whole number from 0 to 10000')
    .transform(Number)
    .pipe(order)
    .optional(),
  active: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});

export const agentFileViewSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  filename: z.string(),
  mimeType: z.string().describe('Sniffed from the bytes at upload.'),
  kind: z.enum(['image', 'audio', 'video', 'document']),
  sizeBytes: z.number().int(),
  triggerKeywords: z.array(z.string()),
  triggerContext: z.string(),
  order: z.number().int(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AgentFileView = z.infer<typeof agentFileViewSchema>;

export const agentFileListSchema = z.object({ files: z.array(agentFileViewSchema) });

/** How long a browser may keep a file's bytes; an update of a file's bytes is a new file (new id, new key). */
export const fileCacheSeconds = 300;
