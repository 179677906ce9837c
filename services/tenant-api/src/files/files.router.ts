import type { Router } from 'express';
import { AppError } from '@app/runtime/service';
import type { ApiServices } from '../api-services.ts';
import { tenantOf } from '../http/tenant-context.ts';
import { parseInput, resourceId } from '../http/validate.ts';
import { mediaResponseHeaders } from '../messages/media-response-headers.ts';
import { createAgentFiles, type AgentFiles } from './agent-files.ts';
import { fileCacheSeconds, updateFileBodySchema, uploadFieldsSchema } from './files.schema.ts';
import { readMultipartUpload } from './multipart-upload.ts';

/** The files library: documents and images the agent can send (`send_file`, `[[file:<title>]]`). */
export function registerFileRoutes(router: Router, services: ApiServices): void {
  const { authenticate } = services;
  const library = (): AgentFiles => {
    if (!services.objectStore) throw new AppError('UNAVAILABLE', 'File storage is not configured in this deployment.');
    return createAgentFiles({ prisma: services.prisma, objectStore: services.objectStore });
  };

  router.get('/files', authenticate, async (_request, response) => {
    response.json({ files: await library().list(tenantOf(response)) });
  });

  router.post('/files', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const files = library();
    const upload = await readMultipartUpload(request, { fileField: 'file', maxFileBytes: services.config.FILES_MAX_BYTES });
    const fields = parseInput(uploadFieldsSchema, singleValues(upload.fields));
    const file = await files.upload(tenant, {
      body: upload.file.body,
      filename: upload.file.filename,
      claimedType: upload.file.claimedType,
      title: fields.title,
      triggerKeywords: fields.triggerKeywords,
      triggerContext: fields.triggerContext,
      order: fields.order,
      active: fields.active,
    });
    services.logger.info(
      { event: 'file.uploaded', businessId: tenant.businessId, fileId: file.id, mimeType: file.mimeType, sizeBytes: file.sizeBytes },
      'library file uploaded',
    );
    response.status(201).json(file);
  });

  router.get('/files/:id', authenticate, async (request, response) => {
    response.json(await library().get(tenantOf(response), resourceId(request.params['id'], 'File')));
  });

  router.patch('/files/:id', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const id = resourceId(request.params['id'], 'File');
    const input = parseInput(updateFileBodySchema, request.body);
    response.json(await library().update(tenant, id, input));
  });

  router.delete('/files/:id', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const id = resourceId(request.params['id'], 'File');
    await library().remove(tenant, id);
    services.logger.info({ event: 'file.deleted', businessId: tenant.businessId, fileId: id }, 'library file deleted');
    response.status(204).end();
  });

  router.get('/files/:id/content', authenticate, async (request, response) => {
    const id = resourceId(request.params['id'], 'File');
    const file = await library().content(tenantOf(response), id);
    response.set({
      ...mediaResponseHeaders({ contentType: file.contentType, filename: file.filename, messageId: id }),
      'Content-Length': String(file.body.length),
      'Cache-Control': `private, max-age=${fileCacheSeconds}`,
    });
    response.end(file.body);
  });
}

/** A form field sent twice is a mistake, not a list: it is reported instead of one value silently winning. */
function singleValues(fields: Record<string, string[]>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, list] of Object.entries(fields)) {
    if (list.length > 1)
      throw new AppError('VALIDATION_FAILED', `The field "${name}" is sent more than once.`, { reason: 'repeated_field', field: name });
    values[name] = list[0]!;
  }
  return values;
}
