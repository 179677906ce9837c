import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentViewSchema } from '../src/agent/agent.schema.ts';
import { expectError, signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

describe('tenant API: agent settings', () => {
  let harness: TenantApiHarness;
  let tenant: SignedInTenant;

  beforeAll(async () => {
    harness = await startTenantApiHarness({ AI_ALLOWED_MODELS: 'gpt-4o-mini, llama3.1' });
    tenant = await signUp(harness, { businessName: 'Panadería Sol' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('shows the defaults, says plainly that AI replies are off, and previews the prompt with variables resolved', async () => {
    const response = await request(harness.app).get('/api/agent').set('authorization', tenant.bearer).expect(200);
    const agent = agentViewSchema.parse(response.body);
    expect(agent).toMatchObject({
      bufferSeconds: 5,
      maxBufferSeconds: 30,
      historyLimit: 20,
      handoffMinutes: 0,
      timezone: 'UTC',
      botEnabled: true,
      model: 'gpt-4o-mini',
    });
    expect(agent.aiReplies).toEqual({ enabled: false, reason: 'OPENAI_API_KEY and OPENAI_BASE_URL are not set' });

    await request(harness.app)
      .put('/api/agent')
      .set('authorization', tenant.bearer)
      .send({
        systemPrompt: 'You work for {{business_name}}. It is {{weekday}} {{time}} in {{timezone}}. {{unknown}}',
        timezone: 'America/Mexico_City',
      })
      .expect(200);
    harness.aiStatus.enabled = true;
    harness.aiStatus.reason = null;
    const realNow = harness.clock.now();
    harness.clock.set(new Date('2026-03-02T15:30:00Z'));
    let after;
    try {
      // Signed in at the moved clock, so the access token is valid whatever today's date is.
      const { body: tokens } = await request(harness.app)
        .post('/api/auth/login')
        .send({ email: tenant.email, password: tenant.password })
        .expect(200);
      after = agentViewSchema.parse(
        (await request(harness.app).get('/api/agent').set('authorization', `Bearer ${tokens.accessToken}`).expect(200)).body,
      );
    } finally {
      harness.clock.set(realNow);
    }
    expect(after.promptPreview).toBe('You work for Panadería Sol. It is Monday 09:30 in America/Mexico_City. {{unknown}}');
    expect(after.aiReplies).toEqual({ enabled: true, reason: null });
  });

  it('updates the settings across the agent config and the business in one request', async () => {
    const response = await request(harness.app)
      .put('/api/agent')
      .set('authorization', tenant.bearer)
      .send({
        model: 'llama3.1',
        bufferSeconds: 10,
        maxBufferSeconds: 60,
        historyLimit: 8,
        handoffMinutes: 30,
        timezone: 'Europe/Madrid',
        botEnabled: false,
      })
      .expect(200);
    expect(response.body).toMatchObject({
      model: 'llama3.1',
      bufferSeconds: 10,
      maxBufferSeconds: 60,
      historyLimit: 8,
      handoffMinutes: 30,
      timezone: 'Europe/Madrid',
      botEnabled: false,
    });
    const business = await harness.database.prisma.business.findUniqueOrThrow({ where: { id: tenant.businessId }, include: { agentConfig: true } });
    expect(business).toMatchObject({ timezone: 'Europe/Madrid', botEnabled: false, agentConfig: { model: 'llama3.1', handoffMinutes: 30 } });
  });

  it.each([
    [{ bufferSeconds: 301 }, 'body.bufferSeconds'],
    [{ bufferSeconds: -1 }, 'body.bufferSeconds'],
    [{ maxBufferSeconds: 3601 }, 'body.maxBufferSeconds'],
    [{ bufferSeconds: 40, maxBufferSeconds: 20 }, 'body.maxBufferSeconds'],
    [{ maxBufferSeconds: 5 }, 'body.maxBufferSeconds'],
    [{ timezone: 'Mars/Olympus' }, 'body.timezone'],
    [{ botEnabled: 'yes' }, 'body.botEnabled'],
    [{ temperature: 2 }, 'body'],
  ])('refuses %j with 400 naming %s, and changes nothing', async (body, path) => {
    const before = await harness.database.prisma.agentConfig.findUniqueOrThrow({ where: { businessId: tenant.businessId } });
    const response = await request(harness.app).put('/api/agent').set('authorization', tenant.bearer).send(body).expect(400);
    const details = expectError(response.body, 'VALIDATION_FAILED').details as Array<{ path: string }>;
    expect(details.map((detail) => detail.path)).toContain(path);
    await expect(harness.database.prisma.agentConfig.findUniqueOrThrow({ where: { businessId: tenant.businessId } })).resolves.toEqual(before);
  });

  it('reports queue statistics for the caller’s business only', async () => {
    const response = await request(harness.app).get('/api/agent/queue-stats').set('authorization', tenant.bearer).expect(200);
    expect(response.body).toEqual({ inFlight: 1, waiting: 2, failed: 0, quarantined: 0 });
    expect(harness.queueStatsCalls.at(-1)).toBe(tenant.businessId);
  });
});

describe('tenant API: queue statistics without a provider', () => {
  it('answers 503 when the deployment has no queue statistics', async () => {
    const harness = await startTenantApiHarness({}, { queueStats: false });
    try {
      const tenant = await signUp(harness);
      const response = await request(harness.app).get('/api/agent/queue-stats').set('authorization', tenant.bearer).expect(503);
      expectError(response.body, 'UNAVAILABLE');
    } finally {
      await harness.close();
    }
  });
});
