import type { PrismaClient } from '@app/db';
import { baseMediaType } from '@app/domain';
import type { Clock, ObjectStore } from '@app/runtime/ports';
import type { GraphApiClient } from './graph-api-client.ts';

/** Meta keeps an uploaded file 30 days; a day less leaves room for a send that starts just before it expires. */
export const metaMediaReuseMs = 29 * 24 * 60 * 60 * 1000;

/** The stored file is gone from the object store: nothing to upload, the message cannot be sent. */
export class StoredMediaMissingError extends Error {
  override readonly name = 'StoredMediaMissingError';
}

/**
 * Object-store files (library files, stored downloads) as Cloud API media ids: uploaded to the phone number once,
 * then reused from `meta_media_upload` while Meta still has them. Two concurrent first sends may both upload: each
 * gets a valid id and the later row wins, which costs an upload and never a wrong send.
 */
export function createStoredMediaUploads(dependencies: { prisma: PrismaClient; objectStore: ObjectStore; graph: GraphApiClient; clock: Clock }) {
  const { prisma, objectStore, graph, clock } = dependencies;
  return {
    async mediaIdFor(input: {
      instanceId: string;
      phoneNumberId: string;
      accessToken: string;
      objectKey: string;
      mimeType: string | null;
      filename: string | null;
    }): Promise<string> {
      const now = clock.now();
      const known = await prisma.metaMediaUpload.findUnique({
        where: { instanceId_objectKey: { instanceId: input.instanceId, objectKey: input.objectKey } },
      });
      if (known && now.getTime() - known.uploadedAt.getTime() < metaMediaReuseMs) return known.mediaId;

      const stored = await objectStore.get(input.objectKey);
      if (!stored) throw new StoredMediaMissingError(`The file ${input.objectKey} is not in the object store.`);
      const { mediaId } = await graph.uploadMedia({
        phoneNumberId: input.phoneNumberId,
        accessToken: input.accessToken,
        body: stored.body,
        mimeType: graphUploadType(input.mimeType ?? stored.contentType),
        filename: input.filename ?? input.objectKey.split('/').pop() ?? 'file',
      });
      await prisma.metaMediaUpload.upsert({
        where: { instanceId_objectKey: { instanceId: input.instanceId, objectKey: input.objectKey } },
        create: { instanceId: input.instanceId, objectKey: input.objectKey, mediaId, uploadedAt: now },
        update: { mediaId, uploadedAt: now },
      });
      return mediaId;
    },
  };
}

export type StoredMediaUploads = ReturnType<typeof createStoredMediaUploads>;

/** The type to declare on upload: the stored type without parameters; CSV as plain text (Meta's list has no CSV). Pure. */
export function graphUploadType(mimeType: string): string {
  const base = baseMediaType(mimeType);
  return base === 'text/csv' ? 'text/plain' : base;
}
