import {
  checkBodyTemplate,
  checkParametersSchema,
  httpToolContextVariables,
  httpToolNamePattern,
  httpToolTimeouts,
  parameterNames,
} from '@app/domain';
import { z } from 'zod';

/** Headers the platform sets itself: a tool may not send its own. */
const reservedHeaders = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'idempotency-key',
  'expect',
  'upgrade',
  'te',
  'trailer',
]);

const headerName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'must be an HTTP header name')
  .refine((name) => !reservedHeaders.has(name.toLowerCase()), 'is set by the platform');

const headerValue = z
  .string()
  .min(1)
  .max(4_096)
  .regex(/^[^\r\n\0]*$/, 'must be one line');

const parametersSchema = z
  .record(z.string(), z.unknown())
  .superRefine((schema, context) => {
    for (const problem of checkParametersSchema(schema))
      context.addIssue({ code: 'custom', path: problem.path ? problem.path.split('.') : [], message: problem.message });
  })
  .describe('JSON Schema of the arguments the model passes: an object schema ({"type":"object","properties":{…},"required":[…]}).');

const bodyTemplateSchema = z
  .string()
  .max(16_384)
  .nullable()
  .describe(
    `JSON text with {{parameter}} and ${httpToolContextVariables.map((name) => `{{${name}}}`).join(', ')} placeholders. "{{x}}" as a whole string, or outside ` +
      'strings, is replaced by the value as JSON (numbers stay numbers); inside a longer string the value is inserted JSON-escaped. ' +
      'A variable without a value fails the call. Null: the arguments are sent as the JSON body.',
  );

const toolFields = {
  name: z
    .string()
    .regex(httpToolNamePattern, 'must be 1–64 letters, digits, _ or -')
    .describe('What the model calls the tool by; unique per business.'),
  description: z.string().trim().min(1).max(1_024).describe('What the model reads to decide when to call it.'),
  parameters: parametersSchema,
  method: z.literal('POST').describe('Only POST for now.'),
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .max(2_048)
    .describe('https:// unless the operator allows http (HTTP_TOOLS_ALLOW_HTTP); private and loopback addresses only when allow-listed.'),
  bodyTemplate: bodyTemplateSchema,
  timeoutMs: z.number().int().min(httpToolTimeouts.minMs).max(httpToolTimeouts.maxMs).describe('Default 10000, at most 30000.'),
  active: z.boolean().describe('Inactive tools are not offered to the model.'),
};

function headerList<TEntry extends z.ZodType<{ name: string }>>(entry: TEntry) {
  return z
    .array(entry)
    .max(20)
    .superRefine((headers, context) => {
      const seen = new Set<string>();
      headers.forEach((header, index) => {
        if (seen.has(header.name.toLowerCase())) context.addIssue({ code: 'custom', path: [index, 'name'], message: 'appears twice' });
        seen.add(header.name.toLowerCase());
      });
    })
    .describe('Sent with every call; values are secrets: encrypted at rest, never returned.');
}

const headersInput = headerList(z.strictObject({ name: headerName, value: headerValue }));
const headersPatch = headerList(
  z.strictObject({ name: headerName, value: headerValue.optional().describe('Left out: keep the stored value of this header.') }),
);

/** Template variables must be parameters or context variables; checked once parameters and template are both known. */
export function templateIssues(parameters: Record<string, unknown>, bodyTemplate: string | null): Array<{ path: string; message: string }> {
  if (bodyTemplate === null) return [];
  return checkBodyTemplate(bodyTemplate, parameterNames(parameters)).map((message) => ({ path: 'body.bodyTemplate', message }));
}

export const createHttpToolBodySchema = z
  .strictObject({
    ...toolFields,
    method: toolFields.method.default('POST'),
    parameters: parametersSchema.default({ type: 'object', properties: {} }),
    bodyTemplate: bodyTemplateSchema.default(null),
    timeoutMs: toolFields.timeoutMs.default(httpToolTimeouts.defaultMs),
    active: toolFields.active.default(true),
    headers: headersInput.default([]),
  })
  .superRefine((body, context) => {
    // Against an unusable schema every variable would look unknown: its own problems say enough.
    if (checkParametersSchema(body.parameters).length > 0) return;
    for (const issue of templateIssues(body.parameters, body.bodyTemplate))
      context.addIssue({ code: 'custom', path: ['bodyTemplate'], message: issue.message });
  });
export type CreateHttpToolInput = z.infer<typeof createHttpToolBodySchema>;

export const updateHttpToolBodySchema = z
  .strictObject({ ...toolFields, headers: headersPatch.describe('Replaces the list; an entry without value keeps its stored value.') })
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: 'Give at least one field.' })
  .describe('Fields left out keep their value.');
export type UpdateHttpToolInput = z.infer<typeof updateHttpToolBodySchema>;

export const httpToolViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  parameters: z.record(z.string(), z.unknown()),
  method: z.literal('POST'),
  url: z.string(),
  /** Header values are never returned. */
  headers: z.array(z.object({ name: z.string(), set: z.literal(true) })),
  bodyTemplate: z.string().nullable(),
  timeoutMs: z.number().int(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type HttpToolView = z.infer<typeof httpToolViewSchema>;

export const httpToolListSchema = z.object({ items: z.array(httpToolViewSchema) });
export const httpToolParamsSchema = z.object({ id: z.uuid() });

export const testHttpToolBodySchema = z
  .strictObject({
    arguments: z.record(z.string(), z.unknown()).default({}).describe('Sample arguments, as the model would pass them.'),
    contact: z
      .strictObject({ phone: z.string().max(64).optional(), name: z.string().max(200).optional() })
      .default({})
      .describe('Sample values of {{contact.phone}} and {{contact.name}}.'),
    conversationId: z.string().max(100).optional().describe('Sample value of {{conversation.id}}.'),
  })
  .describe('{{business.name}} is the business’s own name.');
export type TestHttpToolInput = z.infer<typeof testHttpToolBodySchema>;

export const httpToolTestResultSchema = z.object({
  /** The request as sent; the tool's header values are replaced by "[redacted]". */
  request: z.object({ method: z.string(), url: z.string(), headers: z.record(z.string(), z.string()), body: z.string() }),
  response: z.object({
    ok: z.boolean(),
    status: z.number().int().nullable(),
    /** The JSON answer (at most 16 KB) when ok. */
    body: z.unknown(),
    /** Why the call failed: refused by the SSRF guard, timeout, non-2xx, not JSON, too large, unreachable. */
    error: z.string().nullable(),
    /** The start of an error answer's body. */
    snippet: z.string().nullable(),
    durationMs: z.number().int(),
  }),
});
export type HttpToolTestResult = z.infer<typeof httpToolTestResultSchema>;
