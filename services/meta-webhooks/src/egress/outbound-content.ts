import { baseMediaType } from '@app/domain';
import type { GraphMediaType, GraphOutboundMessage } from './graph-api-client.ts';

const mediaKinds: readonly string[] = ['image', 'audio', 'video', 'document', 'sticker'];
const graphImageTypes = new Set(['image/jpeg', 'image/png']);

interface StoredMedia {
  mediaId?: string;
  url?: string;
  mimeType?: string;
  caption?: string;
  filename?: string;
}

/**
 * A stored outbound message (kind, text, normalized content) → what the Graph API sends. Pure. Returns null for
 * content the Cloud API egress cannot send as a session message (the caller fails it with a clear code).
 */
export function toGraphMessage(stored: { kind: string; text: string | null; content: Record<string, unknown> }): {
  message: GraphOutboundMessage;
  replyToProviderMessageId?: string;
} | null {
  const context = stored.content.context as { providerMessageId?: string } | undefined;
  const reply = context?.providerMessageId ? { replyToProviderMessageId: context.providerMessageId } : {};
  if (stored.kind === 'text') {
    const text = typeof stored.content.text === 'string' ? stored.content.text : stored.text;
    return text ? { message: { type: 'text', text }, ...reply } : null;
  }
  if (mediaKinds.includes(stored.kind)) {
    const media = (stored.content.media ?? {}) as StoredMedia;
    if (!media.mediaId && !media.url) return null;
    // The Cloud API shows only JPEG and PNG as images; another picture (WebP from the library) goes as a document.
    const type = stored.kind === 'image' && media.mimeType && !graphImageTypes.has(baseMediaType(media.mimeType)) ? 'document' : stored.kind;
    return {
      message: {
        type: type as GraphMediaType,
        ...(media.mediaId ? { mediaId: media.mediaId } : { link: media.url }),
        ...(media.caption ? { caption: media.caption } : {}),
        ...(media.filename ? { filename: media.filename } : {}),
        ...(stored.kind === 'audio' && stored.content.voice === true ? { voice: true } : {}),
      },
      ...reply,
    };
  }
  return null;
}
