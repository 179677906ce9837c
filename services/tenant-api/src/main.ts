// Kubernetes entry (Dapr app id `tenant-api`); the standalone launcher mounts createTenantApi in one process.
import { runService } from '@app/runtime/service';
import { loadTenantApiKubernetesConfig } from './config.ts';
import { startTenantApiService } from './start-tenant-api-service.ts';

await runService('tenant-api', () => startTenantApiService({ config: loadTenantApiKubernetesConfig() }));
