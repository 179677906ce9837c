import { z } from 'zod';
import type { RouteDoc } from './route-doc.ts';

type JsonSchema = Record<string, unknown>;

const errorDescriptions: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED); details lists each problem as {path, message}, or names a reason.',
  401: 'Not signed in, or the token is invalid or expired (UNAUTHENTICATED); details.reason says which.',
  403: 'Not allowed (FORBIDDEN, EMAIL_NOT_VERIFIED, INSTANCE_LIMIT_REACHED).',
  404: 'Not found, or belongs to another business (NOT_FOUND).',
  409: 'Conflicts with existing data (CONFLICT).',
  413: 'The body or file is larger than allowed (PAYLOAD_TOO_LARGE); details.maxBytes says how large it may be.',
  415: 'The type of the content is not accepted (UNSUPPORTED_MEDIA_TYPE).',
  422: 'Cannot be done in the current state (WINDOW_CLOSED).',
  429: 'Too many attempts (RATE_LIMITED); see Retry-After and details.retryAfterSeconds.',
  503: 'Not available in this deployment (UNAVAILABLE).',
};

const errorSchema: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: {
          type: 'string',
          examples: [
            'VALIDATION_FAILED',
            'UNAUTHENTICATED',
            'EMAIL_NOT_VERIFIED',
            'INSTANCE_LIMIT_REACHED',
            'NOT_FOUND',
            'CONFLICT',
            'PLATFORM_CAPACITY_REACHED',
            'WINDOW_CLOSED',
            'RATE_LIMITED',
            'PAYLOAD_TOO_LARGE',
            'UNSUPPORTED_MEDIA_TYPE',
          ],
        },
        message: { type: 'string', description: 'For people; may change.' },
        details: { description: 'For programs: validation problems [{path, message}], or {reason, …}; null when there is nothing to add.' },
        errorId: { type: 'string', description: 'Only on 500: the id under which the error was logged.' },
      },
    },
  },
};

/** OpenAPI 3.1 from the route docs; the JSON Schemas come from the same zod schemas that validate the requests. */
export function buildOpenApiDocument(routes: RouteDoc[], info: { title: string; version: string; serverUrl: string }): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: info.title,
      version: info.version,
      description: 'Tenant API of the WhatsApp AI platform. Every error is {"error":{"code","message","details"}}.',
    },
    servers: [{ url: info.serverUrl }],
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: errorSchema },
    },
  };
}

function operation(route: RouteDoc): JsonSchema {
  const parameters = [
    ...parametersOf(route.params, 'path'),
    ...parametersOf(route.query, 'query'),
    ...(route.headers ?? []).map((header) => ({
      name: header.name,
      in: 'header',
      required: false,
      description: header.description,
      schema: { type: 'string' },
    })),
  ];
  const responses: Record<string, unknown> = { [String(route.success.status)]: successResponse(route, route.success.description) };
  for (const other of route.success.also ?? []) responses[String(other.status)] = successResponse(route, other.description);
  const described = new Map(route.errors.map((error) => (typeof error === 'number' ? [error, undefined] : [error.status, error.description])));
  if (route.authenticated && !described.has(401)) described.set(401, undefined);
  for (const [status, description] of [...described].sort(([left], [right]) => left - right)) {
    responses[String(status)] = {
      description: description ?? errorDescriptions[status] ?? 'Error.',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  return {
    operationId: operationId(route),
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.authenticated ? { security: [{ bearerAuth: [] }] } : { security: [] }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? { requestBody: { required: true, content: { [route.bodyContentType ?? 'application/json']: { schema: jsonSchema(route.body, 'input') } } } }
      : {}),
    ...(route.multipart ? { requestBody: { required: true, content: { 'multipart/form-data': { schema: multipartSchema(route.multipart) } } } } : {}),
    responses,
  };
}

function successResponse(route: RouteDoc, description: string): JsonSchema {
  const { schema, html, eventStream, binary } = route.success;
  if (binary) return { description, content: { '*/*': { schema: { type: 'string', format: 'binary' } } } };
  if (!schema) return { description };
  if (eventStream) return { description, content: { 'text/event-stream': { schema: jsonSchema(schema, 'output') } } };
  const content: Record<string, unknown> = { 'application/json': { schema: jsonSchema(schema, 'output') } };
  if (html) content['text/html'] = { schema: { type: 'string' } };
  return { description, content };
}

function multipartSchema(multipart: NonNullable<RouteDoc['multipart']>): JsonSchema {
  const fields = jsonSchema(multipart.fields, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return {
    type: 'object',
    required: [multipart.file.name, ...(fields.required ?? [])],
    properties: {
      [multipart.file.name]: { type: 'string', format: 'binary', description: multipart.file.description },
      ...fields.properties,
    },
  };
}

function parametersOf(schema: z.ZodObject | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: location,
      required: location === 'path' || (object.required ?? []).includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: propertySchema,
    };
  });
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

function operationId(route: RouteDoc): string {
  const words = route.path
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith(':') ? `by-${segment.slice(1)}` : segment));
  return [route.method, ...words].join('-').replace(/[^A-Za-z0-9]+([A-Za-z0-9])/g, (_match, next: string) => next.toUpperCase());
}
