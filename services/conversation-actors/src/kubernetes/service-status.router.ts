import { agentTestRunPath, serviceStatusPaths, type AgentTestRunRequest } from '@app/domain';
import { requireAppToken } from '@app/runtime/dapr';
import express, { Router } from 'express';
import type { ConversationActorsService } from '../register-conversation-actors.ts';

/**
 * What tenant-api shows about the AI side in Kubernetes, where it runs in another pod: whether AI replies are on,
 * a business's queue, and its agent test runs. Only the sidecar may call it (it sends APP_API_TOKEN as `dapr-api-token`).
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
  // tenant-api validated and scoped the request (its cases are the business's own); only the sidecar reaches this.
  router.post(`/${agentTestRunPath}`, token, express.json({ limit: '1mb' }), async (request, response) => {
    response.json(await service.runAgentTests(request.body as AgentTestRunRequest));
  });
  return router;
}
