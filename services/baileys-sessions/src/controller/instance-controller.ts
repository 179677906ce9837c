import type { PrismaClient, Transaction } from '@app/db';
import { defaultDeploymentInstanceLimits } from '@app/domain';
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '@app/runtime/service';
import { podNameOfSlot } from '../kubernetes/pod-ordinal.ts';

export interface InstanceControllerOptions {
  prisma: PrismaClient;
  /** In a pod: `kubeConfig.loadFromCluster()`; tests point one at the API double. */
  kubeConfig: KubeConfig;
  namespace: string;
  statefulSetName: string;
  logger: Logger;
  /** Never fewer pods than this (default 1: a pod is always there to run the controller); never more than maxReplicas. */
  minReplicas?: number;
  /**
   * Never more pods than this, whatever the database holds: the platform's cap on WhatsApp Web sessions
   * (BAILEYS_MAX_SESSIONS). An instance whose slot is at or above it is marked `overCapacitySince` instead.
   */
  maxReplicas?: number;
  /** A freed top slot is scaled away only after it stayed free this long (default 60 s; ≥ the lease TTL). */
  scaleDownDelayMs?: number;
  /** Reconcile period (default 15 s). */
  intervalMs?: number;
  now?: () => Date;
}

export type ReconcileOutcome = (
  | { action: 'skipped'; reason: 'not-leader' }
  | { action: 'none'; replicas: number }
  | { action: 'scaled'; from: number; to: number }
  | { action: 'held'; replicas: number; desired: number; reason: 'live-session' | 'scale-down-delay' }
) & {
  /** Present when instances hold slots at or above maxReplicas: how many get no pod. */
  overCapacity?: number;
};

/** The lock every replica of the controller asks for per pass (transaction-scoped: no connection is pinned). */
const controllerLockId = 874_201_407;

/**
 * Keeps the baileys-sessions StatefulSet at `min(maxReplicas, max(slot) + 1)` replicas of the BAILEYS instances that
 * exist (slots are assigned lowest-free in the database), and restarts a session's pod on request. Scaling up is
 * immediate; scaling down removes only top slots that have no instance, no unexpired session lease held by their pod,
 * and stayed so for `scaleDownDelayMs`. The scale is changed with a JSON Patch whose `test` makes a concurrent change
 * fail instead of being overwritten. A replica count above `maxReplicas` (the cap was lowered) is brought down to it
 * at once; instances left above it are marked over capacity, and unmarked when the cap rises. Every pass runs under a
 * PostgreSQL advisory lock: any number of replicas may run the loop, one acts at a time
 * (docs/adr/0007-baileys-session-routing.md, docs/adr/0013-instance-limits.md).
 */
