import type { Router } from 'express';
import { AppError } from '@app/runtime/service';
import type { ApiServices } from '../api-services.ts';
import { tenantOf } from '../http/tenant-context.ts';
import { parseInput } from '../http/validate.ts';
import { createAgentRepository } from './agent.repository.ts';
import { updateAgentBodySchema } from './agent.schema.ts';

export function registerAgentRoutes(router: Router, services: ApiServices): void {
  const { authenticate } = services;
  const agent = createAgentRepository(services);

  router.get('/agent', authenticate, async (_request, response) => {
    response.json(await agent.read(tenantOf(response)));
  });

  router.put('/agent', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const input = parseInput(updateAgentBodySchema, request.body);
    const updated = await agent.update(tenant, input);
    services.logger.info({ event: 'agent.updated', businessId: tenant.businessId, fields: Object.keys(input) }, 'agent settings updated');
    response.json(updated);
  });

  router.get('/agent/queue-stats', authenticate, async (_request, response) => {
    if (!services.queueStats) throw new AppError('UNAVAILABLE', 'Queue statistics are not available in this deployment.');
    response.json(await services.queueStats(tenantOf(response).businessId));
  });
}
