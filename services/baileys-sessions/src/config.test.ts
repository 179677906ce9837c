import { describe, expect, it } from 'vitest';
import { loadBaileysSessionsKubernetesConfig } from './config.ts';

const base = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/app',
  CREDENTIALS_KEY: 'a2V5',
  POD_NAME: 'baileys-sessions-0',
  APP_API_TOKEN: 'baileys-app-token-for-tests',
};

describe('baileys-sessions Kubernetes config: object store', () => {
  it('leaves media storage off when OBJECT_STORE_ENDPOINT is unset', () => {
    const { service } = loadBaileysSessionsKubernetesConfig(base);
    expect(service.OBJECT_STORE_ENDPOINT).toBeUndefined();
    expect(service.OBJECT_STORE_BUCKET).toBe('whatsapp-media');
  });

  it('reads the MinIO/S3 endpoint, bucket and keys', () => {
    const { service } = loadBaileysSessionsKubernetesConfig({
      ...base,
      OBJECT_STORE_ENDPOINT: 'http://minio.storage:9000',
      OBJECT_STORE_BUCKET: 'media',
      OBJECT_STORE_ACCESS_KEY: 'access',
      OBJECT_STORE_SECRET_KEY: 'secret',
    });
    expect(service).toMatchObject({
      OBJECT_STORE_ENDPOINT: 'http://minio.storage:9000',
      OBJECT_STORE_BUCKET: 'media',
      OBJECT_STORE_ACCESS_KEY: 'access',
    });
  });

  it('names the missing keys when an endpoint comes without credentials', () => {
    expect(() => loadBaileysSessionsKubernetesConfig({ ...base, OBJECT_STORE_ENDPOINT: 'http://minio.storage:9000' })).toThrow(
      /OBJECT_STORE_ACCESS_KEY[\s\S]*OBJECT_STORE_SECRET_KEY|OBJECT_STORE_SECRET_KEY[\s\S]*OBJECT_STORE_ACCESS_KEY/,
    );
  });
});

describe('baileys-sessions Kubernetes config: the cap on sessions', () => {
  it('caps the StatefulSet at BAILEYS_MAX_SESSIONS replicas (100 unless set)', () => {
    expect(loadBaileysSessionsKubernetesConfig(base).service.BAILEYS_MAX_SESSIONS).toBe(100);
    expect(loadBaileysSessionsKubernetesConfig({ ...base, BAILEYS_MAX_SESSIONS: '0', BAILEYS_MIN_REPLICAS: '0' }).service.BAILEYS_MAX_SESSIONS).toBe(
      0,
    );
  });

  it('names a cap that is not a count, or one below the minimum replicas', () => {
    expect(() => loadBaileysSessionsKubernetesConfig({ ...base, BAILEYS_MAX_SESSIONS: '-3' })).toThrow(/BAILEYS_MAX_SESSIONS/);
    expect(() => loadBaileysSessionsKubernetesConfig({ ...base, BAILEYS_MAX_SESSIONS: '2', BAILEYS_MIN_REPLICAS: '3' })).toThrow(
      /BAILEYS_MIN_REPLICAS: must not be above BAILEYS_MAX_SESSIONS/,
    );
  });
});
