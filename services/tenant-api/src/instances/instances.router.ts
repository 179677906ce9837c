import type { Router } from 'express';
import { limitsOfPlan } from '@app/domain';
import { AppError } from '@app/runtime/service';
import type { ApiServices } from '../api-services.ts';
import { deploymentInstanceLimits } from '../config.ts';
import { tenantOf } from '../http/tenant-context.ts';
import { notFound, parseInput, resourceId } from '../http/validate.ts';
import { isUniqueViolation } from '../unique-violation.ts';
import { createInstancesRepository } from './instances.repository.ts';
import { createInstanceBodySchema, updateInstanceBodySchema } from './instances.schema.ts';

export function registerInstanceRoutes(router: Router, services: ApiServices): void {
  const { prisma, authenticate } = services;
  const instances = createInstancesRepository(prisma, services.credentials);
  const limits = {
    // Billing supplies the business's plan here once it exists; until then no business has one.
    plan: limitsOfPlan(null),
    deployment: deploymentInstanceLimits(services.config),
  };

  router.post('/instances', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const input = parseInput(createInstanceBodySchema, request.body);
    const verifiedOwner = await prisma.user.findFirst({
      where: { businessId: tenant.businessId, role: 'OWNER', emailVerifiedAt: { not: null } },
      select: { id: true },
    });
    if (!verifiedOwner) {
      throw new AppError(
        'EMAIL_NOT_VERIFIED',
        'Verify the owner’s e-mail address before connecting a WhatsApp number (see the link we sent, or POST /api/auth/resend-verification).',
      );
    }
    try {
      const instance = await instances.create(tenant, input, limits);
      services.logger.info(
        { event: 'instance.created', businessId: tenant.businessId, instanceId: instance.id, provider: instance.provider },
        'instance created',
      );
      // A new WhatsApp Web number starts its session at once, so GET …/session soon shows a QR code.
      if (instance.provider === 'BAILEYS' && services.sessions) {
        await services.sessions
          .restart(instance.id)
          .catch((sessionError: unknown) =>
            services.logger.warn({ event: 'instance.session_start_failed', instanceId: instance.id, err: sessionError }, 'session did not start'),
          );
      }
      response.status(201).json(instance);
    } catch (error) {
      // The id is fresh and BAILEYS slots are retried in the repository, so the only unique value that can clash is the phone number id.
      if (isUniqueViolation(error)) {
        throw new AppError('CONFLICT', 'This phone number id is already connected to an instance.', { field: 'phoneNumberId' });
      }
      throw error;
    }
  });

  router.get('/instances', authenticate, async (_request, response) => {
    response.json({ items: await instances.list(tenantOf(response)) });
  });

  router.get('/instances/:id', authenticate, async (request, response) => {
    const instance = await instances.find(tenantOf(response), resourceId(request.params['id'], 'Instance'));
    if (!instance) throw notFound('Instance');
    response.json(instance);
  });

  // Owner only, like restarting a session pod: the sending settings protect the number from a ban.
  router.patch('/instances/:id', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const id = resourceId(request.params['id'], 'Instance');
    const input = parseInput(updateInstanceBodySchema, request.body);
    if (tenant.role === 'AGENT') throw new AppError('FORBIDDEN', 'Only the business owner can change an instance.');
    const existing = await instances.find(tenant, id);
    if (!existing) throw notFound('Instance');
    if (input.baileys !== undefined && existing.provider !== 'BAILEYS') {
      throw new AppError('CONFLICT', 'Only BAILEYS instances have WhatsApp Web sending settings.', { provider: existing.provider });
    }
    const updated = await instances.update(tenant, id, input);
    if (!updated) throw notFound('Instance');
    services.logger.info(
      { event: 'instance.updated', businessId: tenant.businessId, instanceId: id, fields: Object.keys(input) },
      'instance updated',
    );
    response.json(updated);
  });

  router.delete('/instances/:id', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const id = resourceId(request.params['id'], 'Instance');
    const existing = await instances.find(tenant, id);
    // A WhatsApp Web number is unlinked first, so no session keeps running for a deleted instance.
    if (existing?.provider === 'BAILEYS' && services.sessions) {
      await services.sessions
        .logout(id)
        .catch((error: unknown) =>
          services.logger.warn({ event: 'instance.session_logout_failed', instanceId: id, err: error }, 'session logout failed'),
        );
    }
    if (!(await instances.delete(tenant, id))) throw notFound('Instance');
    services.logger.info({ event: 'instance.deleted', businessId: tenant.businessId, instanceId: id }, 'instance deleted');
    response.status(204).end();
  });
}
