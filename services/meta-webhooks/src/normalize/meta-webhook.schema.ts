import { z } from 'zod';

/**
 * Zod schemas for the parts of a Cloud API webhook we read (protocols.md §1.3–1.4). Unknown fields are ignored
 * (zod strips them); identifiers Meta sometimes sends as numbers are coerced to strings.
 */
const idString = z.union([z.string(), z.number()]).transform(String);
const optionalString = z.string().optional();

export const metaErrorSchema = z.object({
  code: z.coerce.number(),
  title: optionalString,
  message: optionalString,
  error_data: z.object({ details: optionalString }).optional(),
  href: optionalString,
});
export type MetaError = z.infer<typeof metaErrorSchema>;

export const envelopeSchema = z.object({
  object: z.string(),
  entry: z.array(z.unknown()),
});

export const entrySchema = z.object({
  id: idString.optional(),
  changes: z.array(z.unknown()),
});

export const changeSchema = z.object({
  field: z.string(),
  value: z.unknown(),
});

export const messagesValueSchema = z.object({
  messaging_product: z.string().optional(),
  metadata: z.object({ display_phone_number: idString.optional(), phone_number_id: idString }),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});

export const contactSchema = z.object({
  profile: z.object({ name: optionalString }).optional(),
  wa_id: idString.optional(),
  user_id: optionalString,
  parent_user_id: optionalString,
});
export type MetaContact = z.infer<typeof contactSchema>;

const contextSchema = z.object({
  from: idString.optional(),
  id: optionalString,
  referred_product: z.object({ catalog_id: idString, product_retailer_id: idString }).optional(),
});

const mediaSchema = z.object({
  id: idString.optional(),
  url: optionalString,
  mime_type: optionalString,
  sha256: optionalString,
  caption: optionalString,
  filename: optionalString,
});

export const referralSchema = z.object({
  source_url: optionalString,
  source_id: optionalString,
  source_type: optionalString,
  body: optionalString,
  headline: optionalString,
  media_type: optionalString,
  image_url: optionalString,
  video_url: optionalString,
  thumbnail_url: optionalString,
  ctwa_clid: optionalString,
});

export const messageSchema = z
  .object({
    from: idString.optional(),
    from_user_id: optionalString,
    from_parent_user_id: optionalString,
    id: z.string().min(1),
    timestamp: idString,
    type: z.string(),
    context: contextSchema.optional(),
    referral: referralSchema.optional(),
    text: z.object({ body: z.string() }).optional(),
    image: mediaSchema.optional(),
    video: mediaSchema.optional(),
    document: mediaSchema.optional(),
    audio: mediaSchema.extend({ voice: z.boolean().optional() }).optional(),
    sticker: mediaSchema.extend({ animated: z.boolean().optional() }).optional(),
    location: z
      .object({
        latitude: z.coerce.number(),
        longitude: z.coerce.number(),
        name: optionalString,
        address: optionalString,
        url: optionalString,
      })
      .optional(),
    contacts: z
      .array(
        z.object({
          name: z.object({ formatted_name: optionalString, first_name: optionalString, last_name: optionalString }).optional(),
          phones: z.array(z.object({ phone: idString.optional(), wa_id: idString.optional(), type: optionalString })).optional(),
          emails: z.array(z.object({ email: optionalString })).optional(),
          org: z.object({ company: optionalString }).optional(),
        }),
      )
      .optional(),
    interactive: z
      .object({
        type: z.string(),
        button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
        list_reply: z.object({ id: z.string(), title: z.string(), description: optionalString }).optional(),
        nfm_reply: z.object({ name: optionalString, body: optionalString, response_json: optionalString }).optional(),
      })
      .optional(),
    button: z.object({ payload: z.string(), text: z.string() }).optional(),
    reaction: z.object({ message_id: z.string(), emoji: z.string().optional() }).optional(),
    order: z
      .object({
        catalog_id: idString,
        text: optionalString,
        product_items: z.array(
          z.object({
            product_retailer_id: idString,
            quantity: z.coerce.number(),
            item_price: z.coerce.number(),
            currency: z.string(),
          }),
        ),
      })
      .optional(),
    system: z.object({ body: z.string().optional(), wa_id: idString.optional(), new_wa_id: idString.optional(), type: optionalString }).optional(),
    errors: z.array(metaErrorSchema).optional(),
  })
  .refine((message) => message.from !== undefined || message.from_user_id !== undefined || message.type === 'system', {
    message: 'message has neither from nor from_user_id',
  });
export type MetaMessage = z.infer<typeof messageSchema>;

export const statusSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  timestamp: idString,
  recipient_id: idString.optional(),
  recipient_user_id: optionalString,
  biz_opaque_callback_data: optionalString,
  pricing: z.object({ billable: z.boolean().optional(), pricing_model: optionalString, type: optionalString, category: optionalString }).optional(),
  errors: z.array(metaErrorSchema).optional(),
});
export type MetaStatus = z.infer<typeof statusSchema>;
