import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTenantApiHarness, type TenantApiHarness } from './tenant-api-harness.ts';

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<
    string,
    Record<string, { operationId: string; security: unknown[]; parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown> }>
  >;
  components: { schemas: Record<string, unknown> };
}

describe('tenant API: OpenAPI document', () => {
  let harness: TenantApiHarness;
  let document: OpenApiDocument;

  beforeAll(async () => {
    harness = await startTenantApiHarness();
    document = (await request(harness.app).get('/api/openapi.json').expect(200).expect('content-type', /json/)).body;
  });
  afterAll(async () => {
    await harness?.close();
  });

  /** What express will actually serve, read from the router itself. */
  const registeredRoutes = () =>
    (harness.router.stack as RouteLayer[])
      .filter((layer) => layer.route)
      .flatMap((layer) => Object.keys(layer.route!.methods).map((method) => `${method} ${layer.route!.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`))
      .sort();

  const documentedRoutes = () =>
    Object.entries(document.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`))
      .sort();

  it('documents every registered route, and nothing that is not served', () => {
    const registered = registeredRoutes();
    expect(registered.length).toBeGreaterThanOrEqual(20);
    expect(documentedRoutes()).toEqual(registered);
  });

  it('is OpenAPI 3.1 with operation ids, path parameters, auth and the error shape on every operation', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.schemas['Error']).toMatchObject({ required: ['error'] });
    const operationIds = new Set<string>();
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        operationIds.add(operation.operationId);
        const pathParameters = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]).sort();
        const declared = (operation.parameters ?? [])
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => parameter.name)
          .sort();
        expect(declared, `${method} ${path} path parameters`).toEqual(pathParameters);
        const statuses = Object.keys(operation.responses);
        expect(
          statuses.some((status) => status.startsWith('2')),
          `${method} ${path} success`,
        ).toBe(true);
        if (operation.security.length > 0) {
          expect(operation.responses['401'], `${method} ${path} 401`).toEqual({
            description: expect.any(String),
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          });
        }
      }
    }
    expect(operationIds.size).toBe(documentedRoutes().length);
  });

  it('carries request schemas generated from the validating zod schemas', () => {
    const register = document.paths['/auth/register']!['post'] as unknown as {
      requestBody: { content: { 'application/json': { schema: { required: string[]; properties: Record<string, { minLength?: number }> } } } };
    };
    const schema = register.requestBody.content['application/json'].schema;
    expect(schema.required.sort()).toEqual(['businessName', 'email', 'password']);
    expect(schema.properties['password']!.minLength).toBe(8);
    const instances = JSON.stringify(document.paths['/instances']!['post']);
    expect(instances).toContain('"META"');
    expect(instances).toContain('"SANDBOX"');
    expect(JSON.stringify(document.paths['/conversations/{id}/messages']!['post'])).toContain('Idempotency-Key');
  });

  it('names the limits a creation or a session start can hit, with their details', () => {
    const responses = (path: string, method: string) => document.paths[path]![method]!.responses as Record<string, { description: string }>;
    const create = responses('/instances', 'post');
    expect(create['403']!.description).toContain('INSTANCE_LIMIT_REACHED');
    expect(create['403']!.description).toContain('whatsappWebInstancesPerBusiness');
    expect(create['409']!.description).toContain('PLATFORM_CAPACITY_REACHED');
    expect(responses('/instances/{id}/session/restart', 'post')['409']!.description).toContain('PLATFORM_CAPACITY_REACHED');
    expect(Object.keys(create).sort()).toEqual(['201', '400', '401', '403', '409']);
  });
});
