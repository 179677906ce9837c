import type { AgentTestRunResult } from '@app/domain';
import { AppError } from '@app/runtime/service';
import type { Router } from 'express';
import { assertModelAllowed } from '../agent/agent.repository.ts';
import type { ApiServices } from '../api-services.ts';
import { tenantOf } from '../http/tenant-context.ts';
import { parseInput, resourceId } from '../http/validate.ts';
import { createAgentTestRepository } from './agent-tests.repository.ts';
import { agentTestCaseBodySchema, runAgentTestsBodySchema } from './agent-tests.schema.ts';

export function registerAgentTestRoutes(router: Router, services: ApiServices): void {
  const { authenticate } = services;
  const cases = createAgentTestRepository(services.prisma);

  router.get('/agent/tests', authenticate, async (_request, response) => {
    response.json({ items: await cases.list(tenantOf(response)) });
  });

  router.post('/agent/tests', authenticate, async (request, response) => {
    response.status(201).json(await cases.create(tenantOf(response), parseInput(agentTestCaseBodySchema, request.body)));
  });

  router.put('/agent/tests/:testId', authenticate, async (request, response) => {
    const id = resourceId(request.params.testId, 'Test case');
    response.json(await cases.replace(tenantOf(response), id, parseInput(agentTestCaseBodySchema, request.body)));
  });

  router.delete('/agent/tests/:testId', authenticate, async (request, response) => {
    await cases.remove(tenantOf(response), resourceId(request.params.testId, 'Test case'));
    response.status(204).end();
  });

  router.post('/agent/tests/run', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const input = parseInput(runAgentTestsBodySchema, request.body);
    if (input.draft?.model !== undefined) assertModelAllowed(services.allowedModels, input.draft.model, 'body.draft.model');
    const status = services.aiStatus();
    if (!status.enabled) throw new AppError('UNAVAILABLE', `Agent tests need AI replies, which are off: ${status.reason}`);
    if (!services.runAgentTests) throw new AppError('UNAVAILABLE', 'Agent tests are not available in this deployment.');
    const selected = await cases.forRun(tenant, input.caseIds);
    if (selected.length === 0) throw new AppError('VALIDATION_FAILED', 'There is no test case to run: write one first.');
    const result: AgentTestRunResult = await services.runAgentTests({
      businessId: tenant.businessId,
      ...(input.draft ? { draft: input.draft } : {}),
      cases: selected.map(({ id, name, steps }) => ({ id, name, steps })),
    });
    services.logger.info(
      { event: 'agent_tests.ran', businessId: tenant.businessId, passed: result.passed, failed: result.failed, draft: Boolean(input.draft) },
      'agent test suite ran',
    );
    response.json(result);
  });
}
