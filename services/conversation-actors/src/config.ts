import { httpToolSettingsShape } from '@app/runtime/providers';
import { loadConfig, loadKubernetesConfig, type KubernetesConfig } from '@app/runtime/service';
import { z } from 'zod';

/** The conversation-actors service's settings; the only file of the service that reads the environment. */
export const conversationActorsConfigSchema = z.object({
  /** Platform-wide OpenAI key. Optional for an OpenAI-compatible local server that needs none. */
  OPENAI_API_KEY: z.string().min(1).optional(),
  /** OpenAI-compatible endpoint (ends in /v1), e.g. a local server; default: OpenAI. */
  OPENAI_BASE_URL: z.url().optional(),
  /** AI jobs one replica works on at once. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(2_000).default(40),
  /** Timeout of one chat completion request. */
  AI_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(60),
  /** The openai client's own retries of one attempt (429, 5xx, connection errors); the actor retries on top. */
  AI_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
  /**
   * An AI job the actor hears nothing about for this long counts as a failed attempt (a lost worker).
   * Default: long enough for the client's own retries plus a full worker queue.
   */
  AI_JOB_TIMEOUT_SECONDS: z.coerce.number().int().positive().optional(),
  /** How long a business's buffering settings are cached by the inbound subscription. */
  AGENT_CONFIG_CACHE_SECONDS: z.coerce.number().min(0).max(3_600).default(5),
  /** Opens the businesses' HTTP tool header values (tenant-api's CREDENTIALS_KEY, same format). Kubernetes: unset → no HTTP tools. */
  CREDENTIALS_KEY: z.string().min(1).optional(),
  /** HTTP tools' SSRF guard when they are called directly: HTTP_TOOLS_ALLOW_HTTP, HTTP_TOOLS_ALLOW_LIST. */
  ...httpToolSettingsShape,
});

export type ConversationActorsConfig = z.infer<typeof conversationActorsConfigSchema>;

export function loadConversationActorsConfig(environment: Record<string, string | undefined> = process.env): ConversationActorsConfig {
  return loadConfig(conversationActorsConfigSchema, environment);
}

/** Kubernetes mode (src/main.ts): the shared sidecar/database settings (DATABASE_URL, DAPR_*, PORT…) plus the above. */
export function loadConversationActorsKubernetesConfig(
  environment: Record<string, string | undefined> = process.env,
): KubernetesConfig<ConversationActorsConfig> {
  return loadKubernetesConfig(conversationActorsConfigSchema, environment);
}

/** The defaults applied, for callers that build a config in code (tests, the standalone launcher). */
export function conversationActorsConfig(overrides: Partial<ConversationActorsConfig> = {}): ConversationActorsConfig {
  return { ...conversationActorsConfigSchema.parse({}), ...overrides };
}

export function aiJobTimeoutSeconds(config: ConversationActorsConfig): number {
  return config.AI_JOB_TIMEOUT_SECONDS ?? Math.ceil(config.AI_TIMEOUT_SECONDS * (config.AI_MAX_RETRIES + 1) + 120);
}
