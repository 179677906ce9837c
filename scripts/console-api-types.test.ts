import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { consoleApiTypesPath, renderApiTypes, tenantApiDocument } from './console-api-types.ts';

describe("the console's API types", () => {
  it("match the tenant API's OpenAPI document (run `npm run console:api-types` after an API change)", () => {
    expect(readFileSync(consoleApiTypesPath, 'utf8')).toBe(renderApiTypes(tenantApiDocument()));
  });

  it('render nullable fields, enums, unions and references as TypeScript', () => {
    const rendered = renderApiTypes({
      paths: {
        '/things': {
          post: {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: {
                    oneOf: [
                      { type: 'object', properties: { kind: { const: 'A' } }, required: ['kind'] },
                      { type: 'string', enum: ['x', 'y'] },
                    ],
                  },
                },
              },
            },
            responses: {
              '200': {
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      properties: { name: { type: ['string', 'null'] }, tags: { type: 'array', items: { type: 'integer' } } },
                      required: ['name'],
                    },
                  },
                },
              },
              '404': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
            },
          },
        },
      },
      components: { schemas: { Error: { type: 'object', additionalProperties: { type: 'string' } } } },
    });
    expect(rendered).toContain(`requestBody: { content: { 'application/json': {\n        "kind": "A";\n      } | "x" | "y" } };`);
    expect(rendered).toContain('"name": string | null;');
    expect(rendered).toContain('"tags"?: Array<number>;');
    expect(rendered).toContain(`404: { content: { 'application/json': components['schemas']["Error"] } };`);
    expect(rendered).toContain('Error: Record<string, string>;');
  });
});
