import type { AuthenticationCreds } from '@whiskeysockets/baileys';

/**
 * A device is linked once WhatsApp's `pair-success` gave Baileys the signed device identity (`account`) and `me`.
 * `registered` is no sign: only the pairing-code flow sets it, a QR-linked number never has it. Pure.
 */
export function isPaired(creds: Pick<AuthenticationCreds, 'account' | 'me'> | undefined): boolean {
  return !!creds?.account && !!creds.me?.id;
}

/**
 * Creds that name an account that never finished pairing: a pairing code was asked for (Baileys writes `me` before
 * sending the request) and the phone never confirmed. Baileys would log in as that account and fail; start afresh.
 */
export function isAbandonedPairing(creds: Pick<AuthenticationCreds, 'account' | 'me'>): boolean {
  return !!creds.me?.id && !creds.account;
}
