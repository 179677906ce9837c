import { randomUUID } from 'node:crypto';
import { baseMediaType, parseProductCsv } from '@app/domain';
import { sniffMediaType } from '@app/runtime/providers';
import { AppError } from '@app/runtime/service';
import express, { type Router } from 'express';
import type { ApiServices } from '../api-services.ts';
import { tenantOf } from '../http/tenant-context.ts';
import { notFound, parseInput, resourceId } from '../http/validate.ts';
import { mediaResponseHeaders } from '../messages/media-response-headers.ts';
import { createProductRepository } from './products.repository.ts';
import { maxProductImages, productBodySchema, productListQuerySchema, productPatchSchema } from './products.schema.ts';

/** A CSV upload is text, not JSON: its own parser and a larger limit than the API's JSON bodies. */
const csvBody = express.text({ type: ['text/csv', 'text/plain', 'application/csv'], limit: '2mb' });
/** A picture upload is the image's bytes; its type is decided by the bytes, not by the header. */
const imageBody = express.raw({ type: () => true, limit: '5mb' });
const pictureExtensions: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

function imageIndex(value: string | string[] | undefined): number {
  const index = typeof value === 'string' && /^\d{1,2}$/.test(value) ? Number(value) : -1;
  if (index < 0) throw notFound('Image');
  return index;
}

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

  router.post('/products/:productId/images', authenticate, imageBody, async (request, response) => {
    const tenant = tenantOf(response);
    const id = resourceId(request.params.productId, 'Product');
    const objectStore = services.objectStore;
    if (!objectStore) throw new AppError('UNAVAILABLE', 'Media storage is not configured in this deployment.');
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const { mimeType } = await sniffMediaType(body, request.get('content-type') ?? null);
    const extension = pictureExtensions[baseMediaType(mimeType)];
    if (body.length === 0 || !extension) {
      throw new AppError('VALIDATION_FAILED', 'Send a JPEG, PNG or WebP picture as the request body.', {
        reason: 'not_a_picture',
        detected: mimeType,
      });
    }
    const product = await products.get(tenant, id);
    if (product.images.length >= maxProductImages)
      throw new AppError('CONFLICT', `A product has at most ${maxProductImages} pictures.`, { reason: 'too_many_images' });
    const key = `products/${tenant.businessId}/${id}/${randomUUID()}.${extension}`;
    await objectStore.put(key, body, baseMediaType(mimeType));
    response.status(201).json(await products.addImage(tenant, id, key));
  });

  router.get('/products/:productId/images/:index', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const product = await products.get(tenant, resourceId(request.params.productId, 'Product'));
    const key = product.images[imageIndex(request.params.index)];
    if (!key || !services.objectStore) throw notFound('Image');
    const stored = await services.objectStore.get(key);
    if (!stored) throw notFound('Image');
    response.set({
      ...mediaResponseHeaders({ contentType: stored.contentType, filename: key.split('/').at(-1) ?? null, messageId: product.id }),
      'Content-Length': String(stored.body.length),
      'Cache-Control': 'private, max-age=300',
    });
    response.end(stored.body);
  });

  router.delete('/products/:productId/images/:index', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const id = resourceId(request.params.productId, 'Product');
    const { product, removed } = await products.removeImage(tenant, id, imageIndex(request.params.index));
    await services.objectStore?.delete(removed);
    response.json(product);
  });

  router.delete('/products/:productId', authenticate, async (request, response) => {
    const { images } = await products.remove(tenantOf(response), resourceId(request.params.productId, 'Product'));
    // The row is gone; its pictures follow (a failure only leaves an unreferenced object behind).
    for (const key of images) await services.objectStore?.delete(key).catch(() => undefined);
    response.status(204).end();
  });
}
