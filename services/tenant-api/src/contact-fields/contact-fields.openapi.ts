import type { RouteDoc } from '../openapi/route-doc.ts';
import {
  contactFieldListSchema,
  contactFieldParamsSchema,
  contactFieldViewSchema,
  createContactFieldBodySchema,
  updateContactFieldBodySchema,
} from './contact-fields.schema.ts';

const tag = 'contact-fields';

export const contactFieldRouteDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/contact-fields',
    tag,
    authenticated: true,
    summary: "The business's custom contact fields, in display order",
    success: { status: 200, description: 'The definitions.', schema: contactFieldListSchema },
    errors: [401],
  },
  {
    method: 'post',
    path: '/contact-fields',
    tag,
    authenticated: true,
    summary: 'Define a contact field (owner only)',
    description: 'The agent gets a save_contact_field tool for the defined fields and sees the known values of the contact it answers.',
    body: createContactFieldBodySchema,
    success: { status: 201, description: 'The new field.', schema: contactFieldViewSchema },
    errors: [400, 401, 403, { status: 409, description: 'The key is taken, or the business has 50 fields already (CONFLICT).' }],
  },
  {
    method: 'patch',
    path: '/contact-fields/:id',
    tag,
    authenticated: true,
    summary: "Change a field's label, description, order or options (owner only)",
    params: contactFieldParamsSchema,
    body: updateContactFieldBodySchema,
    success: { status: 200, description: 'The field after the change.', schema: contactFieldViewSchema },
    errors: [400, 401, 403, 404, { status: 409, description: 'A removed ENUM option is still some contact’s value (CONFLICT, details.options).' }],
  },
  {
    method: 'delete',
    path: '/contact-fields/:id',
    tag,
    authenticated: true,
    summary: 'Delete a field and every contact’s value of it (owner only)',
    params: contactFieldParamsSchema,
    success: { status: 204, description: 'Deleted.' },
    errors: [401, 403, 404],
  },
];
