// Kubernetes entry (Dapr app id `meta-webhooks`); the standalone launcher mounts the same router in one process.
import { runService } from '@app/runtime/service';
import { loadMetaWebhooksKubernetesConfig } from './config.ts';
import { startMetaWebhooksService } from './kubernetes/start-meta-webhooks-service.ts';

await runService('meta-webhooks', () => startMetaWebhooksService({ config: loadMetaWebhooksKubernetesConfig() }));
