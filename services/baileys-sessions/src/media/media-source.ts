import { proto, type WAMessage, type WAMessageKey } from '@whiskeysockets/baileys';
import { unwrapMessage } from '../baileys/map-message-content.ts';

/** Message fields that carry a downloadable (encrypted) media file. */
const mediaFields = ['imageMessage', 'videoMessage', 'ptvMessage', 'audioMessage', 'documentMessage', 'stickerMessage'] as const;

/**
 * What a later download needs: the message key (a re-upload request names it) and the media message alone
 * (url, directPath, mediaKey, hashes), without the wrappers or anything else the message carried.
 */
export interface MediaSource {
  key: WAMessageKey;
  message: proto.IMessage;
}

/** The media part of an inbound message, or null when it has no downloadable file. Pure. */
export function mediaSourceOf(message: WAMessage): MediaSource | null {
  const inner = unwrapMessage(message.message ?? null);
  if (!inner) return null;
  for (const field of mediaFields) {
    const media = inner[field] as { directPath?: string | null; url?: string | null; mediaKey?: Uint8Array | null } | null | undefined;
    if (media && (media.directPath || media.url) && media.mediaKey && media.mediaKey.length > 0) {
      return { key: message.key, message: { [field]: media } };
    }
  }
  return null;
}

/** Text form for the database: the key as JSON, the media message in Baileys' own protobuf encoding. */
export function encodeMediaSource(source: MediaSource): string {
  const { key } = source;
  const plainKey = { remoteJid: key.remoteJid ?? null, fromMe: key.fromMe ?? false, id: key.id ?? null, participant: key.participant ?? null };
  const message = Buffer.from(proto.Message.encode(proto.Message.create(source.message)).finish()).toString('base64');
  return JSON.stringify({ key: plainKey, message });
}

export function decodeMediaSource(text: string): MediaSource {
  const parsed = JSON.parse(text) as { key: WAMessageKey; message: string };
  return { key: parsed.key, message: proto.Message.decode(Buffer.from(parsed.message, 'base64')) };
}

/** The codec the shared download queue seals into `media_download.source`. */
export const baileysMediaSourceCodec = { encode: encodeMediaSource, decode: decodeMediaSource };
