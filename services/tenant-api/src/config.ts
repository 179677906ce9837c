import { defaultDeploymentInstanceLimits, type DeploymentInstanceLimits } from '@app/domain';
import {
  loadConfig,
  loadKubernetesConfig,
  objectStoreSettingsShape,
  requireObjectStoreCredentials,
  type KubernetesConfig,
} from '@app/runtime/service';
import { httpToolSettingsShape } from '@app/runtime/providers';
import { z } from 'zod';
import { parseDurationSeconds } from './http/duration.ts';

const duration = (fallback: string) =>
  z
    .string()
    .regex(/^\d+\s*[smhd]$/, 'must be a duration such as 90s, 15m, 12h or 30d')
    .prefault(fallback)
    .transform((value) => parseDurationSeconds(value));

const positiveInteger = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const count = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/**
 * The tenant API's configuration. JWT_SECRET and CREDENTIALS_KEY are required in production; the standalone
 * launcher may generate and persist them for a laptop run, which is why they are optional here and required by
 * createTenantApi.
 */
export const tenantApiConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Access tokens are short-lived; refresh tokens are rotated on every use. */
    ACCESS_TOKEN_TTL: duration('15m'),
    REFRESH_TOKEN_TTL: duration('30d'),
    /** nodemailer transport URL (smtp://user:pass@host:587); without it the verification link is logged. */
    SMTP_URL: z.url().optional(),
    MAIL_FROM: z.string().min(3).default('WhatsApp AI Platform <no-reply@localhost>'),
    /** Base URL that links in e-mails point to. */
    PUBLIC_URL: z.url().default('http://localhost:3000'),
    /**
     * Where the link in the verification e-mail points (the token is appended as ?token=). Unset: the API's own
     * page, PUBLIC_URL/api/auth/verify-email. Point it at the console's page (PUBLIC_URL/verify-email) to land there.
     */
    EMAIL_VERIFICATION_URL: z.url().optional(),
    /** The console page a password reset e-mail links to (?token= is appended). Unset: PUBLIC_URL/reset-password. */
    PASSWORD_RESET_URL: z.url().optional(),
    /**
     * Encrypts provider credentials at rest (AES-256-GCM): 32 random bytes in base64 (`openssl rand -base64 32`),
     * or a rotation list `id:base64key,id:base64key` whose first key is current.
     */
    CREDENTIALS_KEY: z.string().refine(isCredentialsKey, 'must be 32 bytes in base64, or a list id:base64key,…').optional(),
    /** Live updates: tickets, replay buffer and fan-out across replicas (redis://…). Unset: in this process only. */
    REDIS_URL: z.url().optional(),
    /** argon2id cost; OWASP's baseline is 19 MiB, 2 passes, 1 lane. Tests lower it to stay fast. */
    PASSWORD_HASH_MEMORY_KIB: positiveInteger(19_456),
    PASSWORD_HASH_PASSES: positiveInteger(2),
    PASSWORD_HASH_PARALLELISM: positiveInteger(1),
    /**
     * Failed logins allowed per e-mail address FROM ONE client address per window (another address — the owner's — is
     * not locked out by a stranger's guesses), and attempts per client address per window.
     */
    LOGIN_MAX_FAILURES_PER_EMAIL: positiveInteger(10),
    LOGIN_MAX_ATTEMPTS_PER_IP: positiveInteger(50),
    LOGIN_RATE_WINDOW: duration('15m'),
    /** Models businesses may choose (comma-separated), or `*` for any; unset: gpt-4o-mini, gpt-4.1-mini, gpt-4.1-nano, gpt-4o. */
    AI_ALLOWED_MODELS: z.string().optional(),
    /** Simulated customer messages one business may send to its sandbox per minute (each may cost a model call). */
    SANDBOX_MESSAGES_PER_MINUTE: positiveInteger(30),
    /** Registrations and verification resends one client address may ask for per hour. */
    SIGNUPS_PER_IP_PER_HOUR: positiveInteger(20),
    /**
     * Which proxies' X-Forwarded-For to believe for the client address (Express `trust proxy`): unset in standalone
     * (the socket's address), e.g. `1` behind one ingress, or `loopback, uniquelocal`. Rate limits key on it.
     */
    TRUST_PROXY: z.string().trim().min(1).optional(),
    /** Instances (WhatsApp numbers of any kind) one business may have; a plan may allow fewer. */
    MAX_INSTANCES_PER_BUSINESS: count(defaultDeploymentInstanceLimits.instancesPerBusiness),
    /** WhatsApp Web (BAILEYS) instances one business may have (0: none); each is a session on a platform pod. */
    MAX_BAILEYS_INSTANCES_PER_BUSINESS: count(defaultDeploymentInstanceLimits.whatsappWebInstancesPerBusiness),
    /**
     * WhatsApp Web sessions on the whole platform: new ones get slots 0 … n-1 and are refused beyond. The same value
     * as baileys-sessions' BAILEYS_MAX_SESSIONS, whose instance controller never scales the StatefulSet above it.
     */
    BAILEYS_MAX_SESSIONS: count(defaultDeploymentInstanceLimits.whatsappWebSessions),
    /** HTTP tools' SSRF guard: HTTP_TOOLS_ALLOW_HTTP, HTTP_TOOLS_ALLOW_LIST ("test this tool" calls under it). */
    ...httpToolSettingsShape,
    /** Largest file the files library takes (bytes); beyond → 413. 16 MB is WhatsApp's limit for video and audio. */
    FILES_MAX_BYTES: positiveInteger(16 * 1024 * 1024),
  })
  .superRefine((config, context) => {
    if (config.NODE_ENV !== 'production') return;
    for (const key of ['JWT_SECRET', 'CREDENTIALS_KEY'] as const) {
      if (!config[key]) context.addIssue({ code: 'custom', path: [key], message: 'is required in production' });
    }
  });

