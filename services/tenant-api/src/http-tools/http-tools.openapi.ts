import type { RouteDoc } from '../openapi/route-doc.ts';
import {
  createHttpToolBodySchema,
  httpToolListSchema,
  httpToolParamsSchema,
  httpToolTestResultSchema,
  httpToolViewSchema,
  testHttpToolBodySchema,
  updateHttpToolBodySchema,
} from './http-tools.schema.ts';

const tag = 'http-tools';
const ownerOnly = 'Business owner only (403 for agents).';

export const httpToolRouteDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/agent/http-tools',
    tag,
    authenticated: true,
    summary: 'The business’s HTTP tools (header values are never returned)',
    success: { status: 200, description: 'Tools, by name.', schema: httpToolListSchema },
    errors: [401],
  },
  {
    method: 'post',
    path: '/agent/http-tools',
    tag,
    authenticated: true,
    summary: 'Define an HTTP tool the agent can call (an n8n webhook …)',
    description:
      'The model calls it by name with arguments matching `parameters`; the platform POSTs the filled body template to `url` with the headers and an ' +
      'Idempotency-Key, and gives the JSON answer (at most 16 KB) back to the model. Header values are encrypted at rest. ' +
      `400 lists invalid fields, an unusable parameters schema, and template variables that are neither parameters nor context variables. ${ownerOnly}`,
    body: createHttpToolBodySchema,
    success: { status: 201, description: 'Created.', schema: httpToolViewSchema },
    errors: [400, 401, 403, { status: 409, description: 'CONFLICT: the business already has a tool with this name.' }],
  },
  {
    method: 'get',
    path: '/agent/http-tools/:id',
    tag,
    authenticated: true,
    summary: 'One HTTP tool',
    params: httpToolParamsSchema,
    success: { status: 200, description: 'The tool.', schema: httpToolViewSchema },
    errors: [401, 404],
  },
  {
    method: 'patch',
    path: '/agent/http-tools/:id',
    tag,
    authenticated: true,
    summary: 'Change an HTTP tool (fields left out keep their value)',
    description: `headers replaces the list; an entry without value keeps the value stored under that name. ${ownerOnly}`,
    params: httpToolParamsSchema,
    body: updateHttpToolBodySchema,
    success: { status: 200, description: 'The tool after the change.', schema: httpToolViewSchema },
    errors: [400, 401, 403, 404, { status: 409, description: 'CONFLICT: the business already has a tool with this name.' }],
  },
  {
    method: 'delete',
    path: '/agent/http-tools/:id',
    tag,
    authenticated: true,
    summary: 'Delete an HTTP tool',
    description: ownerOnly,
    params: httpToolParamsSchema,
    success: { status: 204, description: 'Deleted.' },
    errors: [401, 403, 404],
  },
  {
    method: 'post',
    path: '/agent/http-tools/:id/test',
    tag,
    authenticated: true,
    summary: 'Run an HTTP tool once with sample arguments and contact values: the request as sent and the answer',
    description:
      'The call is real (same SSRF guard, timeout and size cap as the agent’s), with a fresh Idempotency-Key. A failed call (refused, timeout, non-2xx, ' +
      `not JSON, too large) is still a 200 whose response.ok is false and response.error says why. At most 30 test calls a minute per business. ${ownerOnly}`,
    params: httpToolParamsSchema,
    body: testHttpToolBodySchema,
    success: { status: 200, description: 'What was sent (header values redacted) and what came back.', schema: httpToolTestResultSchema },
    errors: [
      {
        status: 400,
        description:
          'VALIDATION_FAILED: invalid input, or the body template has variables without a value — details lists each as {path, message} ' +
          '(path body.arguments.<name>, body.contact.phone, body.contact.name or body.conversationId); nothing was sent.',
      },
      401,
      403,
      404,
      429,
    ],
  },
];
