import { z } from 'zod';
import { collectConfigProblems, ConfigError, loadConfig } from './load-config.ts';

/**
 * What every service needs to run in Kubernetes next to its Dapr sidecar. Read by each service's `config.ts`
 * (`loadKubernetesConfig`), never from the environment here.
 */
export const kubernetesSettingsSchema = z.object({
  /** PostgreSQL. Required: there is no embedded database in Kubernetes. */
  DATABASE_URL: z.url(),
  /** Connections per replica (replicas × pool size must stay under the server's max_connections). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** The app port (`dapr.io/app-port`): daprd, probes, and the service's own HTTP API. */
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** The sidecar's full HTTP address; wins over DAPR_HOST + DAPR_HTTP_PORT. */
  DAPR_HTTP_URL: z.url().optional(),
  /** Set by the Dapr injector; the sidecar listens on localhost in the pod. */
  DAPR_HOST: z.string().min(1).default('127.0.0.1'),
  DAPR_HTTP_PORT: z.coerce.number().int().min(1).max(65_535).default(3500),
  /** Sent to the sidecar (`dapr.io/api-token-secret`). */
  DAPR_API_TOKEN: z.string().min(1).optional(),
  /**
   * Required from the sidecar on every call it makes to the app (`dapr.io/app-token-secret`; the injector sets it).
   * Required: without it the internal routes (event deliveries, actor calls, QR codes, pod restarts) would take
   * calls from anyone who reaches the pod.
   */
  APP_API_TOKEN: z
    .string({ error: 'is required in Kubernetes mode: set dapr.io/app-token-secret on the pod (the internal routes accept nobody without it)' })
    .min(16, 'must be at least 16 characters'),
  /** The Dapr pub/sub component. */
  PUBSUB_NAME: z.string().min(1).default('pubsub'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** SIGTERM → drained and closed within this; keep it under terminationGracePeriodSeconds. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(25),
});

export type KubernetesSettings = z.infer<typeof kubernetesSettingsSchema>;

export interface KubernetesConfig<TService> {
  kubernetes: KubernetesSettings;
  service: TService;
}

/** `http://127.0.0.1:3500` from DAPR_HTTP_URL, or DAPR_HOST (with or without a scheme) and DAPR_HTTP_PORT. */
export function daprHttpUrlOf(settings: Pick<KubernetesSettings, 'DAPR_HTTP_URL' | 'DAPR_HOST' | 'DAPR_HTTP_PORT'>): string {
  if (settings.DAPR_HTTP_URL) return settings.DAPR_HTTP_URL.replace(/\/+$/, '');
  const host = settings.DAPR_HOST.replace(/\/+$/, '');
  const withScheme = /^https?:\/\//.test(host) ? host : `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}`;
  return `${withScheme}:${settings.DAPR_HTTP_PORT}`;
}

/**
 * Parses the Kubernetes settings and the service's own schema together and reports every problem at once (keys,
 * never values). `requiredKeys` names service keys that are optional on a laptop but required in a cluster.
 */
export function loadKubernetesConfig<TSchema extends z.ZodType, TRequired extends keyof z.infer<TSchema> = never>(
  schema: TSchema,
  environment: Record<string, string | undefined>,
  options: { requiredKeys?: TRequired[] } = {},
): KubernetesConfig<z.infer<TSchema> & Required<Pick<z.infer<TSchema>, TRequired>>> {
  const { problems, attempt } = collectConfigProblems();
  const kubernetes = attempt(() => loadConfig(kubernetesSettingsSchema, environment));
  const service = attempt(() => loadConfig(schema, environment)) as Record<string, unknown> | undefined;
  for (const key of options.requiredKeys ?? []) {
    const value = service ? service[key as string] : environment[key as string];
    if ((value === undefined || value === '') && !problems.some((problem) => problem.startsWith(`${String(key)}:`))) {
      problems.push(`${String(key)}: is required in Kubernetes mode`);
    }
  }
  if (problems.length > 0 || !kubernetes || !service) throw new ConfigError(problems);
  return { kubernetes, service: service as z.infer<TSchema> & Required<Pick<z.infer<TSchema>, TRequired>> };
}
