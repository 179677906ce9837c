/** Baileys' `DisconnectReason` codes (numbers, so this rule needs no Baileys import). */
export const DisconnectCode = {
  connectionClosed: 428,
  connectionLost: 408,
  connectionReplaced: 440,
  loggedOut: 401,
  badSession: 500,
  restartRequired: 515,
  multideviceMismatch: 411,
  forbidden: 403,
  unavailableService: 503,
  /** Not a `DisconnectReason` name: WhatsApp refuses a client version it no longer accepts (outdated WA Web version). */
  methodNotAllowed: 405,
} as const;

/** 405s in a row (without an open in between) after which the WhatsApp Web version is taken as outdated. */
export const maxVersionRefusals = 3;

export type CloseDecision =
  /** Expected right after a scan: open a new socket at once with the same creds. */
  | { action: 'restart-now' }
  /** Transient: reconnect after a backoff. */
  | { action: 'reconnect' }
  /** The creds are dead: wipe them; a new scan is needed. */
  | { action: 'logged-out' }
  /** Stop and wait for a person (reason says why). */
  | { action: 'stop'; reason: 'connection-replaced' | 'forbidden' | 'scan-timeout' | 'multidevice-mismatch' | 'version-outdated' };

/**
 * What to do when a socket closes, from the close code (`lastDisconnect.error.output.statusCode`) and whether the
 * session was ever paired. Pure.
 * - 515 after pairing is not an error: a new socket right away.
 * - 401: logged out on the phone: wipe and ask for a new scan.
 * - 411: the device list and our creds disagree. Wiping would unlink a number that may still work after a person
 *   looks (another process on the same creds, a restored backup): stop and ask, keep the creds.
 * - 405 `maxVersionRefusals` times in a row: WhatsApp refuses our WA Web version; retrying cannot help: stop.
 * - 440: another client took the session; fighting back makes a 440 loop (Baileys #963, #1339): stop.
 * - 403: reported with bans and restrictions (#1245): stop and tell a person; never retry automatically.
 * - 408 after QR codes were shown and never scanned: they ran out; stop instead of showing QRs forever (a 408
 *   before any QR is a network failure: reconnect).
 * - anything else (428, 408, 500, 503, unknown): reconnect with backoff.
 */
export function decideOnClose(statusCode: number | null, context: { paired: boolean; qrShown: boolean; versionRefusals: number }): CloseDecision {
  switch (statusCode) {
    case DisconnectCode.restartRequired:
      return { action: 'restart-now' };
    case DisconnectCode.loggedOut:
      return { action: 'logged-out' };
    case DisconnectCode.multideviceMismatch:
      return { action: 'stop', reason: 'multidevice-mismatch' };
    case DisconnectCode.methodNotAllowed:
      return context.versionRefusals >= maxVersionRefusals ? { action: 'stop', reason: 'version-outdated' } : { action: 'reconnect' };
    case DisconnectCode.connectionReplaced:
      return { action: 'stop', reason: 'connection-replaced' };
    case DisconnectCode.forbidden:
      return { action: 'stop', reason: 'forbidden' };
    case DisconnectCode.connectionLost:
      return !context.paired && context.qrShown ? { action: 'stop', reason: 'scan-timeout' } : { action: 'reconnect' };
    default:
      return { action: 'reconnect' };
  }
}

/** The status code of a Baileys close error: a Boom carries it in `output.statusCode`. */
export function closeStatusCode(error: unknown): number | null {
  const output = (error as { output?: { statusCode?: unknown } } | null | undefined)?.output;
  return typeof output?.statusCode === 'number' ? output.statusCode : null;
}
