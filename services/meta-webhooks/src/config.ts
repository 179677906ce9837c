import {
  loadConfig,
  loadKubernetesConfig,
  objectStoreSettingsShape,
  requireObjectStoreCredentials,
  type KubernetesConfig,
} from '@app/runtime/service';
import { z } from 'zod';
import { defaultGraphUrl } from './egress/graph-api-client.ts';

/** The service's configuration; the only file that reads the environment. */
export const metaWebhooksConfigSchema = z.object({
  /** App Dashboard → Basic settings → App Secret: the key of `X-Hub-Signature-256`. */
  META_APP_SECRET: z.string().min(1),
  /** Any string, entered in the App Dashboard next to the callback URL; answers the GET handshake. */
  META_VERIFY_TOKEN: z.string().min(1),
  /** Versioned Graph API base URL; tests point it at the Graph API double. */
  META_GRAPH_URL: z.url().default(defaultGraphUrl),
  /** The key tenant-api encrypts Instance.encryptedCredentials with (same format); needed to send and to download media. */
  CREDENTIALS_KEY: z.string().min(1).optional(),
  /** Inbound media downloads: how often failed ones are retried (with exponential backoff per file) and when to give up. */
  META_MEDIA_RETRY_SECONDS: z.coerce.number().int().min(1).default(60),
  META_MEDIA_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(8),
});
export type MetaWebhooksConfig = z.infer<typeof metaWebhooksConfigSchema>;

/** Kubernetes-only settings: media go to MinIO/S3 (the standalone process keeps them under DATA_DIR instead). */
export const metaWebhooksKubernetesSchema = metaWebhooksConfigSchema
  .extend({
    /** Unset: inbound media are stored as metadata only (not downloaded). */
    ...objectStoreSettingsShape,
  })
  .superRefine(requireObjectStoreCredentials);
export type MetaWebhooksKubernetesSettings = z.infer<typeof metaWebhooksKubernetesSchema>;

export function loadMetaWebhooksConfig(environment: Record<string, string | undefined> = process.env): MetaWebhooksConfig {
  return loadConfig(metaWebhooksConfigSchema, environment);
}

/**
 * Kubernetes mode (src/main.ts): the shared sidecar/database settings (DATABASE_URL, DAPR_*, PORT…) plus the above,
 * with CREDENTIALS_KEY required: this deployable is the Cloud API egress and must read the access tokens.
 */
export function loadMetaWebhooksKubernetesConfig(
  environment: Record<string, string | undefined> = process.env,
): KubernetesConfig<MetaWebhooksKubernetesSettings & { CREDENTIALS_KEY: string }> {
  return loadKubernetesConfig(metaWebhooksKubernetesSchema, environment, { requiredKeys: ['CREDENTIALS_KEY'] });
}
