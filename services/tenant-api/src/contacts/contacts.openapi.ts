import type { RouteDoc } from '../openapi/route-doc.ts';
import { contactParamsSchema, contactViewSchema, updateContactBodySchema } from './contacts.schema.ts';

export const contactRouteDocs: RouteDoc[] = [
  {
    method: 'patch',
    path: '/contacts/:id',
    tag: 'contacts',
    authenticated: true,
    summary: 'Pause or resume the bot for one contact',
    params: contactParamsSchema,
    body: updateContactBodySchema,
    success: { status: 200, description: 'The contact after the change.', schema: contactViewSchema },
    errors: [400, 401, 404],
  },
];
