import { mediaSchema, type Media } from '@app/domain';
import type { PrismaClient } from '@app/db';
import type { ObjectStore, StoredObject } from '@app/runtime/ports';
import { AppError } from '@app/runtime/service';
import type { TenantContext } from '../http/tenant-context.ts';
import { notFound } from '../http/validate.ts';

/**
 * The stored bytes of one message's media, for the tenant that owns the message. Another business's message is a
 * plain 404; a message whose media is not in the object store is a 404 that says why.
 */
export async function loadMessageMedia(
  dependencies: { prisma: PrismaClient; objectStore: ObjectStore },
  tenant: TenantContext,
  messageId: string,
): Promise<StoredObject & { filename: string | null }> {
  const message = await dependencies.prisma.message.findFirst({
    where: { id: messageId, businessId: tenant.businessId },
    select: { content: true },
  });
  if (!message) throw notFound('Message');
  const media = mediaOf(message.content);
  if (!media) throw new AppError('NOT_FOUND', 'This message has no media.', { reason: 'no_media' });
  if (media.download?.state !== 'stored' || !media.mediaId) {
    throw new AppError(
      'NOT_FOUND',
      media.download
        ? `The media of this message is not stored (download ${media.download.state}).`
        : 'The media of this message is not stored: it arrived while no object store was configured for media downloads, so only its metadata was kept.',
      { reason: 'media_not_stored', download: media.download?.state ?? null },
    );
  }
  const stored = await dependencies.objectStore.get(media.mediaId);
  if (!stored) throw new AppError('NOT_FOUND', 'The media of this message is missing from the object store.', { reason: 'media_missing' });
  return { ...stored, contentType: stored.contentType || media.mimeType || 'application/octet-stream', filename: media.filename ?? null };
}

function mediaOf(content: unknown): Media | null {
  const parsed = mediaSchema.safeParse((content as { media?: unknown } | null)?.media);
  return parsed.success ? parsed.data : null;
}
