import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '@app/db';
import { openHttpToolHeaders } from '@app/runtime/providers';
import { createAccessTokenIssuer } from '../src/auth/access-tokens.ts';
import { httpToolListSchema, httpToolTestResultSchema, httpToolViewSchema } from '../src/http-tools/http-tools.schema.ts';
import { expectError, signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

const secret = 'n8n-header-secret-0123456789';

describe('tenant API: HTTP tools', () => {
  let harness: TenantApiHarness;
  let owner: SignedInTenant;
  let other: SignedInTenant;
  let target: Server;
  let targetUrl: string;
  const received: Array<{ url: string; headers: IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    // A local n8n stand-in: answers JSON on /webhook/*, 500 on /fails.
    target = createServer((incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ url: incoming.url ?? '', headers: incoming.headers, body });
        if (incoming.url === '/fails') return void response.writeHead(500).end('workflow failed');
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ status: 'shipped', got: JSON.parse(body) }));
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    harness = await startTenantApiHarness({ HTTP_TOOLS_ALLOW_HTTP: 'true', HTTP_TOOLS_ALLOW_LIST: '127.0.0.1' });
    [owner, other] = await Promise.all([signUp(harness), signUp(harness, { businessName: 'Panadería "Sol"' })]);
  });

  afterAll(async () => {
    await harness?.close();
    await new Promise((resolve) => target?.close(resolve));
  });

  const api = () => request(harness.app);
  const orderTool = (overrides: Record<string, unknown> = {}) => ({
    name: 'consultar_pedido',
    description: 'Looks up an order by its number.',
    parameters: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] },
    url: `${targetUrl}/webhook/orders`,
    headers: [{ name: 'X-N8n-Key', value: secret }],
    bodyTemplate: '{"order": "{{order}}", "phone": "{{contact.phone}}", "shop": "{{business.name}}"}',
    ...overrides,
  });
  const create = async (tenant: SignedInTenant, body: Record<string, unknown>) =>
    httpToolViewSchema.parse((await api().post('/api/agent/http-tools').set('authorization', tenant.bearer).send(body).expect(201)).body);
  const countTools = (tenant: SignedInTenant) => harness.database.prisma.httpTool.count({ where: { businessId: tenant.businessId } });

  it('stores a tool with its header value encrypted, and never returns the value', async () => {
    const tool = await create(owner, orderTool());
    expect(tool).toMatchObject({
      name: 'consultar_pedido',
      method: 'POST',
      timeoutMs: 10_000,
      active: true,
      headers: [{ name: 'X-N8n-Key', set: true }],
    });

    const list = await api().get('/api/agent/http-tools').set('authorization', owner.bearer).expect(200);
    const one = await api().get(`/api/agent/http-tools/${tool.id}`).set('authorization', owner.bearer).expect(200);
    expect(httpToolListSchema.parse(list.body).items.map((item) => item.id)).toEqual([tool.id]);
    for (const body of [list.text, one.text]) expect(body).not.toContain(secret);

    const row = await harness.database.prisma.httpTool.findUniqueOrThrow({ where: { id: tool.id } });
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(openHttpToolHeaders(SecretBox.fromCredentialsKey(harness.credentialsKey), tool.id, row.encryptedHeaders)).toEqual({ 'X-N8n-Key': secret });
  });

  it('refuses invalid tools with the problems listed, storing nothing', async () => {
    const before = await countTools(owner);
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ name: 'has space' }, ['body.name']],
      [{ parameters: { type: 'string' } }, ['body.parameters.type']],
      [
        { parameters: { type: 'object', properties: { a: { type: 'text' } }, required: ['b'] } },
        ['body.parameters.properties.a.type', 'body.parameters.required'],
      ],
      [{ bodyTemplate: '{"order": {{order}' }, ['body.bodyTemplate']],
      [{ bodyTemplate: '{"x": "{{ordr}}"}' }, ['body.bodyTemplate']],
      [{ url: 'ftp://example.com/x' }, ['body.url']],
      [{ timeoutMs: 60_000 }, ['body.timeoutMs']],
      [{ headers: [{ name: 'Host', value: 'x' }] }, ['body.headers.0.name']],
      [{ headers: [{ name: 'X-A', value: 'a\r\nInjected: 1' }] }, ['body.headers.0.value']],
      [{ method: 'GET' }, ['body.method']],
    ];
    for (const [override, paths] of cases) {
      const response = await api()
        .post('/api/agent/http-tools')
        .set('authorization', owner.bearer)
        .send(orderTool({ name: 'other_tool', ...override }))
        .expect(400);
      const details = expectError(response.body, 'VALIDATION_FAILED').details as Array<{ path: string }>;
      expect([...new Set(details.map((detail) => detail.path))].sort(), JSON.stringify(override)).toEqual(paths);
    }
    await expect(countTools(owner)).resolves.toBe(before);
  });

  it('keeps names unique per business, not across businesses', async () => {
    const response = await api().post('/api/agent/http-tools').set('authorization', owner.bearer).send(orderTool()).expect(409);
    expectError(response.body, 'CONFLICT');
    await create(other, orderTool());
  });

  it('hides each business’s tools from the others', async () => {
    const mine = await create(owner, orderTool({ name: 'isolated_tool' }));
    const list = await api().get('/api/agent/http-tools').set('authorization', other.bearer).expect(200);
    expect(httpToolListSchema.parse(list.body).items.map((item) => item.id)).not.toContain(mine.id);
    await api().get(`/api/agent/http-tools/${mine.id}`).set('authorization', other.bearer).expect(404);
    await api().patch(`/api/agent/http-tools/${mine.id}`).set('authorization', other.bearer).send({ active: false }).expect(404);
    await api().post(`/api/agent/http-tools/${mine.id}/test`).set('authorization', other.bearer).send({}).expect(404);
    await api().delete(`/api/agent/http-tools/${mine.id}`).set('authorization', other.bearer).expect(404);
    const row = await harness.database.prisma.httpTool.findUniqueOrThrow({ where: { id: mine.id } });
    expect(row.active).toBe(true);
  });

  it('updates fields, keeping a header value that is not given again', async () => {
    const tool = await create(owner, orderTool({ name: 'patched_tool' }));
    const patched = await api()
      .patch(`/api/agent/http-tools/${tool.id}`)
      .set('authorization', owner.bearer)
      .send({ timeoutMs: 5_000, active: false, headers: [{ name: 'X-N8n-Key' }, { name: 'Authorization', value: 'Bearer abc' }] })
      .expect(200);
    expect(httpToolViewSchema.parse(patched.body)).toMatchObject({
      timeoutMs: 5_000,
      active: false,
      headers: [{ name: 'X-N8n-Key' }, { name: 'Authorization' }],
    });
    const row = await harness.database.prisma.httpTool.findUniqueOrThrow({ where: { id: tool.id } });
    expect(openHttpToolHeaders(SecretBox.fromCredentialsKey(harness.credentialsKey), tool.id, row.encryptedHeaders)).toEqual({
      'X-N8n-Key': secret,
      Authorization: 'Bearer abc',
    });

    const newWithoutValue = await api()
      .patch(`/api/agent/http-tools/${tool.id}`)
      .set('authorization', owner.bearer)
      .send({ headers: [{ name: 'X-New' }] })
      .expect(400);
    expect(expectError(newWithoutValue.body, 'VALIDATION_FAILED').details).toEqual([
      { path: 'body.headers.0.value', message: 'is required for a new header' },
    ]);
    // The template is checked against the parameters the tool will have after the change.
    const dropped = await api()
      .patch(`/api/agent/http-tools/${tool.id}`)
      .set('authorization', owner.bearer)
      .send({ parameters: { type: 'object', properties: {} } })
      .expect(400);
    expect((expectError(dropped.body, 'VALIDATION_FAILED').details as Array<{ path: string }>)[0]!.path).toBe('body.bodyTemplate');
    expect((await harness.database.prisma.httpTool.findUniqueOrThrow({ where: { id: tool.id } })).updatedAt).toEqual(row.updatedAt);
  });

  it('tests a tool: sends the filled template with the secret and an idempotency key, shows it redacted with the answer', async () => {
    const tool = await create(owner, orderTool({ name: 'tested_tool' }));
    const response = await api()
      .post(`/api/agent/http-tools/${tool.id}/test`)
      .set('authorization', owner.bearer)
      .send({ arguments: { order: 'A-17' }, contact: { phone: '+34600111222' } })
      .expect(200);
    const result = httpToolTestResultSchema.parse(response.body);
    expect(response.text).not.toContain(secret);
    const sentBody = { order: 'A-17', phone: '+34600111222', shop: expect.stringMatching(/^Business/) };
    expect(result.request).toMatchObject({
      method: 'POST',
      url: tool.url,
      headers: { 'X-N8n-Key': '[redacted]', 'Idempotency-Key': expect.stringMatching(/^test:/) },
    });
    expect(JSON.parse(result.request.body)).toEqual(sentBody);
    expect(result.response).toMatchObject({ ok: true, status: 200, body: { status: 'shipped', got: sentBody }, error: null });
    const arrived = received.at(-1)!;
    expect(arrived.url).toBe('/webhook/orders');
    expect(arrived.headers).toMatchObject({ 'x-n8n-key': secret, 'idempotency-key': result.request.headers['Idempotency-Key'] });
  });

  it('writes a business name with quotes JSON-escaped', async () => {
    const tool = await create(other, orderTool({ name: 'quoted_tool', bodyTemplate: '{"shop": "Tienda {{business.name}}"}' }));
    const response = await api().post(`/api/agent/http-tools/${tool.id}/test`).set('authorization', other.bearer).send({}).expect(200);
    expect(JSON.parse(httpToolTestResultSchema.parse(response.body).request.body)).toEqual({ shop: 'Tienda Panadería "Sol"' });
  });

  it('lists the variables a test leaves without a value, and sends nothing', async () => {
    const tool = await create(owner, orderTool({ name: 'missing_vars_tool' }));
    const before = received.length;
    const response = await api().post(`/api/agent/http-tools/${tool.id}/test`).set('authorization', owner.bearer).send({ arguments: {} }).expect(400);
    expect(expectError(response.body, 'VALIDATION_FAILED').details).toEqual([
      { path: 'body.arguments.order', message: '{{order}} has no value' },
      { path: 'body.contact.phone', message: '{{contact.phone}} has no value' },
    ]);
    expect(received.length).toBe(before);
  });

  it('reports a failed call in the test result: non-2xx, and an address the guard refuses', async () => {
    const failing = await create(owner, orderTool({ name: 'failing_tool', url: `${targetUrl}/fails`, bodyTemplate: null }));
    const failed = await api()
      .post(`/api/agent/http-tools/${failing.id}/test`)
      .set('authorization', owner.bearer)
      .send({ arguments: { order: 'x' } })
      .expect(200);
    expect(httpToolTestResultSchema.parse(failed.body).response).toMatchObject({
      ok: false,
      status: 500,
      error: 'HTTP 500',
      snippet: 'workflow failed',
    });

    const metadata = await create(owner, orderTool({ name: 'metadata_tool', url: 'http://169.254.169.254/latest/meta-data/', bodyTemplate: null }));
    const refused = await api()
      .post(`/api/agent/http-tools/${metadata.id}/test`)
      .set('authorization', owner.bearer)
      .send({ arguments: {} })
      .expect(200);
    expect(httpToolTestResultSchema.parse(refused.body).response).toMatchObject({
      ok: false,
      status: null,
      error: expect.stringContaining('metadata address'),
    });
  });

  it('lets agents read tools but not change or test them', async () => {
    const agentBearer = `Bearer ${
      createAccessTokenIssuer({ secret: harness.config.JWT_SECRET!, ttlSeconds: 300, now: () => harness.clock.now() }).issue({
        businessId: owner.businessId,
        userId: owner.userId,
        role: 'AGENT',
      }).accessToken
    }`;
    const tool = await create(owner, orderTool({ name: 'owner_only_tool' }));
    await api().get('/api/agent/http-tools').set('authorization', agentBearer).expect(200);
    expectError(
      (
        await api()
          .post('/api/agent/http-tools')
          .set('authorization', agentBearer)
          .send(orderTool({ name: 'agent_tool' }))
          .expect(403)
      ).body,
      'FORBIDDEN',
    );
    await api().patch(`/api/agent/http-tools/${tool.id}`).set('authorization', agentBearer).send({ active: false }).expect(403);
    await api().post(`/api/agent/http-tools/${tool.id}/test`).set('authorization', agentBearer).send({}).expect(403);
    await api().delete(`/api/agent/http-tools/${tool.id}`).set('authorization', agentBearer).expect(403);
  });

  it('deletes a tool', async () => {
    const tool = await create(owner, orderTool({ name: 'deleted_tool' }));
    await api().delete(`/api/agent/http-tools/${tool.id}`).set('authorization', owner.bearer).expect(204);
    await api().get(`/api/agent/http-tools/${tool.id}`).set('authorization', owner.bearer).expect(404);
    await api().delete(`/api/agent/http-tools/${tool.id}`).set('authorization', owner.bearer).expect(404);
  });
});
