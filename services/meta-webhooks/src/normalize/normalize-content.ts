import type { MessageContent } from '@app/domain';
import type { MetaMessage } from './meta-webhook.schema.ts';
import { normalizeErrors, stripPlus } from './normalize-values.ts';

type Context = Pick<MessageContent, 'context'>;

/** Meta's message object → the provider-neutral content. Pure; throws only on a type-specific object missing. */
export function normalizeContent(message: MetaMessage): MessageContent {
  const base: Context = message.context?.id
    ? {
        context: {
          providerMessageId: message.context.id,
          ...(message.context.from ? { from: stripPlus(message.context.from) } : {}),
          ...(message.context.referred_product
            ? {
                referredProduct: {
                  catalogId: message.context.referred_product.catalog_id,
                  productRetailerId: message.context.referred_product.product_retailer_id,
                },
              }
            : {}),
        },
      }
    : {};

  switch (message.type) {
    case 'text':
      return { ...base, kind: 'text', text: required(message.text, 'text').body };
    case 'image':
    case 'video':
    case 'document':
      return { ...base, kind: message.type, media: media(required(message[message.type], message.type)) };
    case 'audio': {
      const audio = required(message.audio, 'audio');
      return { ...base, kind: 'audio', media: media(audio), voice: audio.voice === true };
    }
    case 'sticker': {
      const sticker = required(message.sticker, 'sticker');
      return { ...base, kind: 'sticker', media: media(sticker), animated: sticker.animated === true };
    }
    case 'location': {
      const location = required(message.location, 'location');
      return {
        ...base,
        kind: 'location',
        latitude: location.latitude,
        longitude: location.longitude,
        ...defined({ name: location.name, address: location.address, url: location.url }),
      };
    }
    case 'contacts':
      return {
        ...base,
        kind: 'contacts',
        contacts: required(message.contacts, 'contacts').map((card) => ({
          name: card.name?.formatted_name ?? [card.name?.first_name, card.name?.last_name].filter(Boolean).join(' '),
          phones: (card.phones ?? []).map((phone) => ({
            phone: phone.phone ?? phone.wa_id ?? '',
            ...defined({ waId: phone.wa_id, type: phone.type }),
          })),
          emails: (card.emails ?? []).flatMap((entry) => (entry.email ? [entry.email] : [])),
          ...defined({ organization: card.org?.company }),
        })),
      };
    case 'interactive':
      return { ...base, ...interactive(required(message.interactive, 'interactive')) };
    case 'button': {
      const button = required(message.button, 'button');
      return { ...base, kind: 'button', payload: button.payload, text: button.text };
    }
    case 'reaction': {
      const reaction = required(message.reaction, 'reaction');
      // Removing a reaction arrives as an empty (or absent) emoji.
      return { ...base, kind: 'reaction', targetProviderMessageId: reaction.message_id, emoji: reaction.emoji ?? '' };
    }
    case 'order': {
      const order = required(message.order, 'order');
      return {
        ...base,
        kind: 'order',
        catalogId: order.catalog_id,
        ...defined({ text: order.text }),
        items: order.product_items.map((item) => ({
          productRetailerId: item.product_retailer_id,
          quantity: item.quantity,
          itemPrice: item.item_price,
          currency: item.currency,
        })),
      };
    }
    case 'system': {
      const system = required(message.system, 'system');
      const newWaId = system.wa_id ?? system.new_wa_id;
      return {
        ...base,
        kind: 'system',
        systemType: system.type ?? 'unknown',
        text: system.body ?? '',
        ...(newWaId ? { newWaId: stripPlus(newWaId) } : {}),
      };
    }
    default:
      // `unsupported`, `unknown` and any type Meta adds later: keep the message, say what it was.
      return { ...base, kind: 'unsupported', errors: normalizeErrors(message.errors ?? []).map(unsupportedError) };
  }
}

function interactive(value: NonNullable<MetaMessage['interactive']>): MessageContent & { kind: 'interactive' } {
  if (value.type === 'button_reply' && value.button_reply) {
    return { kind: 'interactive', replyType: 'button_reply', replyId: value.button_reply.id, title: value.button_reply.title };
  }
  if (value.type === 'list_reply' && value.list_reply) {
    return {
      kind: 'interactive',
      replyType: 'list_reply',
      replyId: value.list_reply.id,
      title: value.list_reply.title,
      ...defined({ description: value.list_reply.description }),
    };
  }
  if (value.type === 'nfm_reply' && value.nfm_reply) {
    // A WhatsApp Flow's answer: the flow's response JSON travels as the description.
    return {
      kind: 'interactive',
      replyType: 'nfm_reply',
      replyId: value.nfm_reply.name ?? 'flow',
      title: value.nfm_reply.body ?? '',
      ...defined({ description: value.nfm_reply.response_json }),
    };
  }
  return { kind: 'interactive', replyType: 'other', replyId: value.type, title: '' };
}

function media(value: { id?: string; url?: string; mime_type?: string; sha256?: string; caption?: string; filename?: string }) {
  return defined({
    mediaId: value.id,
    url: value.url,
    mimeType: value.mime_type,
    sha256: value.sha256,
    caption: value.caption,
    filename: value.filename,
  });
}

function unsupportedError(error: { code: number; title?: string; message?: string; details?: string }) {
  return { code: error.code, ...defined({ title: error.title ?? error.message, details: error.details }) };
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`message of type ${name} has no ${name} object`);
  return value;
}

/** Drops undefined keys so normalized objects compare cleanly with golden JSON. */
export function defined<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
