import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createConsoleRouter } from './console-static.ts';

describe('serving the console at /', () => {
  const directory = mkdtempSync(join(tmpdir(), 'console-build-'));
  mkdirSync(join(directory, 'media'));
  writeFileSync(join(directory, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(directory, 'main-ABCDEFGH.js'), 'console.log(1)');
  const app = express();
  app.get('/api/ping', (_request, response) => void response.json({ pong: true }));
  app.use(createConsoleRouter(directory)!);
  app.use((_request, response) => void response.status(404).json({ error: { code: 'NOT_FOUND' } }));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('serves index.html for client-side routes a browser opens', async () => {
    const response = await request(app).get('/inbox').set('Accept', 'text/html');
    expect(response.status).toBe(200);
    expect(response.text).toContain('<title>console</title>');
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('sends the strict CSP with the page and with every file of the console', async () => {
    for (const response of [await request(app).get('/inbox').set('Accept', 'text/html'), await request(app).get('/main-ABCDEFGH.js')]) {
      const policy = String(response.headers['content-security-policy']).split('; ');
      expect(policy).toEqual(
        expect.arrayContaining([
          "default-src 'self'",
          "script-src 'self'",
          "object-src 'none'",
          "base-uri 'none'",
          "frame-ancestors 'none'",
          "connect-src 'self'",
        ]),
      );
      expect(policy).toEqual(expect.arrayContaining(["img-src 'self' blob:", "media-src 'self' blob:"]));
      expect(policy.find((directive) => directive.startsWith('script-src'))).not.toMatch(/unsafe|blob|data/);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('serves hashed bundles with a long cache', async () => {
    const response = await request(app).get('/main-ABCDEFGH.js');
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toContain('immutable');
  });

  it('leaves /api and /webhooks alone, even for a browser', async () => {
    expect((await request(app).get('/api/ping').set('Accept', 'text/html')).body).toEqual({ pong: true });
    const unknownApi = await request(app).get('/api/nothing-here').set('Accept', 'text/html');
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.body).toEqual({ error: { code: 'NOT_FOUND' } });
    expect((await request(app).get('/webhooks/unknown').set('Accept', 'text/html')).status).toBe(404);
  });

  it('answers JSON clients with the 404, not the page', async () => {
    const response = await request(app).get('/missing').set('Accept', 'application/json');
    expect(response.status).toBe(404);
  });

  it('is absent when the console was not built', () => {
    expect(createConsoleRouter(join(directory, 'media'))).toBeNull();
  });
});
