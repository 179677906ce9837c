import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../ports/key-value.ts';
import { createFileObjectStore } from './file-object-store.ts';
import { createHttpOutputBinding } from './http-output-binding.ts';
import { createMemoryKeyValueStore } from './memory-key-value-store.ts';
import { createRedisKeyValueStore } from './redis-key-value-store.ts';

let redis: Redis;
let directory: string;
let server: Server;
let targetUrl: string;
const requests: { method: string; path: string; headers: Record<string, unknown>; body: unknown }[] = [];

beforeAll(async () => {
  redis = new Redis('redis://127.0.0.1:6379');
  directory = await mkdtemp(join(tmpdir(), 'object-store-'));
  const target = express();
  target.use(express.json());
  target.all('/{*rest}', (request, response) => {
    requests.push({ method: request.method, path: request.path, headers: request.headers, body: request.body });
    if (request.path.endsWith('/fails')) return void response.status(503).json({ reason: 'down' });
    response.status(201).json({ received: true });
  });
  server = await new Promise((resolve) => {
    const listening = target.listen(0, '127.0.0.1', () => resolve(listening));
  });
  targetUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/base`;
});

afterAll(async () => {
  redis.disconnect();
  await rm(directory, { recursive: true, force: true });
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function describeKeyValueStore(name: string, make: () => { store: KeyValueStore; advance(ms: number): Promise<void> }) {
  describe(name, () => {
    it('sets, reads, expires and deletes values', async () => {
      const { store, advance } = make();
      const key = randomUUID();
      expect(await store.get(key)).toBeNull();
      await store.set(key, 'one', { ttlMs: 150 });
      expect(await store.get(key)).toBe('one');
      await advance(300);
      expect(await store.get(key)).toBeNull();
      await store.set(key, 'two');
      await store.delete(key);
      expect(await store.get(key)).toBeNull();
    });

    it('setIfAbsent sets only once until the value expires', async () => {
      const { store, advance } = make();
      const key = randomUUID();
      expect(await store.setIfAbsent(key, 'first', { ttlMs: 150 })).toBe(true);
      expect(await store.setIfAbsent(key, 'second', { ttlMs: 150 })).toBe(false);
      expect(await store.get(key)).toBe('first');
      await advance(300);
      expect(await store.setIfAbsent(key, 'third')).toBe(true);
      expect(await store.get(key)).toBe('third');
    });
  });
}

describeKeyValueStore('createMemoryKeyValueStore', () => {
  let now = 1_000;
  return { store: createMemoryKeyValueStore({ now: () => now }), advance: async (ms) => void (now += ms) };
});
describeKeyValueStore('createRedisKeyValueStore (real Redis)', () => ({
  store: createRedisKeyValueStore(redis, { keyPrefix: `test:${randomUUID()}:` }),
  advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}));

describe('createFileObjectStore', () => {
  it('stores, reads and deletes objects with their content type', async () => {
    const store = createFileObjectStore(directory);
    await store.put('media/business-1/photo.jpg', Buffer.from([1, 2, 3]), 'image/jpeg');
    expect(await store.get('media/business-1/photo.jpg')).toEqual({ body: Buffer.from([1, 2, 3]), contentType: 'image/jpeg' });
    await store.put('media/business-1/photo.jpg', Buffer.from('replaced'), 'text/plain');
    expect((await store.get('media/business-1/photo.jpg'))?.body.toString()).toBe('replaced');
    await store.delete('media/business-1/photo.jpg');
    expect(await store.get('media/business-1/photo.jpg')).toBeNull();
  });

  it('refuses keys that leave its directory', async () => {
    const store = createFileObjectStore(directory);
    await expect(store.put('../escape', Buffer.from('x'), 'text/plain')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(store.get('/etc/passwd')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('createHttpOutputBinding', () => {
  it('makes the call Dapr’s HTTP binding would: base URL + path, capitalised metadata as headers, JSON body', async () => {
    const binding = createHttpOutputBinding({ baseUrls: { n8n: targetUrl } });
    const answer = await binding.invoke('n8n', {
      operation: 'post',
      data: { conversationId: 'c1' },
      metadata: { path: '/webhook/abc', 'X-N8n-Token': 'secret-token', lowercase: 'not a header' },
    });
    expect(answer).toEqual({ statusCode: 201, body: { received: true } });
    const seen = requests.at(-1)!;
    expect(seen).toMatchObject({ method: 'POST', path: '/base/webhook/abc', body: { conversationId: 'c1' } });
    expect(seen.headers['x-n8n-token']).toBe('secret-token');
    expect(seen.headers.lowercase).toBeUndefined();
  });

  it('fails on a non-2xx answer and on an unknown binding', async () => {
    const binding = createHttpOutputBinding({ baseUrls: { n8n: targetUrl } });
    await expect(binding.invoke('n8n', { operation: 'get', metadata: { path: 'fails' } })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      details: { statusCode: 503, body: { reason: 'down' } },
    });
    await expect(binding.invoke('nowhere', { operation: 'post' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const lenient = createHttpOutputBinding({ baseUrls: { n8n: targetUrl }, errorIfNot2xx: false });
    expect((await lenient.invoke('n8n', { operation: 'get', metadata: { path: 'fails' } })).statusCode).toBe(503);
  });
});
