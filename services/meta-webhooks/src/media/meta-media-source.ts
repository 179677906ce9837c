import type { MediaSourceCodec } from '@app/runtime/providers';
import type { NormalizedInboundMessage } from '../normalize/normalized-webhook.ts';

/** What a later download of a Cloud API media file needs: Meta's media id and the phone number it came to. */
export interface MetaMediaSource {
  mediaId: string;
  phoneNumberId: string;
}

/** The media of an inbound message, or null when it has none to download. Pure. */
export function metaMediaSourceOf(item: NormalizedInboundMessage): MetaMediaSource | null {
  const media = 'media' in item.content ? item.content.media : undefined;
  return media?.mediaId ? { mediaId: media.mediaId, phoneNumberId: item.phoneNumberId } : null;
}

export const metaMediaSourceCodec: MediaSourceCodec<MetaMediaSource> = {
  encode: (source) => JSON.stringify({ mediaId: source.mediaId, phoneNumberId: source.phoneNumberId }),
  decode: (text) => {
    const parsed = JSON.parse(text) as Partial<MetaMediaSource>;
    if (typeof parsed.mediaId !== 'string' || typeof parsed.phoneNumberId !== 'string')
      throw new Error('A Cloud API media source needs mediaId and phoneNumberId.');
    return { mediaId: parsed.mediaId, phoneNumberId: parsed.phoneNumberId };
  },
};
