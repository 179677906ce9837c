import type { RouteDoc } from '../openapi/route-doc.ts';
import { messageParamsSchema } from './message-media.schema.ts';

export const messageRouteDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/messages/:id/media',
    tag: 'messages',
    authenticated: true,
    summary: 'The stored media file of a message (image, audio, video, document, sticker)',
    description:
      "Streams the bytes from the object store with Content-Length and Cache-Control: private. The content type is the one sniffed from the bytes at download time, and only allow-listed types (images, audio and video WhatsApp carries, PDF, Office, plain text, ZIP) are served as themselves; anything else is application/octet-stream. Always X-Content-Type-Options: nosniff and Content-Security-Policy: default-src 'none'; sandbox; Content-Disposition is inline for images, audio and video, attachment (with the sanitized file name) for everything else. 404 when the message belongs to another business, has no media, or its media is not stored (details.reason: no_media, media_not_stored with details.download = pending | failed | null — null when it arrived while no object store was configured, media_missing).",
    params: messageParamsSchema,
    success: { status: 200, description: 'The media bytes.', binary: true },
    errors: [401, 404, 503],
  },
];
