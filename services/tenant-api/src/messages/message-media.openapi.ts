import type { RouteDoc } from '../openapi/route-doc.ts';
import { messageParamsSchema } from './message-media.schema.ts';

export const messageRouteDocs: RouteDoc[] = [
  {
    method: 'get', path: '/messages/:id/media', tag: 'messages', authenticated: true,
    summary: 'The stored media file of a message (image, audio, video, document, sticker)',
    description:
      'Streams the bytes from the object store with their content type, Content-Length and Cache-Control: private. 404 when the message belongs to another business, has no media, or its media is not stored (details.reason: no_media, media_not_stored with details.download = pending | failed | null — null when it arrived while no object store was configured, media_missing).',
    params: messageParamsSchema,
    success: { status: 200, description: 'The media bytes.', binary: true },
    errors: [401, 404, 503],
  },
];
