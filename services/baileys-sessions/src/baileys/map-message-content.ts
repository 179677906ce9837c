import type { Media, MessageContent } from '@app/domain';
import type { proto } from '@whiskeysockets/baileys';
import { identityOf } from './jid.ts';
import { parseVcard } from './vcard.ts';

/** An edit or a delete-for-everyone of an earlier message (a protocol message naming it). */
export type MessageChange =
  | { type: 'edit'; targetProviderMessageId: string; content: MessageContent; editedAt: string | null }
  | { type: 'revoke'; targetProviderMessageId: string };

export type ContentMappingResult =
  { type: 'content'; content: MessageContent } | { type: 'change'; change: MessageChange } | { type: 'ignored'; reason: 'no-content' | 'protocol' };

// proto.Message.ProtocolMessage.Type (numbers, so this module needs no runtime import of Baileys).
const protocolRevoke = 0;
const protocolMessageEdit = 14;
/** Meta's code for "message type unknown", reused so both providers report unsupported content alike. */
export const unsupportedCode = 131051;

/** Wrappers whose inner message is the real content (Baileys' `normalizeMessageContent` list). */
const wrappers = [
  'ephemeralMessage',
  'viewOnceMessage',
  'documentWithCaptionMessage',
  'viewOnceMessageV2',
  'viewOnceMessageV2Extension',
  'editedMessage',
  'associatedChildMessage',
  'groupStatusMessage',
  'groupStatusMessageV2',
] as const;

export function unwrapMessage(message: proto.IMessage | null | undefined): proto.IMessage | null {
  let current = message ?? null;
  for (let depth = 0; depth < 5 && current; depth++) {
    const record = current as Record<string, { message?: proto.IMessage | null } | null | undefined>;
    const inner = wrappers.map((name) => record[name]?.message).find((value) => value);
    if (!inner) break;
    current = inner;
  }
  return current;
}

/** A Baileys `proto.IMessage` → domain `MessageContent`. Pure. */
export function mapMessageContent(raw: proto.IMessage | null): ContentMappingResult {
  const message = unwrapMessage(raw);
  if (!message) return { type: 'ignored', reason: 'no-content' };
  const content = (body: MessageContent): ContentMappingResult => ({ type: 'content', content: body });

  if (typeof message.conversation === 'string' && message.conversation !== '') {
    return content({ kind: 'text', text: message.conversation });
  }
  if (message.extendedTextMessage) {
    const text = message.extendedTextMessage;
    return content({ kind: 'text', text: text.text ?? '', ...contextOf(text.contextInfo) });
  }
  if (message.imageMessage) {
    const image = message.imageMessage;
    return content({ kind: 'image', media: mediaOf(image, image.caption), ...contextOf(image.contextInfo) });
  }
  if (message.videoMessage) {
    const video = message.videoMessage;
    return content({ kind: 'video', media: mediaOf(video, video.caption), ...contextOf(video.contextInfo) });
  }
  if (message.ptvMessage) {
    const video = message.ptvMessage;
    return content({ kind: 'video', media: mediaOf(video, video.caption), ...contextOf(video.contextInfo) });
  }
  if (message.audioMessage) {
    const audio = message.audioMessage;
    return content({ kind: 'audio', media: mediaOf(audio), voice: audio.ptt === true, ...contextOf(audio.contextInfo) });
  }
  if (message.documentMessage) {
    const document = message.documentMessage;
    const media = mediaOf(document, document.caption);
    if (document.fileName) media.filename = document.fileName;
    return content({ kind: 'document', media, ...contextOf(document.contextInfo) });
  }
  if (message.stickerMessage) {
    const sticker = message.stickerMessage;
    return content({ kind: 'sticker', media: mediaOf(sticker), animated: sticker.isAnimated === true, ...contextOf(sticker.contextInfo) });
  }
  if (message.locationMessage || message.liveLocationMessage) {
    const location = (message.locationMessage ?? message.liveLocationMessage) as proto.Message.ILocationMessage;
    return content({
      kind: 'location',
      latitude: location.degreesLatitude ?? 0,
      longitude: location.degreesLongitude ?? 0,
      ...(location.name ? { name: location.name } : {}),
      ...(location.address ? { address: location.address } : {}),
      ...(location.url ? { url: location.url } : {}),
      ...contextOf(location.contextInfo),
    });
  }
  if (message.contactMessage) {
    const card = message.contactMessage;
    return content({ kind: 'contacts', contacts: [parseVcard(card.vcard ?? '', card.displayName)], ...contextOf(card.contextInfo) });
  }
  if (message.contactsArrayMessage) {
    const cards = message.contactsArrayMessage.contacts ?? [];
    return content({
      kind: 'contacts',
      contacts: cards.map((card) => parseVcard(card.vcard ?? '', card.displayName)),
      ...contextOf(message.contactsArrayMessage.contextInfo),
    });
  }
  if (message.reactionMessage) {
    const reaction = message.reactionMessage;
    // An empty text removes the reaction (Baileys: "if reaction was removed, reaction.text is falsey").
    return content({ kind: 'reaction', targetProviderMessageId: reaction.key?.id ?? '', emoji: reaction.text ?? '' });
  }
  if (message.buttonsResponseMessage) {
    const reply = message.buttonsResponseMessage;
    return content({ kind: 'interactive', replyType: 'button_reply', replyId: reply.selectedButtonId ?? '', title: reply.selectedDisplayText ?? '' });
  }
  if (message.listResponseMessage) {
    const reply = message.listResponseMessage;
    return content({
      kind: 'interactive',
      replyType: 'list_reply',
      replyId: reply.singleSelectReply?.selectedRowId ?? '',
      title: reply.title ?? '',
      ...(reply.description ? { description: reply.description } : {}),
    });
  }
  if (message.protocolMessage) return mapProtocolMessage(message.protocolMessage);

  const type = Object.keys(message).find((name) => name !== 'messageContextInfo' && name !== 'senderKeyDistributionMessage');
  if (!type) return { type: 'ignored', reason: 'no-content' };
  return content({ kind: 'unsupported', errors: [{ code: unsupportedCode, title: 'Message type unknown', details: type }] });
}

