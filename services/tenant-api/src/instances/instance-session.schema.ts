import { z } from 'zod';

export const sessionStatusViewSchema = z.object({
  instanceId: z.uuid(),
  /**
   * `pending`: a start was requested while the pod that runs this session is not up yet (a new instance's pod is
   * being created); it starts there as soon as the pod is, and registered/account are unknown until then.
   * `over-capacity`: the platform runs as many WhatsApp Web sessions as it may (BAILEYS_MAX_SESSIONS) and this
   * instance's slot has no pod; POST …/session/restart moves it to a free slot when there is one.
   */
  state: z.enum(['pending', 'over-capacity', 'stopped', 'connecting', 'waiting-for-scan', 'open', 'reconnecting', 'logged-out']),
  /**
   * Why a session stopped by itself: connection-replaced, forbidden (a person must check the number), scan-timeout,
   * lease-lost, auth-state-unreadable, multidevice-mismatch (411: a person decides; the creds are kept),
   * version-outdated (WhatsApp refuses the WhatsApp Web version: set BAILEYS_WA_VERSION or restart).
   */
  stopReason: z.string().nullable(),
  /** Render as a QR code and scan it with WhatsApp → Linked devices; null unless waiting for a scan. */
  qr: z.string().nullable(),
  /** Type this on the phone (Linked devices → Link with phone number) after POST …/session/pairing-code. */
  pairingCode: z.string().nullable(),
  /** The device is linked (by QR or pairing code). */
  registered: z.boolean(),
  account: z.string().nullable(),
  /** WhatsApp restricts the account (error 463 or a reach-out time lock): no first messages to new contacts until `until`. */
  restriction: z.object({ reason: z.enum(['error-463', 'reachout-timelock']), since: z.string(), until: z.string() }).nullable(),
  reconnectAttempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastDisconnect: z.object({ code: z.number().nullable(), message: z.string(), at: z.string() }).nullable(),
  watchdogRecycles: z.object({ silent: z.number().int(), keepAliveFailed: z.number().int() }),
  updatedAt: z.string(),
});

export const podRestartViewSchema = z.object({
  /** The StatefulSet pod that runs the session (e.g. baileys-sessions-2). */
  pod: z.string(),
  /** False when the pod was already gone (being rescheduled). */
  deleted: z.boolean(),
});
