import { z } from 'zod';

/**
 * The provider-neutral content of a WhatsApp message. Every provider adapter (Cloud API webhooks, Baileys,
 * sandbox) translates its own payload into exactly one of these; everything downstream sees only this shape.
 */
export const mediaSchema = z.object({
  /** Provider media id (Cloud API) until downloaded, then the object-store key. */
  mediaId: z.string().optional(),
  url: z.string().optional(),
  mimeType: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  /** Bytes in the object store (set once downloaded). */
  size: z.number().int().nonnegative().optional(),
  /**
   * Media the platform downloads (Baileys, Cloud API): `pending` until the bytes are in the object store (retried
   * with backoff; `attempts`/`error` say how it goes), `stored` once `mediaId` is the object key, `failed` when given up.
   * An outbound file of the business's library is `stored` from the start (its `mediaId` is its object key).
   */
  download: z
    .object({ state: z.enum(['pending', 'stored', 'failed']), attempts: z.number().int().nonnegative(), error: z.string().optional() })
    .optional(),
});
export type Media = z.infer<typeof mediaSchema>;

export const replyContextSchema = z.object({
  /** The provider id of the message being replied to or reacted to. */
  providerMessageId: z.string(),
  from: z.string().optional(),
  referredProduct: z.object({ catalogId: z.string(), productRetailerId: z.string() }).optional(),
});

/** One earlier version of an edited message (the customer edited it in WhatsApp). */
export const messageEditSchema = z.object({
  /** The provider id of the edit itself (an edit seen twice is applied once). */
  providerMessageId: z.string(),
  /** When the edit was made (ISO 8601). */
  at: z.string(),
  /** The text before this edit. */
  previousText: z.string(),
});
export type MessageEdit = z.infer<typeof messageEditSchema>;

const base = {
  context: replyContextSchema.optional(),
  /** Set on the original message when it was edited: the latest edit time and every earlier text, oldest first. */
  editedAt: z.string().optional(),
  editHistory: z.array(messageEditSchema).optional(),
  /** Set on the original message when the sender deleted it for everyone (the row is kept, flagged). */
  deletedAt: z.string().optional(),
};

export const messageContentSchema = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('text'), text: z.string() }),
  z.object({ ...base, kind: z.literal('image'), media: mediaSchema }),
  z.object({ ...base, kind: z.literal('audio'), media: mediaSchema, voice: z.boolean() }),
  z.object({ ...base, kind: z.literal('video'), media: mediaSchema }),
  z.object({ ...base, kind: z.literal('document'), media: mediaSchema }),
  z.object({ ...base, kind: z.literal('sticker'), media: mediaSchema, animated: z.boolean() }),
  z.object({
    ...base,
    kind: z.literal('location'),
    latitude: z.number(),
    longitude: z.number(),
    name: z.string().optional(),
    address: z.string().optional(),
    url: z.string().optional(),
  }),
  z.object({
    ...base,
    kind: z.literal('contacts'),
    contacts: z.array(
      z.object({
        name: z.string(),
        phones: z.array(z.object({ phone: z.string(), waId: z.string().optional(), type: z.string().optional() })),
        emails: z.array(z.string()).default([]),
        organization: z.string().optional(),
      }),
    ),
  }),
  /** A tap on an interactive reply button or list row. */
  z.object({
    ...base,
    kind: z.literal('interactive'),
    replyType: z.enum(['button_reply', 'list_reply', 'nfm_reply', 'other']),
    replyId: z.string(),
    title: z.string(),
    description: z.string().optional(),
  }),
  /** A tap on a template quick-reply button. */
  z.object({ ...base, kind: z.literal('button'), payload: z.string(), text: z.string() }),
  /** An empty emoji removes an earlier reaction. */
  z.object({ ...base, kind: z.literal('reaction'), targetProviderMessageId: z.string(), emoji: z.string() }),
  z.object({
    ...base,
    kind: z.literal('order'),
    catalogId: z.string(),
    text: z.string().optional(),
    items: z.array(z.object({ productRetailerId: z.string(), quantity: z.number(), itemPrice: z.number(), currency: z.string() })),
  }),
  z.object({ ...base, kind: z.literal('system'), systemType: z.string(), text: z.string(), newWaId: z.string().optional() }),
  z.object({
    ...base,
    kind: z.literal('unsupported'),
    errors: z.array(z.object({ code: z.number(), title: z.string().optional(), details: z.string().optional() })),
  }),
]);
export type MessageContent = z.infer<typeof messageContentSchema>;
export type MessageKind = MessageContent['kind'];

/** The text the AI and the inbox preview see for any content kind. */
export function describeContent(content: MessageContent): string {
  switch (content.kind) {
    case 'text':
      return content.text;
    case 'image':
    case 'video':
    case 'document':
      return content.media.caption ? `[${content.kind}] ${content.media.caption}` : `[${content.kind}]`;
    case 'audio':
      return content.voice ? '[voice note]' : '[audio]';
    case 'sticker':
      return '[sticker]';
    case 'location':
      return `[location] ${[content.name, content.address].filter(Boolean).join(', ') || `${content.latitude},${content.longitude}`}`;
    case 'contacts':
      return `[contacts] ${content.contacts.map((c) => c.name).join(', ')}`;
    case 'interactive':
      return content.title;
    case 'button':
      return content.text;
    case 'reaction':
      return content.emoji ? `[reaction ${content.emoji}]` : '[reaction removed]';
    case 'order':
      return `[order] ${content.items.length} item(s)${content.text ? `: ${content.text}` : ''}`;
    case 'system':
      return `[system] ${content.text}`;
    case 'unsupported':
      return '[unsupported message]';
  }
}

const previewLength = 120;

/** The inbox's one-line preview of a message: its description, cut to 120 characters with an ellipsis. */
export function messagePreview(description: string): string {
  return description.length > previewLength ? `${description.slice(0, previewLength - 1)}…` : description;
}
