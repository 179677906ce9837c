import { createRemoteSessionControl } from '../src/instances/remote-session-control.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

type Provider = 'SANDBOX' | 'BAILEYS' | 'META';

function create(harness: TenantApiHarness, tenant: SignedInTenant, provider: Provider, name = `${provider} line`) {
  const body =
    provider === 'META'
      ? { provider, name, phoneNumberId: String(100_000 + Math.floor(Math.random() * 1e9)), accessToken: 'EAAG-system-user-token-0123456789' }
      : { provider, name };
  return request(harness.app).post('/api/instances').set('authorization', tenant.bearer).send(body);
}

const countOf = (harness: TenantApiHarness, where: object = {}) => harness.database.prisma.instance.count({ where });

describe('tenant API: instance limits', () => {
  let harness: TenantApiHarness;

  beforeAll(async () => {
    harness = await startTenantApiHarness({ MAX_INSTANCES_PER_BUSINESS: '3', MAX_BAILEYS_INSTANCES_PER_BUSINESS: '2', BAILEYS_MAX_SESSIONS: '3' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('refuses a business’s WhatsApp Web number beyond its limit with 403, naming the limit, and stores nothing', async () => {
    const owner = await signUp(harness);
    await create(harness, owner, 'BAILEYS').expect(201);
    await create(harness, owner, 'BAILEYS').expect(201);
    const refused = expectError((await create(harness, owner, 'BAILEYS').expect(403)).body, 'INSTANCE_LIMIT_REACHED');
    expect(refused.details).toEqual({ quota: 'whatsappWebInstancesPerBusiness', limit: 2, current: 2, setBy: 'deployment' });
    expect(refused.message).toContain('at most 2');
    expect(refused.message).toContain('WhatsApp Web');
    await expect(countOf(harness, { businessId: owner.businessId })).resolves.toBe(2);

    // Other kinds still fit under the business's total (3) …
    await create(harness, owner, 'SANDBOX').expect(201);
    // … up to that total.
    const full = expectError((await create(harness, owner, 'META').expect(403)).body, 'INSTANCE_LIMIT_REACHED');
    expect(full.details).toEqual({ quota: 'instancesPerBusiness', limit: 3, current: 3, setBy: 'deployment' });
    expect(full.message).toContain('at most 3');
    await expect(countOf(harness, { businessId: owner.businessId })).resolves.toBe(3);

    // Deleting one frees its place.
    const sandbox = await harness.database.prisma.instance.findFirstOrThrow({ where: { businessId: owner.businessId, provider: 'SANDBOX' } });
    await request(harness.app).delete(`/api/instances/${sandbox.id}`).set('authorization', owner.bearer).expect(204);
    await create(harness, owner, 'META').expect(201);
  });

  it('refuses a WhatsApp Web number with 409 when every session slot of the platform is taken, whoever holds them', async () => {
    // The first test's business holds slots 0 and 1 of 3.
    const second = await signUp(harness);
    const third = await signUp(harness);
    const placed = await create(harness, second, 'BAILEYS').expect(201);
    expect(placed.body.slot).toBe(2);
    const refused = expectError((await create(harness, third, 'BAILEYS').expect(409)).body, 'PLATFORM_CAPACITY_REACHED');
    expect(refused.details).toEqual({ quota: 'whatsappWebSessions', limit: 3, current: 3, setBy: 'deployment' });
    expect(refused.message).toContain('at most 3 WhatsApp Web sessions');
    await expect(countOf(harness, { businessId: third.businessId })).resolves.toBe(0);
    // A Cloud API number takes no session slot.
    await create(harness, third, 'SANDBOX').expect(201);

    // A freed slot is reused: the platform stays at three pods.
    await request(harness.app).delete(`/api/instances/${placed.body.id}`).set('authorization', second.bearer).expect(204);
    expect((await create(harness, third, 'BAILEYS').expect(201)).body.slot).toBe(2);
  });
});

describe('tenant API: instance limits under concurrent creations', () => {
  let harness: TenantApiHarness;

  beforeAll(async () => {
    harness = await startTenantApiHarness({ MAX_INSTANCES_PER_BUSINESS: '3', MAX_BAILEYS_INSTANCES_PER_BUSINESS: '3', BAILEYS_MAX_SESSIONS: '4' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('lets exactly as many concurrent creations of a business through as its limit allows', async () => {
    // Four businesses, eight creations each, all at once: counts taken without the lock would let more through.
    const owners = await Promise.all(Array.from({ length: 4 }, () => signUp(harness)));
    const responses = await Promise.all(
      owners.map((owner) => Promise.all(Array.from({ length: 8 }, (_, index) => create(harness, owner, 'SANDBOX', `line ${index}`)))),
    );
    for (const [index, owner] of owners.entries()) {
      expect(responses[index]!.map((response) => response.status).sort()).toEqual([201, 201, 201, 403, 403, 403, 403, 403]);
      for (const response of responses[index]!.filter((candidate) => candidate.status === 403)) expectError(response.body, 'INSTANCE_LIMIT_REACHED');
      await expect(countOf(harness, { businessId: owner.businessId })).resolves.toBe(3);
    }
  });

  it('never gives the last free session slots to more businesses than there are slots', async () => {
    const tenants = await Promise.all(Array.from({ length: 7 }, () => signUp(harness)));
    const responses = await Promise.all(tenants.map((tenant) => create(harness, tenant, 'BAILEYS')));
    const created = responses.filter((response) => response.status === 201);
    expect(created).toHaveLength(4);
    expect(created.map((response) => response.body.slot as number).sort()).toEqual([0, 1, 2, 3]);
    for (const response of responses.filter((candidate) => candidate.status !== 201)) {
      expect(response.status).toBe(409);
      expectError(response.body, 'PLATFORM_CAPACITY_REACHED');
    }
    await expect(countOf(harness, { provider: 'BAILEYS' })).resolves.toBe(4);
  });
});

describe('tenant API: WhatsApp Web numbers left without a pod by the cap', () => {
  let harness: TenantApiHarness;
  let owner: SignedInTenant;

  beforeAll(async () => {
    // Sessions as in Kubernetes, with no session pod up (nothing listens on the discard port).
    const prisma = {
      get instance() {
        return harness.database.prisma.instance;
      },
    };
    const sessions = createRemoteSessionControl({ prisma, podUrl: 'http://127.0.0.1:9', timeoutMs: 2_000 });
    harness = await startTenantApiHarness({ BAILEYS_MAX_SESSIONS: '2' }, { sessions });
    owner = await signUp(harness);
  });
  afterAll(async () => {
    await harness?.close();
  });

  /** A number whose slot the instance controller found above the cap (the cap was lowered after it got the slot). */
  async function overCapacityInstance(slot: number): Promise<{ id: string; since: Date }> {
    const since = new Date('2026-02-01T10:00:00Z');
    const instance = await harness.database.prisma.instance.create({
      data: { businessId: owner.businessId, provider: 'BAILEYS', name: `Loja ${slot}`, slot, status: 'stopped', overCapacitySince: since },
    });
    return { id: instance.id, since };
  }

  it('shows the number as over capacity, and a start moves it to a free slot under the cap', async () => {
    await create(harness, owner, 'BAILEYS').expect(201); // slot 0
    const { id, since } = await overCapacityInstance(5);
    const api = request(harness.app);
    expect((await api.get(`/api/instances/${id}`).set('authorization', owner.bearer).expect(200)).body).toMatchObject({
      slot: 5,
      overCapacitySince: since.toISOString(),
    });
    expect((await api.get(`/api/instances/${id}/session`).set('authorization', owner.bearer).expect(200)).body).toMatchObject({
      state: 'over-capacity',
      qr: null,
    });

    const started = await api.post(`/api/instances/${id}/session/restart`).set('authorization', owner.bearer).expect(202);
    expect(started.body).toMatchObject({ instanceId: id, state: 'pending' });
    const moved = await harness.database.prisma.instance.findUniqueOrThrow({ where: { id } });
    expect(moved).toMatchObject({ slot: 1, overCapacitySince: null });
    expect(moved.sessionRequestedAt).not.toBeNull();
  });

  it('refuses to start a number without a pod when no slot under the cap is free, and changes nothing', async () => {
    const { id } = await overCapacityInstance(6);
    const refused = await request(harness.app).post(`/api/instances/${id}/session/restart`).set('authorization', owner.bearer).expect(409);
    expect(expectError(refused.body, 'PLATFORM_CAPACITY_REACHED').details).toEqual({
      quota: 'whatsappWebSessions',
      limit: 2,
      current: 2,
      setBy: 'deployment',
    });
    expect(await harness.database.prisma.instance.findUniqueOrThrow({ where: { id } })).toMatchObject({
      slot: 6,
      sessionRequestedAt: null,
      overCapacitySince: expect.any(Date),
    });
  });
});
