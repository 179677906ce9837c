import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { SecretBox } from '@app/db';
import { Topics } from '@app/domain';
import { requireAppToken, startDaprService, type DaprService, type OutboxRelayOptions } from '@app/runtime/dapr';
import type { Clock, ObjectStore } from '@app/runtime/ports';
import { AppError, objectStoreFromSettings, type Logger } from '@app/runtime/service';
import { KubeConfig } from '@kubernetes/client-node';
import express from 'express';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { BaileysSessionsKubernetesConfig } from '../config.ts';
import { createSessionControlRouter } from '../control/session-control.router.ts';
import { createInstanceController, type InstanceController } from '../controller/instance-controller.ts';
import { createBaileysSessions, type BaileysSessions } from '../create-baileys-sessions.ts';
import { baileysEgressGroup } from '../egress/baileys-egress.subscription.ts';
import { createOutboundRouterSubscription } from '../routing/outbound-router.subscription.ts';
import { baileysSlotTopic } from '../routing/slot-topic.ts';
import type { SocketFactory } from '../session/session-socket.ts';
import type { Timers } from '../session/timers.ts';

import { podNameOfSlot, podOrdinal } from './pod-ordinal.ts';

export interface BaileysSessionsServiceOptions {
  config: BaileysSessionsKubernetesConfig;
  logger?: Logger;
  clock?: Clock;
  relay?: Pick<OutboxRelayOptions, 'pollIntervalMs' | 'retry' | 'leaseMs'>;
  /** Default: Baileys' makeWASocket. Tests pass the fake socket factory. */
  socketFactory?: SocketFactory;
  /** The controller's API server. Default: the pod's service account (`loadFromCluster`). */
  kubeConfig?: KubeConfig;
  timers?: Timers;
  random?: () => number;
  /** Default: MinIO/S3 from OBJECT_STORE_* settings (none when OBJECT_STORE_ENDPOINT is unset). */
  objectStore?: ObjectStore;
}

export interface BaileysSessionsService extends DaprService {
  /** This pod's StatefulSet ordinal = the one slot it runs. */
  slot: number;
  sessions: BaileysSessions;
  controller: InstanceController | null;
}

/**
 * Kubernetes composition of baileys-sessions (Dapr app id `baileys-sessions`, a StatefulSet; one pod per slot;
 * docs/adr/0007-baileys-session-routing.md): runs only the session whose Instance.slot is this pod's ordinal
 * (the lease still guards hand-overs), forwards BAILEYS sends from `messages.outbound` to the owning pod's topic
 * `messages.outbound.baileys.<slot>` and sends what arrives on its own, serves session control at
 * `/internal/sessions/:instanceId` (reached by pod DNS), and runs the instance controller loop.
 */
export async function startBaileysSessionsService(options: BaileysSessionsServiceOptions): Promise<BaileysSessionsService> {
  const { kubernetes, service: config } = options.config;
  const podName = config.POD_NAME ?? hostname();
  const slot = podOrdinal({ podIndex: config.POD_INDEX, podName });
  if (slot === null) throw new Error('Cannot tell this pod’s StatefulSet ordinal: set POD_INDEX (pod-index label) or POD_NAME (…-N).');
  const secretBox = SecretBox.fromCredentialsKey(config.CREDENTIALS_KEY);
  let sessions: BaileysSessions | undefined;
  let controller: InstanceController | null = null;
  let redis: Redis | null = null;
  const objectStore = options.objectStore ?? objectStoreFromSettings(config);

  const service = await startDaprService({
    service: 'baileys-sessions',
    settings: kubernetes,
    migrations: 'await',
    logger: options.logger,
    clock: options.clock,
    relay: options.relay,
    compose: ({ prisma, logger, pubsub, relay }) => {
      // Also without BAILEYS_AUTH_STORE=redis: auth state kept there before PostgreSQL became the default is adopted at start.
      redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 }) : null;
      // The egress listens on this pod's slot topic instead of messages.outbound (which the router takes).
      const slotSubscriber = {
        subscribe: (subscription: Parameters<typeof pubsub.subscribe>[0]) =>
          pubsub.subscribe(
            subscription.topic === Topics.messagesOutbound && subscription.group === baileysEgressGroup
              ? { ...subscription, topic: baileysSlotTopic(slot) }
              : subscription,
          ),
      };
      sessions = createBaileysSessions({
        prisma,
        logger,
        secretBox,
        pubsub: slotSubscriber,
        // The hostId starts with the pod name: the controller tells a pod's live leases by it.
        config: { ...config, BAILEYS_SLOTS: [slot], BAILEYS_HOST_ID: config.BAILEYS_HOST_ID ?? `${podName}-${randomBytes(4).toString('hex')}` },
        redis,
        ...(objectStore ? { objectStore } : {}),
        onStored: () => relay.wake(),
        ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
        ...(options.timers ? { timers: options.timers } : {}),
        ...(options.random ? { random: options.random } : {}),
      });
      pubsub.subscribe(createOutboundRouterSubscription({ prisma, logger, onForwarded: () => relay.wake() }));
      if (config.BAILEYS_CONTROLLER) {
        const kubeConfig = options.kubeConfig ?? clusterKubeConfig();
        controller = createInstanceController({
          prisma,
          kubeConfig,
          namespace: config.POD_NAMESPACE,
          statefulSetName: config.BAILEYS_STATEFULSET_NAME,
          logger,
          minReplicas: config.BAILEYS_MIN_REPLICAS,
          maxReplicas: config.BAILEYS_MAX_SESSIONS,
          intervalMs: config.BAILEYS_CONTROLLER_INTERVAL_SECONDS * 1_000,
          scaleDownDelayMs: config.BAILEYS_SCALE_DOWN_DELAY_SECONDS * 1_000,
        });
      }
      const owned = sessions;
      return {
        mount(app) {
          app.use(createSessionControlRouter({ control: owned.host, appApiToken: kubernetes.APP_API_TOKEN }));
          app.use(createRestartPodRouter(() => controller, kubernetes.APP_API_TOKEN));
        },
        async start() {
          await owned.start();
          controller?.start();
          logger.info(
            { event: 'baileys_sessions.slot', slot, pod: podNameOfSlot(config.BAILEYS_STATEFULSET_NAME, slot), topic: baileysSlotTopic(slot) },
            `running slot ${slot}`,
          );
        },
        async stop() {
          await controller?.stop();
          await owned.stop();
          await (redis as Redis | null)?.quit().catch(() => undefined);
        },
      };
    },
  });
  return { ...service, slot, sessions: sessions!, controller };
}

/** `POST /internal/instances/:instanceId/restart-pod`: any pod that runs the controller deletes the owning pod. */
function createRestartPodRouter(controllerOf: () => InstanceController | null, appApiToken: string | undefined) {
  const router = express.Router();
  router.post('/internal/instances/:instanceId/restart-pod', requireAppToken(appApiToken), async (request, response) => {
    const instanceId = z.uuid().safeParse(request.params['instanceId']);
    if (!instanceId.success) throw new AppError('VALIDATION_FAILED', 'The instance id must be a UUID.', { field: 'instanceId' });
    const controller = controllerOf();
    if (!controller) throw new AppError('UNAVAILABLE', 'The instance controller does not run in this pod (BAILEYS_CONTROLLER=false).');
    const result = await controller.restartSessionPod(instanceId.data);
    if (!result) throw new AppError('NOT_FOUND', 'No BAILEYS instance with this id.');
    response.status(202).json(result);
  });
  return router;
}

function clusterKubeConfig(): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromCluster();
  return kubeConfig;
}
