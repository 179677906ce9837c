/** Where a session is in its life (what the console shows). */
export type SessionState =
  | 'stopped'
  | 'connecting'
  | 'waiting-for-scan'
  | 'open'
  | 'reconnecting'
  | 'logged-out';

/** Why a session stopped by itself (null when stopped on request or running). */
export type StopReason = 'connection-replaced' | 'forbidden' | 'scan-timeout' | 'lease-lost' | 'auth-state-unreadable';

export interface SessionStatus {
  instanceId: string;
  state: SessionState;
  stopReason: StopReason | null;
  /** The current QR string (render it as a QR code); null unless waiting for a scan. */
  qr: string | null;
  /** The pairing code last requested (type it on the phone); null once connected. */
  pairingCode: string | null;
  /** True once the device is linked (creds registered). */
  registered: boolean;
  /** The linked account's JID once known. */
  account: string | null;
  /** Consecutive failed connection attempts (resets when open). */
  reconnectAttempts: number;
  /** When the next reconnect is due (ISO), while reconnecting. */
  nextAttemptAt: string | null;
  lastDisconnect: { code: number | null; message: string; at: string } | null;
  /** Sockets recycled by the watchdog, by cause, since the process started. */
  watchdogRecycles: { silent: number; keepAliveFailed: number };
  updatedAt: string;
}
