/**
 * The contract between baileys-sessions (which runs WhatsApp Web sessions) and its callers (tenant-api): a session's
 * status, the errors a session action ends in, and the pod's control paths. Both sides import it from here.
 */

/** Where a session is in its life (what the console shows). */
export type SessionState = 'stopped' | 'connecting' | 'waiting-for-scan' | 'open' | 'reconnecting' | 'logged-out';

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

/**
 * A session status as a remote caller reports it: the pod's own, `pending` while the pod of the slot is not up yet and
 * a start was requested (it starts there as soon as the pod is; registered/account are unknown until then), or
 * `over-capacity` while the instance controller gives its slot no pod (the platform's cap on sessions is reached).
 */
export type RemoteSessionStatus = Omit<SessionStatus, 'state'> & { state: SessionState | 'pending' | 'over-capacity' };

export type SessionErrorCode =
  /** No session for this instance runs on this host. */
  | 'SESSION_NOT_FOUND'
  /** The device is already linked; pairing again needs a logout first. */
  | 'SESSION_ALREADY_PAIRED'
  /** A pairing code can only be requested while the session waits for a scan. */
  | 'SESSION_NOT_WAITING_FOR_SCAN'
  /** The socket is not open (reconnecting, logged out, stopped). */
  | 'SESSION_NOT_OPEN';

export class SessionError extends Error {
  override readonly name = 'SessionError';

  constructor(
    readonly code: SessionErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The session control routes of a baileys-sessions pod (reached at the pod's own address, ADR 0007). */
export const sessionControlPaths = {
  status: (instanceId: string) => `/internal/sessions/${instanceId}`,
  restart: (instanceId: string) => `/internal/sessions/${instanceId}/restart`,
  pairingCode: (instanceId: string) => `/internal/sessions/${instanceId}/pairing-code`,
  logout: (instanceId: string) => `/internal/sessions/${instanceId}/logout`,
  /** Served by every pod that runs the instance controller: deletes the pod of the instance's slot. */
  restartPod: (instanceId: string) => `/internal/instances/${encodeURIComponent(instanceId)}/restart-pod`,
};
