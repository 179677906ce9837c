/**
 * The port the tenant API drives WhatsApp Web (Baileys) sessions through. baileys-sessions implements it (its
 * SessionHost); the composition root passes it in. Absent → the session routes answer 503.
 */
export interface SessionControl {
  /** Null when no session for this instance runs where this API can reach it. */
  status(instanceId: string): Promise<SessionStatusView | null>;
  /**
   * Starts (or restarts) the session: a new QR code when unpaired, a resume when paired. The request is durable:
   * when the session's pod is not up yet the answer is `state: 'pending'` and the pod starts it once it is.
   */
  restart(instanceId: string): Promise<SessionStatusView>;
  /** Phone number in international format; the code is shown in the returned status. */
  requestPairingCode(instanceId: string, phoneNumber: string): Promise<SessionStatusView>;
  logout(instanceId: string): Promise<SessionStatusView>;
  /**
   * Kubernetes only: deletes the pod that runs the session so its StatefulSet starts it afresh. Absent where the
   * session runs in-process (standalone): there is no pod, and the API answers 409 NOT_SUPPORTED.
   */
  restartPod?(instanceId: string): Promise<PodRestartView>;
}

/** What POST /instances/:id/session/restart-pod returns: the pod asked to restart; deleted=false when it was already gone. */
export interface PodRestartView {
  pod: string;
  deleted: boolean;
}

/** What GET /instances/:id/session returns (the SessionHost's status, as JSON). */
export interface SessionStatusView {
  instanceId: string;
  /** `pending`: a start was requested and the pod that runs the session is not up yet; it starts there when it is. */
  state: 'pending' | 'stopped' | 'connecting' | 'waiting-for-scan' | 'open' | 'reconnecting' | 'logged-out';
  stopReason: string | null;
  qr: string | null;
  pairingCode: string | null;
  registered: boolean;
  account: string | null;
  restriction: { reason: 'error-463' | 'reachout-timelock'; since: string; until: string } | null;
  reconnectAttempts: number;
  nextAttemptAt: string | null;
  lastDisconnect: { code: number | null; message: string; at: string } | null;
  watchdogRecycles: { silent: number; keepAliveFailed: number };
  updatedAt: string;
}
