import type { Response, Router } from 'express';
import type { ApiServices } from '../api-services.ts';
import { tenantOf } from '../http/tenant-context.ts';
import { parseInput, resourceId } from '../http/validate.ts';
import { createContactsRepository } from './contacts.repository.ts';
import {
  exportContactsQuerySchema,
  listContactsQuerySchema,
  updateContactBodySchema,
  updateContactFieldValuesBodySchema,
} from './contacts.schema.ts';
import { csvByteOrderMark, csvRow } from './csv.ts';
import { toggleContactBot } from './toggle-contact-bot.ts';

export function registerContactRoutes(router: Router, services: ApiServices): void {
  const { authenticate, logger } = services;
  const contacts = createContactsRepository(services);

  router.get('/contacts', authenticate, async (request, response) => {
    const query = parseInput(listContactsQuerySchema, request.query, 'query');
    response.json(await contacts.list(tenantOf(response), { ...query, query: request.query }));
  });

  router.get('/contacts/export.csv', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const query = parseInput(exportContactsQuerySchema, request.query, 'query');
    const { fields, batches } = await contacts.exportContacts(tenant, { ...query, query: request.query });
    const day = services.clock.now().toISOString().slice(0, 10);
    response.status(200);
    response.set({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="contacts-${day}.csv"`,
      'cache-control': 'no-store',
    });
    // The byte order mark makes Excel read the file as UTF-8 (accents, ñ); other tools ignore it.
    response.write(csvByteOrderMark + csvRow(['id', 'name', 'phone', 'whatsapp_id', 'created_at', ...fields.map((field) => field.key)]));
    let rows = 0;
    try {
      for await (const batch of batches()) {
        const chunk = batch
          .map((contact) =>
            csvRow([
              contact.id,
              contact.name,
              contact.phone,
              contact.waUserId,
              contact.createdAt,
              ...fields.map((field) => contact.fields[field.key]),
            ]),
          )
          .join('');
        rows += batch.length;
        // Respect backpressure: a slow client holds the next page back instead of filling memory.
        if (!response.write(chunk)) await drainedOrClosed(response);
        if (response.destroyed) return; // the client went away: stop reading pages nobody will receive
      }
    } catch (error) {
      // Headers are gone: the only honest signal left is a cut connection (no half file that looks complete).
      logger.error({ event: 'contacts.export_failed', businessId: tenant.businessId, err: error }, 'contacts export failed mid-stream');
      response.destroy(error as Error);
      return;
    }
    response.end();
    logger.info({ event: 'contacts.exported', businessId: tenant.businessId, rows }, 'contacts exported as CSV');
  });

  router.patch('/contacts/:id', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const contactId = resourceId(request.params['id'], 'Contact');
    const input = parseInput(updateContactBodySchema, request.body);
    const contact = await toggleContactBot(services, tenant, contactId, input);
    logger.info(
      { event: 'contact.bot_toggled', businessId: tenant.businessId, contactId, botDisabled: contact.botDisabled },
      'contact bot switch changed',
    );
    response.json(contact);
  });

  router.get('/contacts/:id/fields', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    response.json({ items: await contacts.fieldValues(tenant, resourceId(request.params['id'], 'Contact')) });
  });

  router.put('/contacts/:id/fields', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const contactId = resourceId(request.params['id'], 'Contact');
    const input = parseInput(updateContactFieldValuesBodySchema, request.body);
    const items = await contacts.updateFieldValues(tenant, contactId, input);
    logger.info(
      { event: 'contact.fields_updated', businessId: tenant.businessId, contactId, keys: Object.keys(input.values) },
      'contact fields updated',
    );
    response.json({ items });
  });
}

/** Resolves when the response can take more, or when the connection is gone (then `drain` never comes). */
function drainedOrClosed(response: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
