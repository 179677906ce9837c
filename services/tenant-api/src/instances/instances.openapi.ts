import type { RouteDoc } from '../openapi/route-doc.ts';
import { createInstanceBodySchema, instanceListSchema, instanceParamsSchema, instanceViewSchema } from './instances.schema.ts';

const tag = 'instances';

export const instanceRouteDocs: RouteDoc[] = [
  {
    method: 'post', path: '/instances', tag, authenticated: true,
    summary: 'Connect a WhatsApp number (META: Cloud API credentials) or create a SANDBOX instance',
    description: 'Refused with 403 EMAIL_NOT_VERIFIED until the owner verified the e-mail address. Credentials are encrypted at rest and never returned.',
    body: createInstanceBodySchema,
    success: { status: 201, description: 'Created.', schema: instanceViewSchema },
    errors: [400, 401, 403, 409],
  },
  {
    method: 'get', path: '/instances', tag, authenticated: true,
    summary: 'The business’s instances',
    success: { status: 200, description: 'Instances, oldest first.', schema: instanceListSchema },
    errors: [401],
  },
  {
    method: 'get', path: '/instances/:id', tag, authenticated: true,
    summary: 'One instance',
    params: instanceParamsSchema,
    success: { status: 200, description: 'The instance.', schema: instanceViewSchema },
    errors: [401, 404],
  },
  {
    method: 'delete', path: '/instances/:id', tag, authenticated: true,
    summary: 'Delete an instance with its conversations and messages',
    params: instanceParamsSchema,
    success: { status: 204, description: 'Deleted.' },
    errors: [401, 404],
  },
];
