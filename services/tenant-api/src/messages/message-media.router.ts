import type { Router } from 'express';
import { AppError } from '@app/runtime/service';
import type { ApiServices } from '../api-services.ts';
import { tenantOf } from '../http/tenant-context.ts';
import { resourceId } from '../http/validate.ts';
import { mediaResponseHeaders } from './media-response-headers.ts';
import { loadMessageMedia } from './message-media.ts';
import { mediaCacheSeconds } from './message-media.schema.ts';

export function registerMessageMediaRoutes(router: Router, services: ApiServices): void {
  router.get('/messages/:id/media', services.authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const messageId = resourceId(request.params['id'], 'Message');
    if (!services.objectStore) throw new AppError('UNAVAILABLE', 'Media storage is not configured in this deployment.');
    const media = await loadMessageMedia({ prisma: services.prisma, objectStore: services.objectStore }, tenant, messageId);
    response.set({
      ...mediaResponseHeaders({ contentType: media.contentType, filename: media.filename, messageId }),
      'Content-Length': String(media.body.length),
      'Cache-Control': `private, max-age=${mediaCacheSeconds}`,
    });
    response.end(media.body);
  });
}
