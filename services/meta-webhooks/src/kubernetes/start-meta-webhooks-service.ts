import { SecretBox } from '@app/db';
import { startDaprService, type Clock, type DaprService, type KubernetesConfig, type Logger, type OutboxRelayOptions } from '@app/runtime';
import type { MetaWebhooksConfig } from '../config.ts';
import { createGraphApiClient } from '../egress/graph-api-client.ts';
import { accessTokenFromSecretBox, createMetaEgressHandler } from '../egress/meta-egress.subscription.ts';
import { createMetaWebhooksRouter } from '../ingest/meta-webhooks.router.ts';

export interface MetaWebhooksServiceOptions {
  config: KubernetesConfig<MetaWebhooksConfig & { CREDENTIALS_KEY: string }>;
  logger?: Logger;
  clock?: Clock;
  relay?: Pick<OutboxRelayOptions, 'pollIntervalMs' | 'retry' | 'leaseMs'>;
}

/**
 * Kubernetes composition of the meta-webhooks deployable (Dapr app id `meta-webhooks`): the Cloud API webhook
 * (persist once, outbox, relay woken right after) and the Cloud API egress on messages.outbound. It calls no
 * actors and hosts none; it waits for tenant-api to migrate the schema.
 */
export function startMetaWebhooksService(options: MetaWebhooksServiceOptions): Promise<DaprService> {
  const { kubernetes, service: config } = options.config;
  // CREDENTIALS_KEY has tenant-api's format: one base64 key (id "default") or a rotation list id:key,…
  const credentialsBox = SecretBox.fromCredentialsKey(config.CREDENTIALS_KEY);
  return startDaprService({
    service: 'meta-webhooks',
    settings: kubernetes,
    migrations: 'await',
    logger: options.logger,
    clock: options.clock,
    relay: options.relay,
    compose: ({ prisma, logger, pubsub, relay }) => {
      const graph = createGraphApiClient({ graphUrl: config.META_GRAPH_URL });
      pubsub.subscribe(createMetaEgressHandler({ prisma, graph, readAccessToken: accessTokenFromSecretBox(credentialsBox), logger }));
      return {
        // Mounted before any body parser: the signature is checked over the raw bytes.
        mount: (app) => app.use(createMetaWebhooksRouter({ prisma, logger, config, onIngested: () => relay.wake() })),
      };
    },
  });
}
