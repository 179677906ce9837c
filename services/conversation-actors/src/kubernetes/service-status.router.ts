import { serviceStatusPaths } from '@app/domain';
import { requireAppToken } from '@app/runtime/dapr';
import { Router } from 'express';
import type { ConversationActorsService } from '../register-conversation-actors.ts';

/**
 * What tenant-api shows about the AI side in Kubernetes, where it runs in another pod: whether AI replies are on,
 * and a business's queue. Only the sidecar may call it (it sends APP_API_TOKEN as `dapr-api-token`).
 */
export function createServiceStatusRouter(service: ConversationActorsService, appApiToken: string | undefined): Router {
  const router = Router();
  const token = requireAppToken(appApiToken);
  router.get(`/${serviceStatusPaths.aiStatus}`, token, (_request, response) => {
    response.json(service.aiStatus());
  });
  router.get('/internal/queue-stats/:businessId', token, async (request, response) => {
    response.json(await service.queueStats(String(request.params.businessId)));
  });
  return router;
}
