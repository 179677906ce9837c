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

  constructor(readonly code: SessionErrorCode, message: string) {
    super(message);
  }
}
