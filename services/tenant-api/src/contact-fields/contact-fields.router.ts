import type { Router } from 'express';
import { AppError } from '@app/runtime/service';
import type { ApiServices } from '../api-services.ts';
import { tenantOf, type TenantContext } from '../http/tenant-context.ts';
import { parseInput, resourceId } from '../http/validate.ts';
import { createContactFieldsRepository } from './contact-fields.repository.ts';
import { createContactFieldBodySchema, updateContactFieldBodySchema } from './contact-fields.schema.ts';

/** Deleting a field deletes every contact's value of it: defining fields is the owner's call, filling them anyone's. */
function requireOwner(tenant: TenantContext): void {
  if (tenant.role === 'AGENT') throw new AppError('FORBIDDEN', 'Only the business owner can change the contact fields.');
}

export function registerContactFieldRoutes(router: Router, services: ApiServices): void {
  const { authenticate, logger } = services;
  const fields = createContactFieldsRepository(services.prisma);

  router.get('/contact-fields', authenticate, async (_request, response) => {
    response.json({ items: await fields.list(tenantOf(response)) });
  });

  router.post('/contact-fields', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    requireOwner(tenant);
    const field = await fields.create(tenant, parseInput(createContactFieldBodySchema, request.body));
    logger.info({ event: 'contact_field.created', businessId: tenant.businessId, fieldId: field.id, key: field.key }, 'contact field created');
    response.status(201).json(field);
  });

  router.patch('/contact-fields/:id', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const id = resourceId(request.params['id'], 'Contact field');
    requireOwner(tenant);
    const field = await fields.update(tenant, id, parseInput(updateContactFieldBodySchema, request.body));
    logger.info({ event: 'contact_field.updated', businessId: tenant.businessId, fieldId: id }, 'contact field updated');
    response.json(field);
  });

  router.delete('/contact-fields/:id', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const id = resourceId(request.params['id'], 'Contact field');
    requireOwner(tenant);
    await fields.remove(tenant, id);
    logger.info({ event: 'contact_field.deleted', businessId: tenant.businessId, fieldId: id }, 'contact field and its values deleted');
    response.status(204).end();
  });
}
