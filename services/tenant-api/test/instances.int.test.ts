import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessTokenIssuer } from '../src/auth/access-tokens.ts';
import { createRemoteSessionControl } from '../src/instances/remote-session-control.ts';
import { sessionStatusViewSchema } from '../src/instances/instance-session.schema.ts';
import { instanceListSchema, instanceViewSchema } from '../src/instances/instances.schema.ts';
import { SecretBox } from '@app/db';
import { expectError, signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

const accessToken = 'EAAG-secret-system-user-token-0123456789';

describe('tenant API: instances', () => {
  let harness: TenantApiHarness;
  let owner: SignedInTenant;
  let other: SignedInTenant;

  beforeAll(async () => {
    // Sessions as in Kubernetes, with no session pod up yet (nothing listens on the discard port).
    const prisma = {
      get instance() {
        return harness.database.prisma.instance;
      },
    };
    const sessions = createRemoteSessionControl({ prisma, podUrl: 'http://127.0.0.1:9', timeoutMs: 2_000 });
    harness = await startTenantApiHarness({}, { sessions });
    [owner, other] = await Promise.all([signUp(harness), signUp(harness)]);
  });

  const agentBearer = (tenant: SignedInTenant) =>
    `Bearer ${
      createAccessTokenIssuer({ secret: harness.config.JWT_SECRET!, ttlSeconds: 300, now: () => harness.clock.now() }).issue({
        businessId: tenant.businessId,
        userId: tenant.userId,
        role: 'AGENT',
      }).accessToken
    }`;
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
    const response = await request(harness.app)
      .post('/api/instances')
      .set('authorization', owner.bearer)
      .send({ provider: 'META', name: 'Main' })
      .expect(400);
    const details = expectError(response.body, 'VALIDATION_FAILED').details as Array<{ path: string }>;
    expect(details.map((detail) => detail.path).sort()).toEqual(['body.accessToken', 'body.phoneNumberId']);
    const unknownProvider = await request(harness.app)
      .post('/api/instances')
      .set('authorization', owner.bearer)
      .send({ provider: 'TELEGRAM', name: 'x' })
      .expect(400);
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

  it('keeps a WhatsApp Web session start asked for before its pod exists: 202 pending, recorded, then shown as pending', async () => {
    const api = request(harness.app);
    const created = await api.post('/api/instances').set('authorization', owner.bearer).send({ provider: 'BAILEYS', name: 'Loja nova' }).expect(201);
    const id = created.body.id as string;
    // The start asked for at creation is recorded for the pod, not lost.
    const stored = await harness.database.prisma.instance.findUniqueOrThrow({ where: { id } });
    expect(stored.sessionRequestedAt).not.toBeNull();

    const status = await api.get(`/api/instances/${id}/session`).set('authorization', owner.bearer).expect(200);
    expect(sessionStatusViewSchema.parse(status.body)).toMatchObject({ instanceId: id, state: 'pending', qr: null });
    const restarted = await api.post(`/api/instances/${id}/session/restart`).set('authorization', owner.bearer).expect(202);
    expect(sessionStatusViewSchema.parse(restarted.body)).toMatchObject({ instanceId: id, state: 'pending' });
    // Everything else still needs the pod.
    expectError((await api.post(`/api/instances/${id}/session/logout`).set('authorization', owner.bearer).expect(503)).body, 'UNAVAILABLE');
    expectError((await api.post(`/api/instances/${id}/session/restart`).set('authorization', other.bearer).expect(404)).body, 'NOT_FOUND');
  });

  it('lets the owner set a WhatsApp Web number’s sending limits within safe ranges, and put them back to the defaults', async () => {
    const api = request(harness.app);
    const created = await api.post('/api/instances').set('authorization', owner.bearer).send({ provider: 'BAILEYS', name: 'Loja' }).expect(201);
    const id = created.body.id as string;
    expect(created.body.baileys).toEqual({ maxPerMinute: null, minGapPerRecipientMs: null, newContactsPerDay: null, typing: null });

    const patched = await api
      .patch(`/api/instances/${id}`)
      .set('authorization', owner.bearer)
      .send({ baileys: { maxPerMinute: 6, minGapPerRecipientMs: 5_000, typing: false } })
      .expect(200);
    expect(instanceViewSchema.parse(patched.body).baileys).toEqual({
      maxPerMinute: 6,
      minGapPerRecipientMs: 5_000,
      newContactsPerDay: null,
      typing: false,
    });
    // Merged: a later change keeps what it does not name; null restores the default; the name changes alone.
    await api
      .patch(`/api/instances/${id}`)
      .set('authorization', owner.bearer)
      .send({ baileys: { newContactsPerDay: 5, maxPerMinute: null } })
      .expect(200);
    const renamed = await api.patch(`/api/instances/${id}`).set('authorization', owner.bearer).send({ name: 'Loja centro' }).expect(200);
    expect(renamed.body).toMatchObject({
      name: 'Loja centro',
      baileys: { maxPerMinute: null, minGapPerRecipientMs: 5_000, newContactsPerDay: 5, typing: false },
    });
    expect((await api.get(`/api/instances/${id}`).set('authorization', owner.bearer).expect(200)).body.baileys).toEqual(renamed.body.baileys);
    const stored = await harness.database.prisma.instance.findUniqueOrThrow({ where: { id } });
    expect(stored.baileysSettings).toEqual({ minGapPerRecipientMs: 5_000, newContactsPerDay: 5, typing: false });
  });

  it('refuses sending limits out of range or unknown (400), on other providers (409), to agents (403) and to other tenants (404), changing nothing', async () => {
    const api = request(harness.app);
    const created = await api.post('/api/instances').set('authorization', owner.bearer).send({ provider: 'BAILEYS', name: 'Loja' }).expect(201);
    const id = created.body.id as string;
    const patch = (body: object, bearer = owner.bearer) => api.patch(`/api/instances/${id}`).set('authorization', bearer).send(body);

    const tooFast = expectError((await patch({ baileys: { maxPerMinute: 500, minGapPerRecipientMs: 10 } }).expect(400)).body, 'VALIDATION_FAILED');
    expect((tooFast.details as Array<{ path: string }>).map((detail) => detail.path).sort()).toEqual([
      'body.baileys.maxPerMinute',
      'body.baileys.minGapPerRecipientMs',
    ]);
    expectError((await patch({ baileys: { burstSize: 3 } }).expect(400)).body, 'VALIDATION_FAILED');
    expectError((await patch({ baileys: { typing: 'sometimes' } }).expect(400)).body, 'VALIDATION_FAILED');
    expectError((await patch({}).expect(400)).body, 'VALIDATION_FAILED');
    expectError((await patch({ provider: 'META' }).expect(400)).body, 'VALIDATION_FAILED');
    expectError((await patch({ baileys: { maxPerMinute: 5 } }, agentBearer(owner)).expect(403)).body, 'FORBIDDEN');
    expectError((await patch({ baileys: { maxPerMinute: 5 } }, other.bearer).expect(404)).body, 'NOT_FOUND');
    const sandbox = await api.post('/api/instances').set('authorization', owner.bearer).send({ provider: 'SANDBOX', name: 'Teste' }).expect(201);
    expect(sandbox.body.baileys).toBeNull();
    const refused = expectError(
      (
        await api
          .patch(`/api/instances/${sandbox.body.id}`)
          .set('authorization', owner.bearer)
          .send({ baileys: { maxPerMinute: 5 } })
          .expect(409)
      ).body,
      'CONFLICT',
    );
    expect(refused.details).toEqual({ provider: 'SANDBOX' });

    expect((await harness.database.prisma.instance.findUniqueOrThrow({ where: { id } })).baileysSettings).toBeNull();
  });

  it('requires a signed-in caller', async () => {
    expectError((await request(harness.app).get('/api/instances').expect(401)).body, 'UNAUTHENTICATED');
  });
});
