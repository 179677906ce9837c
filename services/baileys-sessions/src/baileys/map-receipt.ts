import type { DeliveryStatus } from '@app/domain';
import type { WAMessageUpdate } from '@whiskeysockets/baileys';

// proto.WebMessageInfo.Status: ERROR 0, PENDING 1, SERVER_ACK 2, DELIVERY_ACK 3, READ 4, PLAYED 5.
const statusByCode: Record<number, DeliveryStatus | null> = { 0: 'failed', 1: null, 2: 'sent', 3: 'delivered', 4: 'read', 5: 'played' };

export interface BaileysReceipt {
  providerMessageId: string;
  status: DeliveryStatus;
  /** From the receipt's timestamp when present. */
  at: Date | null;
  /** A failed send's error code (rc14 puts it first in `messageStubParameters`, e.g. 463 for a restricted account). */
  errorCode: number | null;
}

/** Error 463: the account is restricted (or lacks the contact's privacy token); resending makes it worse (rc14). */
export const accountRestrictedCode = 463;

/**
 * A `messages.update` entry about one of our own messages (Baileys emits these for 1:1 delivery and read receipts:
 * `{ key: { fromMe: true, id }, update: { status, messageTimestamp } }`) → a delivery status. Pure; null for
 * anything else (edits, reactions, other people's messages, PENDING).
 */
export function mapReceipt(update: WAMessageUpdate): BaileysReceipt | null {
  const status = update.update?.status;
  if (!update.key?.fromMe || !update.key.id || typeof status !== 'number') return null;
  const mapped = statusByCode[status];
  if (!mapped) return null;
  const seconds = Number(update.update.messageTimestamp ?? 0);
  const code = Number(update.update.messageStubParameters?.[0]);
  return {
    providerMessageId: update.key.id,
    status: mapped,
    at: seconds > 0 ? new Date(seconds * 1000) : null,
    errorCode: mapped === 'failed' && Number.isInteger(code) && code > 0 ? code : null,
  };
}
