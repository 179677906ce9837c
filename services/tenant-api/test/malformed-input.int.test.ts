import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

/** Input a careless client or an attacker sends: each gets a 4xx that says what is wrong, and nothing is stored. */
describe('tenant API: malformed input', () => {
  let harness: TenantApiHarness;
  let owner: SignedInTenant;
  let sandboxInstanceId: string;

  beforeAll(async () => {
    harness = await startTenantApiHarness();
    owner = await signUp(harness);
    sandboxInstanceId = (
      await request(harness.app).post('/api/instances').set('authorization', owner.bearer).send({ provider: 'SANDBOX', name: 'Sandbox' }).expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await harness?.close();
  });

  it.each([
    ['a NUL', 'hola\u0000'],
    ['a lone surrogate', 'hola \uD83D'],
  ])('refuses %s in a body with 400 naming the field, and stores nothing', async (_name, text) => {
    const response = await request(harness.app)
      .post(`/api/sandbox/${sandboxInstanceId}/messages`)
      .set('authorization', owner.bearer)
      .set('content-type', 'application/json')
      // Written by hand: the lone surrogate must reach the server as the \ud83d escape a client can send.
      .send(`{"from":"34600000001","text":${JSON.stringify(text)}}`)
      .expect(400);
    expect(expectError(response.body, 'VALIDATION_FAILED').details).toEqual([
      { path: 'body.text', message: 'contains a NUL character or a broken surrogate pair' },
    ]);
    expect(await harness.database.prisma.message.count({ where: { businessId: owner.businessId } })).toBe(0);
  });

  it('refuses a NUL in a search query with 400 instead of failing in the database', async () => {
    const response = await request(harness.app).get('/api/conversations').query({ q: 'pan\u0000' }).set('authorization', owner.bearer).expect(400);
    expect(expectError(response.body, 'VALIDATION_FAILED').details).toEqual([{ path: 'query.q', message: expect.any(String) }]);
  });

  it('answers 415 for an unknown Content-Encoding and 400 for a broken gzip body', async () => {
    const unknown = await request(harness.app)
      .put('/api/agent')
      .set('authorization', owner.bearer)
      .set('content-type', 'application/json')
      .set('content-encoding', 'compress')
      .send('{"model":"gpt-4o-mini"}')
      .expect(415);
    expectError(unknown.body, 'UNSUPPORTED_MEDIA_TYPE');

    const broken = gzipSync(Buffer.from('{"model":"gpt-4o"}')).subarray(0, 12);
    const response = await request(harness.app)
      .put('/api/agent')
      .set('authorization', owner.bearer)
      .set('content-type', 'application/json')
      .set('content-encoding', 'gzip')
      .send(broken)
      .expect(400);
    expectError(response.body, 'VALIDATION_FAILED');
    expect((await request(harness.app).get('/api/agent').set('authorization', owner.bearer).expect(200)).body.model).toBe('gpt-4o-mini');
  });
});

describe('tenant API: security headers', () => {
  let harness: TenantApiHarness;
  beforeAll(async () => {
    harness = await startTenantApiHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('sends helmet’s headers on every answer, errors included: nothing may be sniffed, framed or run', async () => {
    for (const response of [await request(harness.app).get('/api/openapi.json'), await request(harness.app).get('/api/agent').expect(401)]) {
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'strict-transport-security': expect.stringContaining('max-age='),
        'referrer-policy': 'no-referrer',
        'cross-origin-resource-policy': 'same-origin',
        'content-security-policy': expect.stringContaining("default-src 'none'"),
      });
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });
});
