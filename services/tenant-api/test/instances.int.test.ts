import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceListSchema, instanceViewSchema } from '../src/instances/instances.schema.ts';
import { SecretBox } from '@app/db';
import { expectError, signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

const accessToken = 'EAAG-secret-system-user-token-0123456789';

describe('tenant API: instances', () => {
  let harness: TenantApiHarness;
  let owner: SignedInTenant;
  let other: SignedInTenant;

  beforeAll(async () => {
    harness = await startTenantApiHarness();
    [owner, other] = await Promise.all([signUp(harness), signUp(harness)]);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('refuses to connect a number until the owner verified the e-mail address, and stores nothing', async () => {
    const unverified = await signUp(harness, { verified: false });
    const response = await request(harness.app)
      .post('/api/instances')
      .set('authorization', unverified.bearer)
      .send({ provider: 'SANDBOX', name: 'Test line' })
      .expect(403);
    expectError(response.body, 'EMAIL_NOT_VERIFIED');
    await expect(harness.database.prisma.instance.count({ where: { businessId: unverified.businessId } })).resolves.toBe(0);
  });

  it('requires the Cloud API ids and token for META', async () => {
    const response = await request(harness.app).post('/api/instances').set('authorization', owner.bearer).send({ provider: 'META', name: 'Main' }).expect(400);
    const details = expectError(response.body, 'VALIDATION_FAILED').details as Array<{ path: string }>;
    expect(details.map((detail) => detail.path).sort()).toEqual(['body.accessToken', 'body.phoneNumberId']);
    const unknownProvider = await request(harness.app).post('/api/instances').set('authorization', owner.bearer).send({ provider: 'TELEGRAM', name: 'x' }).expect(400);
    expectError(unknownProvider.body, 'VALIDATION_FAILED');
  });

  it('encrypts the access token at rest and never returns it', async () => {
    const api = request(harness.app);
    const created = await api
      .post('/api/instances')
      .set('authorization', owner.bearer)
      .send({ provider: 'META', name: 'Main line', phoneNumberId: '106540352242922', wabaId: '102290129340398', accessToken })
      .expect(201);
    const instance = instanceViewSchema.parse(created.body);
    expect(instance).toMatchObject({ provider: 'META', phoneNumberId: '106540352242922', hasAccessToken: true });

    const list = await api.get('/api/instances').set('authorization', owner.bearer).expect(200);
    const one = await api.get(`/api/instances/${instance.id}`).set('authorization', owner.bearer).expect(200);
    expect(instanceListSchema.parse(list.body).items.map((item) => item.id)).toContain(instance.id);
    for (const body of [created.text, list.text, one.text]) {
      expect(body).not.toContain(accessToken);
      expect(body).not.toContain('encryptedCredentials');
    }

    const stored = await harness.database.prisma.instance.findUniqueOrThrow({ where: { id: instance.id } });
    expect(stored.encryptedCredentials).not.toContain(accessToken);
    // The provider egress decrypts with the same key and the instance id as associated data.
    const box = SecretBox.fromCredentialsKey(harness.credentialsKey);
    expect(JSON.parse(box.decrypt(stored.encryptedCredentials!, instance.id))).toEqual({ accessToken });
    expect(() => box.decrypt(stored.encryptedCredentials!, 'another-instance')).toThrow();
  });

  it('refuses a phone number id that is already connected, whoever holds it', async () => {
    const body = { provider: 'META', name: 'Again', phoneNumberId: '999000111222', accessToken };
    await request(harness.app).post('/api/instances').set('authorization', owner.bearer).send(body).expect(201);
    const duplicate = await request(harness.app).post('/api/instances').set('authorization', other.bearer).send(body).expect(409);
    expectError(duplicate.body, 'CONFLICT');
    await expect(harness.database.prisma.instance.count({ where: { phoneNumberId: '999000111222' } })).resolves.toBe(1);
  });

  it('keeps each business to its own instances: another tenant’s id is 404, for reading and deleting', async () => {
    const api = request(harness.app);
    const created = await api.post('/api/instances').set('authorization', owner.bearer).send({ provider: 'SANDBOX', name: 'Sandbox' }).expect(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ provider: 'SANDBOX', hasAccessToken: false, phoneNumberId: null });

    expectError((await api.get(`/api/instances/${id}`).set('authorization', other.bearer).expect(404)).body, 'NOT_FOUND');
    expectError((await api.delete(`/api/instances/${id}`).set('authorization', other.bearer).expect(404)).body, 'NOT_FOUND');
    const othersList = await api.get('/api/instances').set('authorization', other.bearer).expect(200);
    expect(othersList.body.items.map((item: { id: string }) => item.id)).not.toContain(id);
    expectError((await api.get('/api/instances/not-a-uuid').set('authorization', owner.bearer).expect(404)).body, 'NOT_FOUND');

    await api.delete(`/api/instances/${id}`).set('authorization', owner.bearer).expect(204);
    await api.get(`/api/instances/${id}`).set('authorization', owner.bearer).expect(404);
  });

  it('requires a signed-in caller', async () => {
    expectError((await request(harness.app).get('/api/instances').expect(401)).body, 'UNAUTHENTICATED');
  });
});
