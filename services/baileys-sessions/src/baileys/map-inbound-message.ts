import type { MessageContent } from '@app/domain';
import type { WAMessage } from '@whiskeysockets/baileys';
import { identityOf, isBroadcastJid, isGroupJid, isNewsletterJid, isStatusBroadcastJid } from './jid.ts';
import { mapMessageContent, unsupportedCode, type MessageChange } from './map-message-content.ts';

/** A customer message from WhatsApp Web, in domain terms, ready for `recordInboundMessage`. */
export interface BaileysInboundItem {
  providerMessageId: string;
  /** The chat to answer in (the sender's JID in a 1:1 chat, the group's in a group). */
  chatJid: string;
  /** Phone and/or LID (digits, no `+`, no server): a LID-only sender is kept, never dropped. */
  sender: { phone: string | null; lid: string | null; name: string | null };
  /** ISO 8601 from the message timestamp. */
  sentAt: string;
  content: MessageContent;
  /** The group JID when the message came from a group (only when groups are allowed). */
  groupJid: string | null;
}

/** An edit or delete of an earlier message, with who sent it (only the author may change a message). */
export interface BaileysInboundChange extends Omit<BaileysInboundItem, 'content'> {
  change: MessageChange;
}

export type IgnoredReason = 'status-broadcast' | 'broadcast' | 'newsletter' | 'from-me' | 'group' | 'no-content' | 'protocol' | 'no-sender' | 'no-id';

export type InboundMappingResult =
  { type: 'message'; item: BaileysInboundItem } | { type: 'change'; item: BaileysInboundChange } | { type: 'ignored'; reason: IgnoredReason };

export interface InboundMappingOptions {
  /** Groups are ignored unless this is true. */
  allowGroups?: boolean;
  /** Used when a message carries no timestamp. */
  receivedAt?: Date;
}

/**
 * One `WAMessage` of a `messages.upsert` (type notify or append) → a domain inbound item, or the reason it is not one.
 * Edits and deletes come out as changes of the message they name. Pure. Own messages, status broadcasts, newsletters and (by default) groups are not customer messages.
 */
export function mapInboundMessage(message: WAMessage, options: InboundMappingOptions = {}): InboundMappingResult {
  const key = message.key;
  const chatJid = key?.remoteJid ?? null;
  if (isStatusBroadcastJid(chatJid)) return ignored('status-broadcast');
  if (isBroadcastJid(chatJid)) return ignored('broadcast');
  if (isNewsletterJid(chatJid)) return ignored('newsletter');
  if (key?.fromMe) return ignored('from-me');
  const group = isGroupJid(chatJid);
  if (group && !options.allowGroups) return ignored('group');
  if (!key?.id || !chatJid) return ignored('no-id');

  const sender = senderOf(key, group, message.pushName ?? message.verifiedBizName ?? null);
  if (!sender) return ignored('no-sender');
  const placeholder = placeholderOf(message);
  if (placeholder) {
    const sentAt = timestampOf(message.messageTimestamp, options.receivedAt).toISOString();
    return { type: 'message', item: { providerMessageId: key.id, chatJid, sender, sentAt, content: placeholder, groupJid: group ? chatJid : null } };
  }
  const mapped = mapMessageContent(message.message ?? null);
  if (mapped.type === 'ignored') return ignored(mapped.reason);
  const providerMessageId = key.id;
  const sentAt = timestampOf(message.messageTimestamp, options.receivedAt).toISOString();
  const groupJid = group ? chatJid : null;
  if (mapped.type === 'change') return { type: 'change', item: { providerMessageId, chatJid, sender, sentAt, change: mapped.change, groupJid } };
  return { type: 'message', item: { providerMessageId, chatJid, sender, sentAt, content: mapped.content, groupJid } };
}

/** Titles of the placeholders stored for messages whose content never reached this device. */
export const placeholderTitle = {
  undecryptable: 'Message could not be decrypted',
  viewOnce: 'View-once message: open it on the phone',
} as const;

/**
 * A customer message without content that the operator must still see: one Baileys could not decrypt (stub
 * CIPHERTEXT, e.g. "Bad MAC"; the sender's device may resend it, which then replaces the placeholder) or a view-once
 * message, which WhatsApp never delivers to linked devices (rc14 marks the key `isViewOnce`). Pure.
 */
function placeholderOf(message: WAMessage): MessageContent | null {
  if (message.message) return null;
  // proto.WebMessageInfo.StubType.CIPHERTEXT
  if (message.messageStubType === 2) {
    const reason = message.messageStubParameters?.[0];
    return {
      kind: 'unsupported',
      errors: [{ code: unsupportedCode, title: placeholderTitle.undecryptable, ...(reason ? { details: reason } : {}) }],
    };
  }
  if ((message.key as { isViewOnce?: boolean }).isViewOnce) {
    return { kind: 'unsupported', errors: [{ code: unsupportedCode, title: placeholderTitle.viewOnce }] };
  }
  return null;
}

/** True for the content stored for a message that could not be decrypted (a resend may still bring the real one). */
export function isUndecryptablePlaceholder(content: unknown): boolean {
  const errors = (content as { kind?: unknown; errors?: { title?: unknown }[] } | null)?.errors;
  return (content as { kind?: unknown } | null)?.kind === 'unsupported' && errors?.[0]?.title === placeholderTitle.undecryptable;
}

function ignored(reason: IgnoredReason): InboundMappingResult {
  return { type: 'ignored', reason };
}

/**
 * The sender from the primary JID and its alternate (v7: `remoteJidAlt` in 1:1 chats, `participantAlt` in groups):
 * when the primary is a LID the alternate is the phone number, and the other way round.
 */
function senderOf(key: WAMessage['key'], group: boolean, name: string | null): BaileysInboundItem['sender'] | null {
  const primary = identityOf(group ? key.participant : key.remoteJid);
  const alternate = identityOf(group ? key.participantAlt : key.remoteJidAlt);
  const phone = primary.phone ?? alternate.phone;
  const lid = primary.lid ?? alternate.lid;
  if (!phone && !lid) return null;
  const trimmed = name?.trim();
  return { phone, lid, name: trimmed ? trimmed : null };
}

type LongLike = { low: number; high: number; unsigned?: boolean; toNumber?: () => number };

/** `messageTimestamp` is seconds as a number, a protobuf Long, or (after `toJSON`) a string. */
export function timestampOf(value: WAMessage['messageTimestamp'] | string | LongLike | null | undefined, fallback = new Date()): Date {
  let seconds: number | null = null;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string' && /^\d+$/.test(value)) seconds = Number(value);
  else if (value && typeof value === 'object') {
    const long = value as LongLike;
    seconds = typeof long.toNumber === 'function' ? long.toNumber() : long.high * 2 ** 32 + (long.low >>> 0);
  }
  return seconds && Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : fallback;
}
