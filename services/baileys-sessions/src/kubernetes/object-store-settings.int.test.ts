import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBaileysSessionsKubernetesConfig } from '../config.ts';
import { objectStoreFromSettings } from '@app/runtime/service';

// s3rver: a real S3-compatible server, in-process on 127.0.0.1 (no types shipped).
interface S3rverServer {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: Record<string, unknown>) => S3rverServer;

let server: S3rverServer;
let directory: string;
let endpoint: string;
const base = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/app',
  CREDENTIALS_KEY: 'a2V5',
  POD_NAME: 'baileys-sessions-0',
  APP_API_TOKEN: 'baileys-app-token-for-tests',
};

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  endpoint = `http://127.0.0.1:${(await server.run()).port}`;
});

afterAll(async () => {
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

describe('baileys-sessions media store in Kubernetes (OBJECT_STORE_* settings)', () => {
  it('stores media in the configured S3 bucket', async () => {
    const { service } = loadBaileysSessionsKubernetesConfig({
      ...base,
      OBJECT_STORE_ENDPOINT: endpoint,
      OBJECT_STORE_BUCKET: `media-${randomUUID().slice(0, 8)}`,
      OBJECT_STORE_ACCESS_KEY: 'S3RVER',
      OBJECT_STORE_SECRET_KEY: 'S3RVER',
    });
    const store = objectStoreFromSettings(service);
    expect(store).toBeDefined();
    await store!.put('media/photo.jpg', Buffer.from('jpeg bytes'), 'image/jpeg');
    expect(await store!.get('media/photo.jpg')).toEqual({ body: Buffer.from('jpeg bytes'), contentType: 'image/jpeg' });
  });

  it('has no store without an endpoint', () => {
    expect(objectStoreFromSettings(loadBaileysSessionsKubernetesConfig(base).service)).toBeUndefined();
  });
});
