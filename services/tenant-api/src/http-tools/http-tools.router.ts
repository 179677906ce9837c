import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { runHttpTool } from '@app/runtime/providers';
import { AppError } from '@app/runtime/service';
import type { ApiServices } from '../api-services.ts';
import { createFixedWindowRateLimiter } from '../http/rate-limiter.ts';
import { tenantOf, type TenantContext } from '../http/tenant-context.ts';
import { notFound, parseInput, resourceId } from '../http/validate.ts';
import { isUniqueViolation } from '../unique-violation.ts';
import { createHttpToolsRepository } from './http-tools.repository.ts';
import { createHttpToolBodySchema, testHttpToolBodySchema, updateHttpToolBodySchema, type HttpToolTestResult } from './http-tools.schema.ts';

/** Test calls one business may make per minute: each is a request to someone else's server. */
const testCallsPerMinute = 30;

export function registerHttpToolRoutes(router: Router, services: ApiServices): void {
  const { authenticate, prisma } = services;
  const tools = createHttpToolsRepository(prisma, services.credentials);
  const testCalls = createFixedWindowRateLimiter({ limit: testCallsPerMinute, windowMs: 60_000, clock: services.clock });

  // Tools hold secrets and call out of the platform: only the owner changes or runs them; agents may read them.
  const requireOwner = (tenant: TenantContext) => {
    if (tenant.role === 'AGENT') throw new AppError('FORBIDDEN', 'Only the business owner can change or test HTTP tools.');
  };
  const nameTaken = (error: unknown) =>
    isUniqueViolation(error) ? new AppError('CONFLICT', 'This business already has a tool with this name.', { field: 'name' }) : error;

  router.get('/agent/http-tools', authenticate, async (_request, response) => {
    response.json({ items: await tools.list(tenantOf(response)) });
  });

  router.post('/agent/http-tools', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const input = parseInput(createHttpToolBodySchema, request.body);
    requireOwner(tenant);
    const tool = await tools.create(tenant, input).catch((error: unknown) => {
      throw nameTaken(error);
    });
    services.logger.info({ event: 'http_tool.created', businessId: tenant.businessId, toolId: tool.id, name: tool.name }, 'HTTP tool created');
    response.status(201).json(tool);
  });

  router.get('/agent/http-tools/:id', authenticate, async (request, response) => {
    const tool = await tools.find(tenantOf(response), resourceId(request.params['id'], 'HTTP tool'));
    if (!tool) throw notFound('HTTP tool');
    response.json(tool);
  });

  router.patch('/agent/http-tools/:id', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const id = resourceId(request.params['id'], 'HTTP tool');
    const input = parseInput(updateHttpToolBodySchema, request.body);
    requireOwner(tenant);
    const tool = await tools.update(tenant, id, input).catch((error: unknown) => {
      throw nameTaken(error);
    });
    if (!tool) throw notFound('HTTP tool');
    services.logger.info({ event: 'http_tool.updated', businessId: tenant.businessId, toolId: id, fields: Object.keys(input) }, 'HTTP tool updated');
    response.json(tool);
  });

  router.delete('/agent/http-tools/:id', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const id = resourceId(request.params['id'], 'HTTP tool');
    requireOwner(tenant);
    if (!(await tools.delete(tenant, id))) throw notFound('HTTP tool');
    services.logger.info({ event: 'http_tool.deleted', businessId: tenant.businessId, toolId: id }, 'HTTP tool deleted');
    response.status(204).end();
  });

  router.post('/agent/http-tools/:id/test', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const id = resourceId(request.params['id'], 'HTTP tool');
    const input = parseInput(testHttpToolBodySchema, request.body);
    requireOwner(tenant);
    const [tool, business] = await Promise.all([
      tools.definition(tenant, id),
      prisma.business.findUnique({ where: { id: tenant.businessId }, select: { name: true } }),
    ]);
    if (!tool || !business) throw notFound('HTTP tool');
    const decision = testCalls.check(tenant.businessId);
    if (!decision.allowed) {
      throw new AppError('RATE_LIMITED', 'Too many test calls; try again shortly.', { retryAfterSeconds: decision.retryAfterSeconds });
    }
    testCalls.hit(tenant.businessId);

    const run = await runHttpTool(services.httpToolCaller, tool, {
      args: input.arguments,
      context: {
        'contact.phone': input.contact.phone ?? null,
        'contact.name': input.contact.name ?? null,
        'conversation.id': input.conversationId ?? null,
        'business.name': business.name,
      },
      idempotencyKey: `test:${randomUUID()}`,
    });
    if (!run.sent) {
      throw new AppError(
        'VALIDATION_FAILED',
        run.missing ? 'The body template has variables without a value: give them in the test.' : 'The body template does not give JSON.',
        run.missing
          ? run.missing.map((name) => ({ path: missingVariablePath(name), message: `{{${name}}} has no value` }))
          : [{ path: 'bodyTemplate', message: run.invalidJson }],
      );
    }
    const answer = run.response;
    const result: HttpToolTestResult = {
      request: run.request,
      response: answer.ok
        ? { ok: true, status: answer.status, body: answer.body, error: null, snippet: null, durationMs: answer.durationMs }
        : {
            ok: false,
            status: answer.status ?? null,
            body: null,
            error: answer.error,
            snippet: answer.snippet ?? null,
            durationMs: answer.durationMs,
          },
    };
    services.logger.info(
      {
        event: 'http_tool.tested',
        businessId: tenant.businessId,
        toolId: id,
        ok: answer.ok,
        status: result.response.status,
        durationMs: answer.durationMs,
      },
      'HTTP tool tested',
    );
    response.json(result);
  });
}

/** Where in the test request a missing variable is given. */
function missingVariablePath(name: string): string {
  if (name === 'contact.phone' || name === 'contact.name') return `body.${name}`;
  if (name === 'conversation.id') return 'body.conversationId';
  return `body.arguments.${name}`;
}
