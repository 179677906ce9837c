import { defaultDeploymentInstanceLimits } from '@app/domain';
import {
  loadConfig,
  loadKubernetesConfig,
  objectStoreSettingsShape,
  requireObjectStoreCredentials,
  type KubernetesConfig,
} from '@app/runtime/service';
import { z } from 'zod';

const seconds = (fallback: number) => z.coerce.number().min(1).default(fallback);
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

/** The service's configuration; the only file that reads the environment. */
export const baileysSessionsConfigSchema = z.object({
  /** Messages from groups are stored (and answered) only when true. */
  BAILEYS_ALLOW_GROUPS: flag(false),
  /**
   * Where auth state lives: postgres (default), or redis by explicit choice only (needs REDIS_URL, and a Redis with
   * persistence and no eviction: checked at start). Losing it unlinks every number.
   */
  BAILEYS_AUTH_STORE: z.enum(['postgres', 'redis']).default('postgres'),
  /** Comma-separated slots this process runs (Kubernetes: the pod ordinal). Empty: every slot (standalone). */
  BAILEYS_SLOTS: z
    .string()
    .regex(/^(\d+(,\d+)*)?$/, 'comma-separated slot numbers')
    .default('')
    .transform((value) => (value === '' ? null : value.split(',').map(Number))),
  /** This process's name in session leases (default: a random one per start). */
  BAILEYS_HOST_ID: z.string().min(1).optional(),
  /** The WhatsApp Web version to announce (`2.3000.1043857760`); unset: refreshed at start, else Baileys' pinned one. */
  BAILEYS_WA_VERSION: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/, 'a version like 2.3000.1043857760')
    .optional(),
  BAILEYS_START_STAGGER_MS: z.coerce.number().int().min(0).default(1_500),
  BAILEYS_LEASE_TTL_SECONDS: seconds(30),
  BAILEYS_RECONNECT_MAX_SECONDS: seconds(300),
  BAILEYS_WATCHDOG_SILENCE_SECONDS: seconds(120),
  BAILEYS_WATCHDOG_INTERVAL_SECONDS: seconds(30),
  /** Sending governor defaults (per instance). */
  BAILEYS_MAX_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  BAILEYS_MIN_GAP_PER_RECIPIENT_MS: z.coerce.number().int().min(0).default(3_000),
  BAILEYS_NEW_CONTACTS_PER_DAY: z.coerce.number().int().min(0).default(20),
  BAILEYS_TYPING: flag(true),
  /** A message SENDING this long (its process died mid-send) becomes FAILED "send outcome unknown"; never resent. */
  BAILEYS_STUCK_SEND_SECONDS: seconds(300),
  /** ffmpeg for voice notes (Debian's `ffmpeg` package; `.ci/run` installs it). */
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  /** Inbound media downloads: how often failed ones are retried (with exponential backoff per file) and when to give up. */
  BAILEYS_MEDIA_RETRY_SECONDS: seconds(60),
  BAILEYS_MEDIA_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(8),
  REDIS_URL: z.url().optional(),
});
export type BaileysSessionsConfig = z.infer<typeof baileysSessionsConfigSchema>;

export function loadBaileysSessionsConfig(environment: Record<string, string | undefined> = process.env): BaileysSessionsConfig {
  return loadConfig(baileysSessionsConfigSchema, environment);
}

/** Kubernetes only (src/kubernetes/): the pod's ordinal, the StatefulSet, and the instance controller. */
export const baileysSessionsKubernetesSchema = baileysSessionsConfigSchema
  .extend({
    /** The `apps.kubernetes.io/pod-index` label through the downward API; POD_NAME's `-N` suffix otherwise. */
    POD_INDEX: z.string().optional(),
    POD_NAME: z.string().optional(),
    /** The namespace (downward API `metadata.namespace`). */
    POD_NAMESPACE: z.string().min(1).default('default'),
    BAILEYS_STATEFULSET_NAME: z.string().min(1).default('baileys-sessions'),
    /** Run the instance controller loop in this pod (every pod may: one acts at a time under an advisory lock). */
    BAILEYS_CONTROLLER: flag(true),
    BAILEYS_CONTROLLER_INTERVAL_SECONDS: seconds(15),
    BAILEYS_MIN_REPLICAS: z.coerce.number().int().min(0).default(1),
    /**
     * The platform's cap on WhatsApp Web sessions = the most replicas the controller ever sets (tenant-api refuses new
     * sessions beyond it with the same setting). Instances on slots at or above it are shown as over capacity.
     */
    BAILEYS_MAX_SESSIONS: z.coerce.number().int().min(0).default(defaultDeploymentInstanceLimits.whatsappWebSessions),
    BAILEYS_SCALE_DOWN_DELAY_SECONDS: seconds(60),
    /** Seals the auth state at rest: tenant-api's key (one base64 key, or a rotation list id:key,…). Required. */
    CREDENTIALS_KEY: z.string().min(1).optional(),
    /** Media in MinIO/S3; unset: media is not downloaded or sent from storage. */
    ...objectStoreSettingsShape,
  })
  .superRefine(requireObjectStoreCredentials)
  .superRefine((config, context) => {
    if (config.BAILEYS_MIN_REPLICAS > config.BAILEYS_MAX_SESSIONS) {
      context.addIssue({ code: 'custom', path: ['BAILEYS_MIN_REPLICAS'], message: 'must not be above BAILEYS_MAX_SESSIONS (the cap on replicas)' });
    }
  });
export type BaileysSessionsKubernetesSettings = z.infer<typeof baileysSessionsKubernetesSchema>;
export type BaileysSessionsKubernetesConfig = KubernetesConfig<BaileysSessionsKubernetesSettings & { CREDENTIALS_KEY: string }>;

export function loadBaileysSessionsKubernetesConfig(environment: Record<string, string | undefined> = process.env): BaileysSessionsKubernetesConfig {
  return loadKubernetesConfig(baileysSessionsKubernetesSchema, environment, { requiredKeys: ['CREDENTIALS_KEY'] });
}
