/** Where a session is in its life (what the console shows). */
export type SessionState =
  | 'stopped'
  | 'connecting'
  | 'waiting-for-scan'
  | 'open'
  | 'reconnecting'
  | 'logged-out';

/** Why a session stopped by itself (null when stopped on request or running). */
export type StopReason =
  | 'connection-replaced'
  | 'forbidden'
  | 'scan-timeout'
  | 'lease-lost'
  | 'auth-state-unreadable'
  /** 411: the device list and the creds disagree; a person decides (re-pair or fix the duplicate). */
  | 'multidevice-mismatch'
  /** Repeated 405: WhatsApp refuses this WA Web version; set BAILEYS_WA_VERSION (or let the boot refresh it). */
  | 'version-outdated';

/**
 * WhatsApp limits the account (error 463 on a send, or a reach-out time lock): starting new chats makes it worse,
 * so first messages to new contacts wait until `until`; existing chats go on.
 */
export interface SessionRestriction {
  /** 463 (a send refused for the account's restriction) or 'reachout-timelock'. */
  reason: 'error-463' | 'reachout-timelock';
  since: string;
  until: string;
}

export interface SessionStatus {
  instanceId: string;
  state: SessionState;
  stopReason: StopReason | null;
  /** The current QR string (render it as a QR code); null unless waiting for a scan. */
  qr: string | null;
  /** The pairing code last requested (type it on the phone); null once connected. */
  pairingCode: string | null;
  /** True once the device is linked (Baileys stored the signed device identity and `me`, by QR or pairing code). */
  registered: boolean;
  /** The linked account's JID once known. */
  account: string | null;
  /** Set while WhatsApp restricts the account: no first messages to new contacts until it ends. */
  restriction: SessionRestriction | null;
  /** Consecutive failed connection attempts (resets after a minute open). */
  reconnectAttempts: number;
  /** When the next reconnect is due (ISO), while reconnecting. */
  nextAttemptAt: string | null;
  lastDisconnect: { code: number | null; message: string; at: string } | null;
  /** Sockets recycled by the watchdog, by cause, since the process started. */
  watchdogRecycles: { silent: number; keepAliveFailed: number };
  updatedAt: string;
}
