import { baileysSessionsConfigSchema, type BaileysSessionsConfig } from '@app/baileys-sessions';
import { conversationActorsConfigSchema, type ConversationActorsConfig } from '@app/conversation-actors';
import { metaWebhooksConfigSchema, type MetaWebhooksConfig } from '@app/meta-webhooks';
import { collectConfigProblems, ConfigError, loadConfig } from '@app/runtime/service';
import { tenantApiConfigSchema, type TenantApiConfig } from '@app/tenant-api';
import { z } from 'zod';

/** Settings of the one-process platform itself; each service's own settings come from its own schema. */
export const standaloneConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Real PostgreSQL. Unset: the embedded PGlite database under DATA_DIR. */
  DATABASE_URL: z.url().optional(),
  /** PostgreSQL connections this process holds (ingestion, actors, AI workers and the API share them). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  /** Embedded database and generated secrets live here. */
  DATA_DIR: z.string().default('./data'),
  /** Optional; live-update fan-out and caches use it when set, in-process fallbacks otherwise. */
  REDIS_URL: z.url().optional(),
  /** The built console served at `/` (npm start builds it when missing); unset or without index.html: API only. */
  CONSOLE_DIR: z.string().default('console-angular/dist/console-angular/browser'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type StandaloneSettings = z.infer<typeof standaloneConfigSchema>;

export interface StandaloneConfig {
  platform: StandaloneSettings;
  tenantApi: TenantApiConfig;
  conversationActors: ConversationActorsConfig;
  baileysSessions: BaileysSessionsConfig;
  /** Null when META_APP_SECRET and META_VERIFY_TOKEN are both unset: the Cloud API webhook is off. */
  metaWebhooks: MetaWebhooksConfig | null;
}

/** Parses every service's settings and reports all problems at once, naming keys, never values. */
export function loadStandaloneConfig(environment: Record<string, string | undefined> = process.env): StandaloneConfig {
  const { problems, attempt } = collectConfigProblems();
  const metaConfigured = Boolean(environment.META_APP_SECRET || environment.META_VERIFY_TOKEN);
  const platform = attempt(() => loadConfig(standaloneConfigSchema, environment));
  const tenantApi = attempt(() => loadConfig(tenantApiConfigSchema, environment));
  const conversationActors = attempt(() => loadConfig(conversationActorsConfigSchema, environment));
  const baileysSessions = attempt(() => loadConfig(baileysSessionsConfigSchema, environment));
  const metaWebhooks = metaConfigured ? attempt(() => loadConfig(metaWebhooksConfigSchema, environment)) : null;
  if (problems.length > 0 || !platform || !tenantApi || !conversationActors || !baileysSessions || metaWebhooks === undefined) {
    throw new ConfigError(problems);
  }
  return { platform, tenantApi, conversationActors, baileysSessions, metaWebhooks };
}
