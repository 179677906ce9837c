import { parseProductCsv } from '@app/domain';
import { AppError } from '@app/runtime/service';
import express, { type Router } from 'express';
import type { ApiServices } from '../api-services.ts';
import { tenantOf } from '../http/tenant-context.ts';
import { parseInput, resourceId } from '../http/validate.ts';
import { createProductRepository } from './products.repository.ts';
import { productBodySchema, productListQuerySchema, productPatchSchema } from './products.schema.ts';

/** A CSV upload is text, not JSON: its own parser and a larger limit than the API's JSON bodies. */
const csvBody = express.text({ type: ['text/csv', 'text/plain', 'application/csv'], limit: '2mb' });

export function registerProductRoutes(router: Router, services: ApiServices): void {
  const { authenticate } = services;
  const products = createProductRepository(services.prisma);

  router.get('/products', authenticate, async (request, response) => {
    response.json(await products.list(tenantOf(response), parseInput(productListQuerySchema, request.query, 'query')));
  });

  router.post('/products', authenticate, async (request, response) => {
    response.status(201).json(await products.create(tenantOf(response), parseInput(productBodySchema, request.body)));
  });

  // Before /products/:productId, which would take "export" for an id.
  router.get('/products/export', authenticate, async (_request, response) => {
    const csv = await products.exportCsv(tenantOf(response));
    response.set('content-type', 'text/csv; charset=utf-8').set('content-disposition', 'attachment; filename="products.csv"').send(csv);
  });

  router.post('/products/import', authenticate, csvBody, async (request, response) => {
    if (typeof request.body !== 'string') {
      throw new AppError('VALIDATION_FAILED', 'Send the CSV file as the request body with Content-Type: text/csv.', { reason: 'not_csv' });
    }
    const { rows, errors, columns } = parseProductCsv(request.body);
    if (errors.length > 0) {
      throw new AppError('VALIDATION_FAILED', `${errors.length} row(s) of the file cannot be imported; nothing was imported.`, errors);
    }
    const tenant = tenantOf(response);
    const result = await products.importRows(tenant, { rows, columns });
    services.logger.info({ event: 'products.imported', businessId: tenant.businessId, ...result }, 'product CSV imported');
    response.json(result);
  });

  router.get('/products/:productId', authenticate, async (request, response) => {
    response.json(await products.get(tenantOf(response), resourceId(request.params.productId, 'Product')));
  });

  router.patch('/products/:productId', authenticate, async (request, response) => {
    const id = resourceId(request.params.productId, 'Product');
    response.json(await products.update(tenantOf(response), id, parseInput(productPatchSchema, request.body)));
  });

  router.delete('/products/:productId', authenticate, async (request, response) => {
    await products.remove(tenantOf(response), resourceId(request.params.productId, 'Product'));
    response.status(204).end();
  });
}
