import { orderStatuses } from '@app/domain';
import { z } from 'zod';

export const orderStatusSchema = z.enum(orderStatuses);

export const createOrderBodySchema = z.strictObject({
  contactId: z.uuid().describe('The customer (a contact of this business).'),
  conversationId: z.uuid().nullable().default(null).describe('Where messages about the order go; null: the contact’s latest conversation.'),
  items: z
    .array(z.strictObject({ productId: z.uuid(), quantity: z.number().int().min(1).max(10_000) }))
    .min(1)
    .max(50)
    .describe('Products and quantities; prices come from the catalogue.'),
  customer: z.strictObject({
    name: z.string().trim().min(1).max(200),
    address: z.string().trim().min(1).max(500).nullable().default(null),
    notes: z.string().trim().min(1).max(2_000).nullable().default(null),
  }),
  awaitVoucher: z.boolean().default(false).describe('true: the order waits for the customer’s payment voucher (AWAITING_VOUCHER).'),
});

export const orderListQuerySchema = z.strictObject({
  status: z
    .string()
    .transform((value) => value.split(',').filter((part) => part !== ''))
    .pipe(z.array(orderStatusSchema).min(1))
    .optional()
    .describe('One status or several, comma-separated.'),
  from: z.iso.datetime({ offset: true }).optional().describe('Created at or after this time.'),
  to: z.iso.datetime({ offset: true }).optional().describe('Created before this time.'),
  contactId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const changeOrderStatusBodySchema = z.strictObject({ status: orderStatusSchema });

export const deliveryAgentBodySchema = z.strictObject({
  deliveryAgent: z.string().trim().min(1).max(200).nullable().describe('Who delivers it (a name or phone); null clears it.'),
});

const timelineEntrySchema = z.object({ status: orderStatusSchema, at: z.string(), by: z.enum(['AI', 'OPERATOR', 'CUSTOMER', 'SYSTEM']) });

export const orderViewSchema = z.object({
  id: z.uuid(),
  reference: z.string().describe('How the order is named to people (#3F9A0C21).'),
  status: orderStatusSchema,
  currency: z.string(),
  totalMinor: z.number().int(),
  contact: z.object({ id: z.uuid(), name: z.string().nullable(), phone: z.string().nullable() }),
  conversationId: z.string().nullable(),
  customer: z.object({ name: z.string(), address: z.string().nullable(), notes: z.string().nullable() }),
  items: z.array(
    z.object({
      productId: z.uuid(),
      name: z.string(),
      sku: z.string().nullable(),
      quantity: z.number().int(),
      unitPriceMinor: z.number().int(),
      lineTotalMinor: z.number().int(),
    }),
  ),
  deliveryAgent: z.string().nullable(),
  voucher: z
    .object({ messageId: z.uuid(), receivedAt: z.string().nullable(), mediaPath: z.string().describe('GET it (authenticated) for the image.') })
    .nullable(),
  timeline: z.array(timelineEntrySchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OrderView = z.infer<typeof orderViewSchema>;

export const orderListSchema = z.object({ items: z.array(orderViewSchema), total: z.number().int() });

export const orderActionResultSchema = orderViewSchema.extend({
  customerNotified: z
    .object({ sent: z.boolean(), reason: z.string().nullable() })
    .describe('Whether the WhatsApp message to the customer was queued; reason when not (no_conversation, window_closed).'),
});

export const orderIdParams = z.object({ orderId: z.uuid() });
