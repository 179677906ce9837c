import type { RouteDoc } from '../openapi/route-doc.ts';
import { sandboxMessageBodySchema, sandboxMessageResponseSchema, sandboxParamsSchema } from './sandbox.schema.ts';

export const sandboxRouteDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/sandbox/:instanceId/messages',
    tag: 'sandbox',
    authenticated: true,
    summary: 'Play the customer: a message to a SANDBOX instance, stored like a real inbound message',
    description: 'The reply (AI or operator) is stored like any other and readable through the conversations API. Another provider’s instance: 409.',
    params: sandboxParamsSchema,
    headers: [{ name: 'Idempotency-Key', description: 'Optional; the same key stores the message only once.' }],
    body: sandboxMessageBodySchema,
    success: { status: 202, description: 'Stored; the pipeline takes it from here.', schema: sandboxMessageResponseSchema },
    errors: [400, 401, 404, 409],
  },
];
