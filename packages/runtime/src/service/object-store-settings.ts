import { z } from 'zod';
import { createMinioObjectStore } from '../local/minio-object-store.ts';
import type { ObjectStore } from '../ports/object-store.ts';

/** The settings of media storage in a cluster, shared by every deployable that reads or writes media. */
export const objectStoreSettingsShape = {
  /** MinIO/S3, e.g. `http://minio.storage:9000`. Unset: no object store (media stays undownloaded and unserved). */
  OBJECT_STORE_ENDPOINT: z.url().optional(),
  OBJECT_STORE_BUCKET: z.string().min(3).default('whatsapp-media'),
  OBJECT_STORE_ACCESS_KEY: z.string().min(1).optional(),
  OBJECT_STORE_SECRET_KEY: z.string().min(1).optional(),
  OBJECT_STORE_REGION: z.string().min(1).default('us-east-1'),
};

export type ObjectStoreSettings = z.infer<z.ZodObject<typeof objectStoreSettingsShape>>;

/** For a schema's superRefine: an endpoint without its credentials is a configuration error naming both keys. */
export function requireObjectStoreCredentials(settings: ObjectStoreSettings, context: z.RefinementCtx): void {
  if (!settings.OBJECT_STORE_ENDPOINT) return;
  for (const key of ['OBJECT_STORE_ACCESS_KEY', 'OBJECT_STORE_SECRET_KEY'] as const) {
    if (!settings[key]) context.addIssue({ code: 'custom', path: [key], message: 'required when OBJECT_STORE_ENDPOINT is set' });
  }
}

/** MinIO/S3 from the OBJECT_STORE_* settings; none when OBJECT_STORE_ENDPOINT is unset. */
export function objectStoreFromSettings(settings: ObjectStoreSettings): ObjectStore | undefined {
  if (!settings.OBJECT_STORE_ENDPOINT || !settings.OBJECT_STORE_ACCESS_KEY || !settings.OBJECT_STORE_SECRET_KEY) return undefined;
  return createMinioObjectStore({
    endpoint: settings.OBJECT_STORE_ENDPOINT,
    bucket: settings.OBJECT_STORE_BUCKET,
    accessKey: settings.OBJECT_STORE_ACCESS_KEY,
    secretKey: settings.OBJECT_STORE_SECRET_KEY,
    region: settings.OBJECT_STORE_REGION,
  });
}
