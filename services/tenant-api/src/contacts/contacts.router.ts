import type { Router } from 'express';
import type { ApiServices } from '../api-services.ts';
import { tenantOf } from '../http/tenant-context.ts';
import { parseInput, resourceId } from '../http/validate.ts';
import { updateContactBodySchema } from './contacts.schema.ts';
import { toggleContactBot } from './toggle-contact-bot.ts';

export function registerContactRoutes(router: Router, services: ApiServices): void {
  router.patch('/contacts/:id', services.authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const contactId = resourceId(request.params['id'], 'Contact');
    const input = parseInput(updateContactBodySchema, request.body);
    const contact = await toggleContactBot(services, tenant, contactId, input);
    services.logger.info(
      { event: 'contact.bot_toggled', businessId: tenant.businessId, contactId, botDisabled: contact.botDisabled },
      'contact bot switch changed',
    );
    response.json(contact);
  });
}
