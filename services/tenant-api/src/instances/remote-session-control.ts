import type { PrismaClient } from '@app/db';
import { SessionError, sessionControlPaths, type RemoteSessionStatus, type SessionErrorCode, type SessionStatus } from '@app/domain';

export interface RemoteSessionControlOptions {
  /** Finds the instance's slot. */
  prisma: Pick<PrismaClient, 'instance'>;
  /**
   * The base URL of the pod that runs a slot, e.g. `http://baileys-sessions-{slot}.baileys-sessions:3000`
   * ({slot} is replaced), or a function (tests).
   */
  podUrl: string | ((slot: number) => string);
  /** baileys-sessions' APP_API_TOKEN, sent as `dapr-api-token`. */
  token?: string | undefined;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** The pod of the slot did not answer (not created yet, starting, or gone). */
class PodUnreachableError extends SessionError {
  constructor(slot: number, cause: unknown) {
    super('SESSION_NOT_FOUND', `The pod of slot ${slot} is not reachable; try again shortly.`);
    this.cause = cause;
  }
}

/** Answers from the pod's way in rather than from the app: nobody is listening there yet. */
const unreachableStatuses = new Set([502, 503, 504]);

const sessionErrorCodes = new Set<SessionErrorCode>([
  'SESSION_NOT_FOUND',
  'SESSION_ALREADY_PAIRED',
  'SESSION_NOT_WAITING_FOR_SCAN',
  'SESSION_NOT_OPEN',
]);

/**
 * The tenant API's SessionControl in Kubernetes: each call goes to the pod whose ordinal is the instance's slot,
 * by the StatefulSet's stable pod DNS name. Control is interactive (a QR code lives ~20 s), so it is synchronous:
 * an unreachable pod is "not running here" (status null, actions SESSION_NOT_FOUND → the API answers 503, try again)
 * — except a start: `restart` records the request (`Instance.sessionRequestedAt`) and answers `pending`; the pod
 * starts the session when it is up (SessionHost.start and its request sweep), and `status` says `pending` meanwhile.
 */
export function createRemoteSessionControl(options: RemoteSessionControlOptions) {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const podUrl = (slot: number) =>
    (typeof options.podUrl === 'function' ? options.podUrl(slot) : options.podUrl.replaceAll('{slot}', String(slot))).replace(/\/+$/, '');

  async function call<T = SessionStatus>(instanceId: string, method: 'GET' | 'POST', path: (id: string) => string, body?: unknown): Promise<T> {
    const instance = await options.prisma.instance.findUnique({ where: { id: instanceId }, select: { provider: true, slot: true } });
    if (!instance || instance.provider !== 'BAILEYS' || instance.slot === null) {
      throw new SessionError('SESSION_NOT_FOUND', 'No Baileys session exists for this instance.');
    }
    let response: Response;
    try {
      response = await fetchImpl(`${podUrl(instance.slot)}${path(instanceId)}`, {
        method,
        headers: {
          ...(options.token ? { 'dapr-api-token': options.token } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new PodUnreachableError(instance.slot, error);
    }
    if (unreachableStatuses.has(response.status)) throw new PodUnreachableError(instance.slot, new Error(`HTTP ${response.status}`));
    const payload = (await response.json().catch(() => null)) as { error?: { message?: string; details?: { reason?: string } } } | null;
    if (response.ok) return payload as unknown as T;
    const reason = payload?.error?.details?.reason;
    const message = payload?.error?.message ?? `The session pod answered ${response.status}.`;
    if (reason && sessionErrorCodes.has(reason as SessionErrorCode)) throw new SessionError(reason as SessionErrorCode, message);
    // 401 (token), 5xx, a pod that is not ours yet: the session is not reachable right now.
    throw new SessionError('SESSION_NOT_FOUND', message);
  }

  const now = options.now ?? (() => new Date());
  const podless = (instanceId: string, state: 'pending' | 'over-capacity', since: Date): RemoteSessionStatus => ({
    instanceId,
    state,
    stopReason: null,
    qr: null,
    pairingCode: null,
    registered: false,
    account: null,
    restriction: null,
    reconnectAttempts: 0,
    nextAttemptAt: null,
    lastDisconnect: null,
    watchdogRecycles: { silent: 0, keepAliveFailed: 0 },
    updatedAt: since.toISOString(),
  });

  return {
    async status(instanceId: string): Promise<RemoteSessionStatus | null> {
      try {
        return await call(instanceId, 'GET', sessionControlPaths.status);
      } catch (error) {
        if (error instanceof PodUnreachableError) {
          const instance = await options.prisma.instance.findUnique({
            where: { id: instanceId },
            select: { sessionRequestedAt: true, overCapacitySince: true },
          });
          if (instance?.overCapacitySince) return podless(instanceId, 'over-capacity', instance.overCapacitySince);
          return instance?.sessionRequestedAt ? podless(instanceId, 'pending', instance.sessionRequestedAt) : null;
        }
        if (error instanceof SessionError && error.code === 'SESSION_NOT_FOUND') return null;
        throw error;
      }
    },
    /** Starts the session on its pod; while that pod is not up, records the request and answers `pending`. */
    async restart(instanceId: string): Promise<RemoteSessionStatus> {
      try {
        return await call(instanceId, 'POST', sessionControlPaths.restart);
      } catch (error) {
        if (!(error instanceof PodUnreachableError)) throw error;
        const requestedAt = now();
        await options.prisma.instance.updateMany({ where: { id: instanceId, provider: 'BAILEYS' }, data: { sessionRequestedAt: requestedAt } });
        return podless(instanceId, 'pending', requestedAt);
      }
    },
    requestPairingCode: (instanceId: string, phoneNumber: string) => call(instanceId, 'POST', sessionControlPaths.pairingCode, { phoneNumber }),
    logout: (instanceId: string) => call(instanceId, 'POST', sessionControlPaths.logout),
    /** The owning pod's instance controller deletes that pod (202 {pod, deleted}); its StatefulSet starts it afresh. */
    restartPod: (instanceId: string) => call<{ pod: string; deleted: boolean }>(instanceId, 'POST', sessionControlPaths.restartPod),
  };
}

export type RemoteSessionControl = ReturnType<typeof createRemoteSessionControl>;