/** Edits and deletes are protocol messages naming the message they change; the rest is session plumbing. */
function mapProtocolMessage(protocol: proto.Message.IProtocolMessage): ContentMappingResult {
  const target = protocol.key?.id;
  if (protocol.type === protocolRevoke && target) {
    return { type: 'change', change: { type: 'revoke', targetProviderMessageId: target } };
  }
  if (protocol.type === protocolMessageEdit && target) {
    const edited = mapMessageContent(protocol.editedMessage ?? null);
    if (edited.type !== 'content') return { type: 'ignored', reason: 'protocol' };
    const millis = protocol.timestampMs === null || protocol.timestampMs === undefined ? NaN : Number(protocol.timestampMs);
    const editedAt = Number.isFinite(millis) && millis > 0 ? new Date(millis).toISOString() : null;
    return { type: 'change', change: { type: 'edit', targetProviderMessageId: target, content: edited.content, editedAt } };
  }
  return { type: 'ignored', reason: 'protocol' };
}

/** The text an edit gives its message: the new text, or the new caption of a media message. */
export function textOfEdit(content: MessageContent): string {
  if (content.kind === 'text') return content.text;
  if ('media' in content && content.media.caption) return content.media.caption;
  return '';
}

type MediaMessage = {
  mimetype?: string | null;
  fileSha256?: Uint8Array | null;
};

function mediaOf(media: MediaMessage, caption?: string | null): Media {
  return {
    ...(media.mimetype ? { mimeType: media.mimetype } : {}),
    ...(media.fileSha256 && media.fileSha256.length > 0 ? { sha256: Buffer.from(media.fileSha256).toString('base64') } : {}),
    ...(caption ? { caption } : {}),
  };
}

/** A reply's context: the quoted message id and its author (phone or LID digits). */
function contextOf(context: proto.IContextInfo | null | undefined): { context?: { providerMessageId: string; from?: string } } {
  if (!context?.stanzaId) return {};
  const author = identityOf(context.participant);
  const from = author.phone ?? author.lid;
  return { context: { providerMessageId: context.stanzaId, ...(from ? { from } : {}) } };
}
