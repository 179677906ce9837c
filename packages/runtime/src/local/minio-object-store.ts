import { Client } from 'minio';
import type { ObjectStore } from '../ports/object-store.ts';
import { AppError } from '../service/app-error.ts';

export interface MinioObjectStoreOptions {
  /** e.g. `http://minio.storage:9000` (https → TLS). */
  endpoint: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
  /** Default `us-east-1` (MinIO ignores it). */
  region?: string;
}

const missingCodes = new Set(['NoSuchKey', 'NotFound', 'NoSuchBucket']);

/**
 * ObjectStore on MinIO or any S3-compatible server (Kubernetes mode), with the official `minio` client.
 * The bucket is created on first use when absent; a missing key reads as null, like the file store.
 */
export function createMinioObjectStore(options: MinioObjectStoreOptions): ObjectStore {
  const url = new URL(options.endpoint);
  const useSSL = url.protocol === 'https:';
  const region = options.region ?? 'us-east-1';
  const client = new Client({
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : useSSL ? 443 : 80,
    useSSL,
    accessKey: options.accessKey,
    secretKey: options.secretKey,
    region,
    pathStyle: true,
  });
  let bucketReady: Promise<void> | null = null;

  function ensureBucket(): Promise<void> {
    bucketReady ??= (async () => {
      if (await client.bucketExists(options.bucket)) return;
      try {
        await client.makeBucket(options.bucket, region);
      } catch (error) {
        // Another pod made it first.
        const code = (error as { code?: unknown }).code;
        if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw error;
      }
    })().catch((error: unknown) => {
      bucketReady = null;
      throw error;
    });
    return bucketReady;
  }

  function checked(key: string): string {
    if (key === '' || key.startsWith('/') || key.split('/').includes('..')) throw new AppError('VALIDATION_FAILED', 'Invalid object key.', { key });
    return key;
  }

  return {
    async put(key, body, contentType) {
      await ensureBucket();
      await client.putObject(options.bucket, checked(key), body, body.length, { 'Content-Type': contentType });
    },
    async get(key) {
      await ensureBucket();
      const name = checked(key);
      try {
        const stat = await client.statObject(options.bucket, name);
        const stream = await client.getObject(options.bucket, name);
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        const contentType = (stat.metaData['content-type'] as string | undefined) ?? 'application/octet-stream';
        return { body: Buffer.concat(chunks), contentType };
      } catch (error) {
        if (missingCodes.has(String((error as { code?: unknown }).code))) return null;
        throw error;
      }
    },
    async delete(key) {
      await ensureBucket();
      await client.removeObject(options.bucket, checked(key));
    },
  };
}