export type TenantApiConfig = z.infer<typeof tenantApiConfigSchema>;

export function loadTenantApiConfig(environment: Record<string, string | undefined> = process.env): TenantApiConfig {
  return loadConfig(tenantApiConfigSchema, environment);
}

/** The deployment's instance limits, as the domain names them. */
export function deploymentInstanceLimits(config: TenantApiConfig): DeploymentInstanceLimits {
  return {
    instancesPerBusiness: config.MAX_INSTANCES_PER_BUSINESS,
    whatsappWebInstancesPerBusiness: config.MAX_BAILEYS_INSTANCES_PER_BUSINESS,
    whatsappWebSessions: config.BAILEYS_MAX_SESSIONS,
  };
}

/** Kubernetes-only settings of tenant-api. */
export const tenantApiKubernetesSchema = z.intersection(
  tenantApiConfigSchema,
  z
    .object({
      /** The Dapr app id asked (service invocation) whether AI replies are on and for a business's queue. */
      CONVERSATION_ACTORS_APP_ID: z.string().min(1).default('conversation-actors'),
      /** Where the pod owning a Baileys slot answers session control (QR, pairing code, logout); {slot} is replaced. */
      BAILEYS_POD_URL_TEMPLATE: z.string().min(1).default('http://baileys-sessions-{slot}.baileys-sessions:3000'),
      /** Media in MinIO/S3, served to the console by GET /api/messages/:id/media. */
      ...objectStoreSettingsShape,
    })
    .superRefine(requireObjectStoreCredentials),
);
export type TenantApiKubernetesConfig = KubernetesConfig<
  z.infer<typeof tenantApiKubernetesSchema> & { JWT_SECRET: string; CREDENTIALS_KEY: string; REDIS_URL: string }
>;

/**
 * Kubernetes mode (src/main.ts): the shared sidecar/database settings (DATABASE_URL, DAPR_*, PORT…) plus the above,
 * with JWT_SECRET, CREDENTIALS_KEY and REDIS_URL required whatever NODE_ENV says (no generated secrets in a cluster).
 */
export function loadTenantApiKubernetesConfig(environment: Record<string, string | undefined> = process.env): TenantApiKubernetesConfig {
  // Redis is required in a cluster: live updates fan out through it across tenant-api replicas.
  return loadKubernetesConfig(tenantApiKubernetesSchema, environment, { requiredKeys: ['JWT_SECRET', 'CREDENTIALS_KEY', 'REDIS_URL'] });
}

function isCredentialsKey(value: string): boolean {
  const keys = value.includes(':') ? value.split(',').map((entry) => entry.slice(entry.indexOf(':') + 1)) : [value];
  return keys.every((key) => /^[A-Za-z0-9+/]+={0,2}$/.test(key.trim()) && Buffer.from(key.trim(), 'base64').length === 32);
}

/** TRUST_PROXY as Express takes it: a hop count, `true`, or a list of addresses/subnets/names (loopback, uniquelocal …). */
export function trustProxySetting(value: string | undefined): number | boolean | string | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}
