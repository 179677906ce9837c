import { httpToolSettingsShape } from '@app/runtime/providers';
import { defaultModelPrices, type ModelPrice } from '@app/domain';
import { loadConfig, loadKubernetesConfig, type KubernetesConfig } from '@app/runtime/service';
import { z } from 'zod';

const modelPricesSchema = z.record(
  z.string().min(1),
  z.object({ inputPerMillion: z.number().nonnegative(), outputPerMillion: z.number().nonnegative() }),
);

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
  /** Model calls of one reply that may ask for tools; one more call without tools follows when the last still asks. */
  AI_TOOL_ROUNDS: z.coerce.number().int().min(0).max(20).default(5),
  /** The most tokens one model answer may have (`max_completion_tokens`): a WhatsApp reply needs far fewer. */
  AI_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(16).max(32_768).default(1_024),
  /**
   * Per-model prices for the reply trace's cost estimate, JSON: `{"gpt-4o-mini":{"inputPerMillion":0.15,
   * "outputPerMillion":0.6}}` (US dollars per million tokens), merged over the built-in ones. A model without a
   * price gets no cost.
   */
  AI_MODEL_PRICES: z
    .string()
    .optional()
    .transform((text, context) => {
      if (text === undefined || text.trim() === '') return {};
      try {
        return modelPricesSchema.parse(JSON.parse(text));
      } catch {
        context.addIssue({ code: 'custom', message: 'AI_MODEL_PRICES must be JSON: {"<model>":{"inputPerMillion":n,"outputPerMillion":n}}' });
        return z.NEVER;
      }
    }),
  /** Days a reply's trace (and its recorded model and tool calls) is kept. */
  REPLY_TRACE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),
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

/** Tool time one round of the tool loop is given in the defaults below (an HTTP tool may take up to 30 s). */
const toolSecondsPerRound = 30;

export function aiJobTimeoutSeconds(config: ConversationActorsConfig): number {
  return (
    config.AI_JOB_TIMEOUT_SECONDS ??
    Math.ceil(config.AI_TIMEOUT_SECONDS * (config.AI_MAX_RETRIES + 1) + 120 + config.AI_TOOL_ROUNDS * toolSecondsPerRound)
  );
}

/**
 * How long a worker holds a buffer: its first model call with the client's retries, plus the tool rounds (tool time
 * and a model call each, usually seconds; the actor's ai-timeout, longer still, covers a worker that died).
 */
export function aiLeaseMs(config: ConversationActorsConfig): number {
  const modelCallMs = config.AI_TIMEOUT_SECONDS * 1000 * (config.AI_MAX_RETRIES + 1);
  return modelCallMs + config.AI_TOOL_ROUNDS * toolSecondsPerRound * 1000 + 30_000;
}

/** The built-in price table with the configured prices over it. */
export function modelPrices(config: ConversationActorsConfig): Record<string, ModelPrice> {
  return { ...defaultModelPrices, ...config.AI_MODEL_PRICES };
}
