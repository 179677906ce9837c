import type { AnyMessageContent } from '@whiskeysockets/baileys';

interface StoredMedia {
  mediaId?: string;
  url?: string;
  mimeType?: string;
  caption?: string;
  filename?: string;
}

export interface OutboundPlan {
  content: AnyMessageContent;
  /** The message this one replies to (Baileys quotes it). */
  quotedProviderMessageId: string | null;
  /** Characters the governor sizes the typing indicator by. */
  textLength: number;
  /** An object-store key whose bytes must be loaded and put where `{ url }` is (media stored by the platform). */
  objectKey: string | null;
}

const mediaKinds = new Set(['image', 'video', 'audio', 'document', 'sticker']);

/**
 * A stored outbound message (kind, text, normalized content) → what Baileys' `sendMessage` takes. Pure. Media go by
 * URL (Baileys downloads and encrypts them) or by object-store key (the egress loads the bytes). Null for content a
 * WhatsApp Web session cannot send.
 */
export function toBaileysContent(stored: { kind: string; text: string | null; content: Record<string, unknown> }): OutboundPlan | null {
  const context = stored.content['context'] as { providerMessageId?: string } | undefined;
  const quotedProviderMessageId = context?.providerMessageId ?? null;
  const plan = (content: AnyMessageContent, textLength: number, objectKey: string | null = null): OutboundPlan => ({
    content,
    quotedProviderMessageId,
    textLength,
    objectKey,
  });

  if (stored.kind === 'text') {
    const text = typeof stored.content['text'] === 'string' ? (stored.content['text'] as string) : stored.text;
    return text ? plan({ text }, text.length) : null;
  }
  if (mediaKinds.has(stored.kind)) {
    const media = (stored.content['media'] ?? {}) as StoredMedia;
    const source = media.url ?? (media.mediaId ? `object:${media.mediaId}` : null);
    if (!source) return null;
    const upload = { url: source };
    const caption = media.caption ? { caption: media.caption } : {};
    const mimetype = media.mimeType ? { mimetype: media.mimeType } : {};
    const objectKey = media.url ? null : (media.mediaId ?? null);
    const length = media.caption?.length ?? 0;
    switch (stored.kind) {
      case 'image':
        return plan({ image: upload, ...caption, ...mimetype }, length, objectKey);
      case 'video':
        return plan({ video: upload, ...caption, ...mimetype }, length, objectKey);
      case 'sticker':
        return plan({ sticker: upload }, 0, objectKey);
      case 'document':
        return plan(
          {
            document: upload,
            mimetype: media.mimeType ?? 'application/octet-stream',
            ...(media.filename ? { fileName: media.filename } : {}),
            ...caption,
          },
          length,
          objectKey,
        );
      case 'audio': {
        // A voice note must be Ogg/Opus mono to play on every device: the egress converts stored audio (ffmpeg)
        // before sending. Stored bytes without a type take the object's content type.
        const voice = stored.content['voice'] === true;
        const type = media.mimeType ?? (voice ? 'audio/ogg; codecs=opus' : objectKey ? null : 'audio/mpeg');
        return plan({ audio: upload, ptt: voice, ...(type ? { mimetype: type } : {}) }, 0, objectKey);
      }
    }
  }
  if (stored.kind === 'location') {
    const content = stored.content as { latitude?: number; longitude?: number; name?: string; address?: string };
    if (typeof content.latitude !== 'number' || typeof content.longitude !== 'number') return null;
    return plan(
      {
        location: {
          degreesLatitude: content.latitude,
          degreesLongitude: content.longitude,
          ...(content.name ? { name: content.name } : {}),
          ...(content.address ? { address: content.address } : {}),
        },
      },
      0,
    );
  }
  return null;
}
