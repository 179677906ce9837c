import { SecretBox } from '@app/db';
import { startDaprService, type DaprService, type OutboxRelayOptions } from '@app/runtime/dapr';
import type { Clock, ObjectStore } from '@app/runtime/ports';
import { objectStoreFromSettings, type KubernetesConfig, type Logger } from '@app/runtime/service';
import type { MetaWebhooksKubernetesSettings } from '../config.ts';
import { createGraphApiClient } from '../egress/graph-api-client.ts';
import { accessTokenFromSecretBox, createMetaEgressHandler } from '../egress/meta-egress.subscription.ts';
import { createMetaWebhooksRouter } from '../ingest/meta-webhooks.router.ts';
import { createMetaMediaDownloads, type MetaMediaDownloads, type MetaMediaDownloadsDependencies } from '../media/meta-media-downloads.ts';

export interface MetaWebhooksServiceOptions {
  config: KubernetesConfig<MetaWebhooksKubernetesSettings & { CREDENTIALS_KEY: string }>;
  logger?: Logger;
  clock?: Clock;
  relay?: Pick<OutboxRelayOptions, 'pollIntervalMs' | 'retry' | 'leaseMs'>;
  /** Default: MinIO/S3 from the OBJECT_STORE_* settings (none when OBJECT_STORE_ENDPOINT is unset). */
  objectStore?: ObjectStore;
  /** Tests shorten the media download backoff. */
  mediaTuning?: MetaMediaDownloadsDependencies['tuning'];
}

/**
 * Kubernetes composition of the meta-webhooks deployable (Dapr app id `meta-webhooks`): the Cloud API webhook
 * (persist once, outbox, relay woken right after), inbound media downloaded into MinIO/S3 when OBJECT_STORE_* is
 * set, and the Cloud API egress on messages.outbound. It calls no actors and hosts none; it waits for tenant-api to
 * migrate the schema.
 */
export function startMetaWebhooksService(options: MetaWebhooksServiceOptions): Promise<DaprService> {
  const { kubernetes, service: config } = options.config;
  // CREDENTIALS_KEY has tenant-api's format: one base64 key (id "default") or a rotation list id:key,…
  const credentialsBox = SecretBox.fromCredentialsKey(config.CREDENTIALS_KEY);
  const objectStore = options.objectStore ?? objectStoreFromSettings(config);
  let media: MetaMediaDownloads | undefined;
  return startDaprService({
    service: 'meta-webhooks',
    settings: kubernetes,
    migrations: 'await',
    logger: options.logger,
    clock: options.clock,
    relay: options.relay,
    compose: ({ prisma, logger, pubsub, relay }) => {
      const graph = createGraphApiClient({ graphUrl: config.META_GRAPH_URL });
      pubsub.subscribe(
        createMetaEgressHandler({
          prisma,
          graph,
          readAccessToken: accessTokenFromSecretBox(credentialsBox),
          logger,
          ...(objectStore ? { objectStore } : {}),
          ...(options.clock ? { clock: options.clock } : {}),
        }),
      );
      if (objectStore) {
        media = createMetaMediaDownloads({
          prisma,
          objectStore,
          secretBox: credentialsBox,
          logger,
          config,
          ...(options.mediaTuning ? { tuning: options.mediaTuning } : {}),
        });
      } else {
        logger.info(
          { event: 'meta_media.disabled' },
          'inbound Cloud API media are kept as metadata only: set OBJECT_STORE_ENDPOINT to download them',
        );
      }
      return {
        // Mounted before any body parser: the signature is checked over the raw bytes.
        mount: (app) => app.use(createMetaWebhooksRouter({ prisma, logger, config, onIngested: () => relay.wake(), ...(media ? { media } : {}) })),
        start: async () => media?.start(),
        stop: async () => media?.stop(),
      };
    },
  });
}
