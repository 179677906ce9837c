import type { AgentTestRunRequest } from '@app/domain';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentTestCaseViewSchema, agentTestRunViewSchema } from '../src/agent-tests/agent-tests.schema.ts';
import { expectError, signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

const shippingCase = {
  name: 'Envío a Madrid',
  steps: [
    {
      customer: '¿Enviáis a Madrid?',
      expect: [
        { type: 'calls_tool', tool: 'consultar_envio' },
        { type: 'does_not_mention', text: 'no enviamos' },
      ],
    },
  ],
};

describe('tenant API: agent test cases', () => {
  let harness: TenantApiHarness;
  let tenant: SignedInTenant;
  let other: SignedInTenant;
  const runs: AgentTestRunRequest[] = [];

  beforeAll(async () => {
    harness = await startTenantApiHarness(
      {},
      {
        runAgentTests: async (run) => {
          runs.push(run);
          return {
            passed: 0,
            failed: run.cases.length,
            cases: run.cases.map((testCase) => ({ id: testCase.id, name: testCase.name, passed: false, error: 'model unavailable', turns: [] })),
          };
        },
      },
    );
    tenant = await signUp(harness, { businessName: 'Panadería Sol' });
    other = await signUp(harness, { businessName: 'Otra' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('stores a case, lists it, replaces it and deletes it; names are unique per business', async () => {
    const created = agentTestCaseViewSchema.parse(
      (await request(harness.app).post('/api/agent/tests').set('authorization', tenant.bearer).send(shippingCase).expect(201)).body,
    );
    expect(created).toMatchObject(shippingCase);
    expectError(
      (await request(harness.app).post('/api/agent/tests').set('authorization', tenant.bearer).send(shippingCase).expect(409)).body,
      'CONFLICT',
    );
    // Another business may use the same name.
    await request(harness.app).post('/api/agent/tests').set('authorization', other.bearer).send(shippingCase).expect(201);

    const renamed = { ...shippingCase, name: 'Envío' };
    await request(harness.app).put(`/api/agent/tests/${created.id}`).set('authorization', tenant.bearer).send(renamed).expect(200);
    const list = await request(harness.app).get('/api/agent/tests').set('authorization', tenant.bearer).expect(200);
    expect(list.body.items.map((item: { name: string }) => item.name)).toEqual(['Envío']);

    await request(harness.app).delete(`/api/agent/tests/${created.id}`).set('authorization', tenant.bearer).expect(204);
    expect((await request(harness.app).get('/api/agent/tests').set('authorization', tenant.bearer).expect(200)).body.items).toEqual([]);
  });

  it('refuses a malformed case with the problem named, and stores nothing', async () => {
    const response = await request(harness.app)
      .post('/api/agent/tests')
      .set('authorization', tenant.bearer)
      .send({ name: 'x', steps: [{ customer: 'hola', expect: [{ type: 'sounds_friendly' }] }] })
      .expect(400);
    expect(expectError(response.body, 'VALIDATION_FAILED').details).toEqual([
      expect.objectContaining({ path: expect.stringMatching(/^body\.steps\.0\.expect\.0/) }),
    ]);
    expect((await request(harness.app).get('/api/agent/tests').set('authorization', tenant.bearer).expect(200)).body.items).toEqual([]);
  });

  it("never shows, changes or runs another business's case", async () => {
    const theirs = agentTestCaseViewSchema.parse(
      (
        await request(harness.app)
          .post('/api/agent/tests')
          .set('authorization', other.bearer)
          .send({ ...shippingCase, name: 'Suyo' })
          .expect(201)
      ).body,
    );
    await request(harness.app).put(`/api/agent/tests/${theirs.id}`).set('authorization', tenant.bearer).send(shippingCase).expect(404);
    await request(harness.app).delete(`/api/agent/tests/${theirs.id}`).set('authorization', tenant.bearer).expect(404);
    harness.aiStatus.enabled = true;
    harness.aiStatus.reason = null;
    await request(harness.app)
      .post('/api/agent/tests/run')
      .set('authorization', tenant.bearer)
      .send({ caseIds: [theirs.id] })
      .expect(404);
    expect(runs).toEqual([]);
  });

  it('runs the chosen cases with the draft settings, and says plainly when AI replies are off', async () => {
    const mine = agentTestCaseViewSchema.parse(
      (await request(harness.app).post('/api/agent/tests').set('authorization', tenant.bearer).send(shippingCase).expect(201)).body,
    );
    harness.aiStatus.enabled = true;
    harness.aiStatus.reason = null;
    const result = await request(harness.app)
      .post('/api/agent/tests/run')
      .set('authorization', tenant.bearer)
      .send({ draft: { systemPrompt: 'Eres la panadería.' } })
      .expect(200);
    expect(agentTestRunViewSchema.parse(result.body)).toMatchObject({ passed: 0, failed: 1, cases: [{ id: mine.id, error: 'model unavailable' }] });
    expect(runs).toEqual([
      {
        businessId: tenant.businessId,
        draft: { systemPrompt: 'Eres la panadería.' },
        cases: [{ id: mine.id, name: shippingCase.name, steps: shippingCase.steps }],
      },
    ]);

    harness.aiStatus.enabled = false;
    harness.aiStatus.reason = 'OPENAI_API_KEY and OPENAI_BASE_URL are not set';
    const off = await request(harness.app).post('/api/agent/tests/run').set('authorization', tenant.bearer).send({}).expect(503);
    expect(expectError(off.body, 'UNAVAILABLE').message).toContain('OPENAI_API_KEY');
  });
});
