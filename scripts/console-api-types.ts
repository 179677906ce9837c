import { buildOpenApiDocument } from '../services/tenant-api/src/openapi/openapi-document.ts';
import { tenantApiRouteDocs } from '../services/tenant-api/src/openapi/openapi.router.ts';

/** Where the console keeps the TypeScript view of the tenant API's OpenAPI document. */
export const consoleApiTypesPath = 'console-angular/src/app/core/api/api-types.generated.ts';

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  $ref?: string;
  description?: string;
};
type Operation = {
  requestBody?: { required?: boolean; content?: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
};
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** The document exactly as GET /api/openapi.json serves it. */
export function tenantApiDocument(): OpenApiDocument {
  return buildOpenApiDocument(tenantApiRouteDocs, { title: 'Tenant API', version: '0.1.0', serverUrl: '/api' }) as unknown as OpenApiDocument;
}

/**
 * Renders the OpenAPI document as TypeScript (`paths` and `components` interfaces shaped like openapi-typescript's,
 * whose current release does not accept TypeScript 6). Deterministic, so a test can compare it with the file.
 */
export function renderApiTypes(document: OpenApiDocument): string {
  const lines = [
    "// Generated from the tenant API's OpenAPI document by `npm run console:api-types`. Do not edit by hand:",
    '// scripts/console-api-types.test.ts fails when this file and the API drift apart.',
    '/* eslint-disable */',
    '',
    'export interface paths {',
  ];
  for (const [path, operations] of Object.entries(document.paths)) {
    lines.push(`  ${JSON.stringify(path)}: {`);
    for (const [method, operation] of Object.entries(operations)) {
      lines.push(`    ${method}: {`);
      const body = operation.requestBody?.content?.['application/json']?.schema;
      if (body)
        lines.push(`      requestBody${operation.requestBody?.required ? '' : '?'}: { content: { 'application/json': ${render(body, 6)} } };`);
      lines.push('      responses: {');
      for (const [status, response] of Object.entries(operation.responses)) {
        const schema = response.content?.['application/json']?.schema;
        lines.push(`        ${status}: ${schema ? `{ content: { 'application/json': ${render(schema, 8)} } }` : '{ content?: never }'};`);
      }
      lines.push('      };', '    };');
    }
    lines.push('  };');
  }
  lines.push('}', '', 'export interface components {', '  schemas: {');
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) lines.push(`    ${name}: ${render(schema, 4)};`);
  lines.push('  };', '}', '');
  return lines.join('\n');
}

function render(schema: JsonSchema, indent: number): string {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return `components['schemas'][${JSON.stringify(name)}]`;
  }
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return alternatives.map((alternative) => render(alternative, indent)).join(' | ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 0) return 'unknown';
  return types.map((type) => renderType(type, schema, indent)).join(' | ');
}

function renderType(type: string, schema: JsonSchema, indent: number): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `Array<${schema.items ? render(schema.items, indent) : 'unknown'}>`;
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      if (properties.length === 0) {
        const values = typeof schema.additionalProperties === 'object' ? render(schema.additionalProperties, indent) : 'unknown';
        return `Record<string, ${values}>`;
      }
      const pad = ' '.repeat(indent + 2);
      const required = new Set(schema.required ?? []);
      const members = properties.map(
        ([name, property]) => `${pad}${JSON.stringify(name)}${required.has(name) ? '' : '?'}: ${render(property, indent + 2)};`,
      );
      return `{\n${members.join('\n')}\n${' '.repeat(indent)}}`;
    }
    default:
      return 'unknown';
  }
}