export function createInstanceController(options: InstanceControllerOptions) {
  const { prisma, namespace, statefulSetName: name, logger } = options;
  const apps = options.kubeConfig.makeApiClient(AppsV1Api);
  const core = options.kubeConfig.makeApiClient(CoreV1Api);
  const maxReplicas = options.maxReplicas ?? defaultDeploymentInstanceLimits.whatsappWebSessions;
  const minReplicas = Math.min(options.minReplicas ?? 1, maxReplicas);
  const scaleDownDelayMs = options.scaleDownDelayMs ?? 60_000;
  const now = options.now ?? (() => new Date());
  /** Since when the replica count could have been lower (per desired count); forgotten when the need returns. */
  let lowerSince: { desired: number; at: number } | null = null;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  async function reconcile(): Promise<ReconcileOutcome> {
    return prisma.$transaction(
      async (transaction) => {
        const [lock] = await transaction.$queryRaw<[{ locked: boolean }]>`SELECT pg_try_advisory_xact_lock(${controllerLockId}) AS locked`;
        if (!lock.locked) return { action: 'skipped', reason: 'not-leader' } as const;
        const at = now();
        const overCapacity = await markOverCapacity(transaction, at);
        const outcome = await resize(transaction, at);
        return overCapacity > 0 ? { ...outcome, overCapacity } : outcome;
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
  }

  /** Marks the BAILEYS instances whose slot gets no pod (at or above the cap), unmarks the others; returns how many have none. */
  async function markOverCapacity(transaction: Transaction, at: Date): Promise<number> {
    const marked = await transaction.$executeRaw`
UPDATE instance SET "overCapacitySince" = ${at} WHERE provider = 'BAILEYS' AND slot >= ${maxReplicas} AND "overCapacitySince" IS NULL`;
    await transaction.$executeRaw`UPDATE instance SET "overCapacitySince" = NULL WHERE slot < ${maxReplicas} AND "overCapacitySince" IS NOT NULL`;
    const [{ count }] = await transaction.$queryRaw<[{ count: number }]>`
SELECT COUNT(*)::int AS count FROM instance WHERE provider = 'BAILEYS' AND slot >= ${maxReplicas}`;
    if (marked > 0) {
      logger.warn(
        { event: 'baileys_controller.over_capacity', statefulSet: name, maxReplicas, newlyOverCapacity: marked, overCapacity: count },
        `${count} WhatsApp Web instance(s) hold slots at or above the cap of ${maxReplicas} sessions and get no pod`,
      );
    }
    return count;
  }

  async function resize(transaction: Transaction, at: Date): Promise<ReconcileOutcome> {
    const [{ top }] = await transaction.$queryRaw<[{ top: number | null }]>`
SELECT MAX(slot)::int AS top FROM instance WHERE provider = 'BAILEYS' AND slot IS NOT NULL`;
    const needed = Math.min(maxReplicas, Math.max(minReplicas, top === null ? 0 : top + 1));
    const scale = await apps.readNamespacedStatefulSetScale({ name, namespace });
    const current = scale.spec?.replicas ?? 0;
    if (needed >= current || current > maxReplicas) lowerSince = null;
    // Above the cap (it was lowered, or someone scaled by hand): down to it at once, live sessions or not.
    if (current > maxReplicas) return patchReplicas(current, maxReplicas);
    if (needed > current) return patchReplicas(current, needed);
    if (needed === current) return { action: 'none', replicas: current } as const;

    // Scaling down: keep every pod that still holds a session lease (its session is not stopped yet).
    const live = await transaction.$queryRaw<{ holder: string }[]>`
SELECT holder FROM baileys_session_lease WHERE "expiresAt" > ${at}`;
    let desired = needed;
    for (let slot = current - 1; slot >= needed; slot--) {
      if (live.some((lease) => lease.holder.startsWith(`${podNameOfSlot(name, slot)}-`))) {
        desired = slot + 1;
        break;
      }
    }
    if (desired === current) return { action: 'held', replicas: current, desired: needed, reason: 'live-session' } as const;
    if (!lowerSince || lowerSince.desired !== desired) lowerSince = { desired, at: at.getTime() };
    if (at.getTime() - lowerSince.at < scaleDownDelayMs) return { action: 'held', replicas: current, desired, reason: 'scale-down-delay' } as const;
    lowerSince = null;
    return patchReplicas(current, desired);
  }

  async function patchReplicas(from: number, to: number): Promise<ReconcileOutcome> {
    // JSON Patch (the client's default patch type) with a test: a concurrent change makes this pass fail, not overwrite it.
    await apps.patchNamespacedStatefulSetScale({
      name,
      namespace,
      fieldManager: 'baileys-instance-controller',
      body: [
        { op: 'test', path: '/spec/replicas', value: from },
        { op: 'replace', path: '/spec/replicas', value: to },
      ],
    });
    logger.info({ event: 'baileys_controller.scaled', statefulSet: name, from, to }, `scaled ${name} from ${from} to ${to}`);
    return { action: 'scaled', from, to };
  }

  function schedule(delayMs: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = reconcile()
        .catch((error: unknown) => logger.warn({ event: 'baileys_controller.reconcile_failed', err: error }, 'reconcile failed; retried next period'))
        .finally(() => schedule(options.intervalMs ?? 15_000));
    }, delayMs);
    timer.unref();
  }

  return {
    reconcile,

    /** Deletes the pod that runs the instance's slot; the StatefulSet re-creates it (the session resumes without a scan). */
    async restartSessionPod(instanceId: string): Promise<{ pod: string; deleted: boolean } | null> {
      const instance = await prisma.instance.findUnique({ where: { id: instanceId }, select: { provider: true, slot: true } });
      if (!instance || instance.provider !== 'BAILEYS' || instance.slot === null) return null;
      const pod = podNameOfSlot(name, instance.slot);
      try {
        await core.deleteNamespacedPod({ name: pod, namespace });
      } catch (error) {
        if ((error as { code?: unknown }).code === 404) return { pod, deleted: false };
        throw error;
      }
      logger.info({ event: 'baileys_controller.pod_restarted', instanceId, pod }, `pod ${pod} deleted for a restart`);
      return { pod, deleted: true };
    },

    start() {
      stopped = false;
      schedule(0);
    },

    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export type InstanceController = ReturnType<typeof createInstanceController>;
