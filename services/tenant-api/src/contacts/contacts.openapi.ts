import type { RouteDoc } from '../openapi/route-doc.ts';
import {
  contactFieldFilterDescription,
  contactFieldValuesSchema,
  contactPageSchema,
  contactParamsSchema,
  contactViewSchema,
  exportContactsQuerySchema,
  listContactsQuerySchema,
  updateContactBodySchema,
  updateContactFieldValuesBodySchema,
} from './contacts.schema.ts';

const tag = 'contacts';

export const contactRouteDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/contacts',
    tag,
    authenticated: true,
    summary: 'Contacts with their custom field values, newest first, filterable by field',
    description: contactFieldFilterDescription,
    query: listContactsQuerySchema,
    success: { status: 200, description: 'One page of contacts.', schema: contactPageSchema },
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/contacts/export.csv',
    tag,
    authenticated: true,
    summary: 'Every matching contact with its custom fields as CSV (UTF-8 with BOM, for Excel)',
    description:
      `${contactFieldFilterDescription} Columns: id, name, phone, whatsapp_id, created_at, then one per field key. Cells a spreadsheet ` +
      'would run as a formula (starting with = + - @) are prefixed with an apostrophe; plain numbers and phone numbers are not.',
    query: exportContactsQuerySchema,
    success: { status: 200, description: 'text/csv, streamed.', binary: true },
    errors: [400, 401],
  },
  {
    method: 'patch',
    path: '/contacts/:id',
    tag,
    authenticated: true,
    summary: 'Pause or resume the bot for one contact',
    params: contactParamsSchema,
    body: updateContactBodySchema,
    success: { status: 200, description: 'The contact after the change.', schema: contactViewSchema },
    errors: [400, 401, 404],
  },
  {
    method: 'get',
    path: '/contacts/:id/fields',
    tag,
    authenticated: true,
    summary: "Every custom field of the business with this contact's value, who set it and when",
    params: contactParamsSchema,
    success: { status: 200, description: 'The fields and values.', schema: contactFieldValuesSchema },
    errors: [401, 404],
  },
  {
    method: 'put',
    path: '/contacts/:id/fields',
    tag,
    authenticated: true,
    summary: "Set or clear some of a contact's custom field values (as an operator)",
    description:
      'Each value is checked against its field type (TEXT ≤ 500 characters; NUMBER such as 12.5 or 12,5; DATE YYYY-MM-DD; ENUM one of the ' +
      'options, case ignored). Any invalid value → 400 listing each one, and nothing is saved. Saving a value the contact already has changes nothing.',
    params: contactParamsSchema,
    body: updateContactFieldValuesBodySchema,
    success: { status: 200, description: 'Every field with its value after the change.', schema: contactFieldValuesSchema },
    errors: [400, 401, 404],
  },
];
