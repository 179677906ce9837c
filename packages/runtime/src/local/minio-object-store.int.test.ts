import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMinioObjectStore } from './minio-object-store.ts';

// s3rver: a real S3-compatible server (HTTP + SigV4), in-process on 127.0.0.1. It ships no types.
interface S3rverServer {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: Record<string, unknown>) => S3rverServer;

// s3rver accepts exactly these credentials for signed requests.
const credentials = { accessKey: 'S3RVER', secretKey: 'S3RVER' };
let server: S3rverServer;
let directory: string;
let endpoint: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

describe('MinIO object store (s3rver, the official minio client)', () => {
  it('creates the bucket when absent, puts, gets (content type kept), overwrites and deletes', async () => {
    const bucket = `media-${randomUUID().slice(0, 8)}`;
    const admin = new Client({ endPoint: '127.0.0.1', port: Number(new URL(endpoint).port), useSSL: false, ...credentials });
    expect(await admin.bucketExists(bucket)).toBe(false);
    const store = createMinioObjectStore({ endpoint, bucket, ...credentials });
    const key = `media/${randomUUID()}/voice.ogg`;
    const body = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
    await store.put(key, body, 'audio/ogg; codecs=opus');
    expect(await admin.bucketExists(bucket)).toBe(true);
    const stored = await store.get(key);
    expect(stored?.contentType).toBe('audio/ogg; codecs=opus');
    expect(stored?.body.equals(body)).toBe(true);

    await store.put(key, Buffer.from('second'), 'text/plain');
    expect(await store.get(key)).toEqual({ body: Buffer.from('second'), contentType: 'text/plain' });

    await store.delete(key);
    expect(await store.get(key)).toBeNull();
    await store.delete(key);
  });

  it('reads a missing key as null and reuses an existing bucket', async () => {
    const bucket = `media-${randomUUID().slice(0, 8)}`;
    const first = createMinioObjectStore({ endpoint, bucket, ...credentials });
    await first.put('kept.txt', Buffer.from('kept'), 'text/plain');
    const second = createMinioObjectStore({ endpoint, bucket, ...credentials });
    expect(await second.get(`missing/${randomUUID()}`)).toBeNull();
    expect(await second.get('kept.txt')).toEqual({ body: Buffer.from('kept'), contentType: 'text/plain' });
  });

  it('refuses empty, absolute and parent-directory keys', async () => {
    const store = createMinioObjectStore({ endpoint, bucket: 'media-keys', ...credentials });
    for (const key of ['', '/absolute', 'a/../escape']) {
      await expect(store.put(key, Buffer.from('x'), 'text/plain')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });
});
