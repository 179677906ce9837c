import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

/** What keeps one tenant from running up the platform's model bill. */
describe('tenant API: AI cost limits', () => {
  let harness: TenantApiHarness;
  let owner: SignedInTenant;
  let other: SignedInTenant;

  beforeAll(async () => {
    harness = await startTenantApiHarness({ SANDBOX_MESSAGES_PER_MINUTE: '2' });
    [owner, other] = await Promise.all([signUp(harness), signUp(harness)]);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('refuses a model the deployment does not offer, naming the ones it does, and keeps the saved one', async () => {
    const refused = await request(harness.app).put('/api/agent').set('authorization', owner.bearer).send({ model: 'o1-pro' }).expect(400);
    expect(expectError(refused.body, 'VALIDATION_FAILED').details).toEqual([
      { path: 'body.model', message: expect.stringContaining('gpt-4o-mini, gpt-4.1-mini, gpt-4.1-nano, gpt-4o') },
    ]);
    expect((await request(harness.app).get('/api/agent').set('authorization', owner.bearer).expect(200)).body.model).toBe('gpt-4o-mini');
    await request(harness.app).put('/api/agent').set('authorization', owner.bearer).send({ model: 'gpt-4.1-mini' }).expect(200);
  });

  it('limits simulated customer messages per business and minute; another business is counted apart', async () => {
    const sandboxOf = async (tenant: SignedInTenant) =>
      (
        await request(harness.app)
          .post('/api/instances')
          .set('authorization', tenant.bearer)
          .send({ provider: 'SANDBOX', name: 'Sandbox' })
          .expect(201)
      ).body.id as string;
    const [mine, theirs] = [await sandboxOf(owner), await sandboxOf(other)];
    const send = (tenant: SignedInTenant, instanceId: string) =>
      request(harness.app)
        .post(`/api/sandbox/${instanceId}/messages`)
        .set('authorization', tenant.bearer)
        .send({ from: '34600000001', text: 'hola' });

    await send(owner, mine).expect(202);
    await send(owner, mine).expect(202);
    const limited = await send(owner, mine).expect(429);
    expectError(limited.body, 'RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(await harness.database.prisma.message.count({ where: { businessId: owner.businessId } })).toBe(2);
    await send(other, theirs).expect(202);

    harness.clock.advance(61_000);
    try {
      await send(owner, mine).expect(202);
    } finally {
      harness.clock.advance(-61_000);
    }
  });
});
