import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

/** Checks the `dapr-api-token` header daprd sends when `dapr.io/app-token-secret` is set (APP_API_TOKEN). */
export function requireAppToken(appApiToken: string | undefined): RequestHandler {
  const expected = appApiToken ? Buffer.from(appApiToken) : undefined;
  return (request, response, next) => {
    if (!expected) return next();
    const received = Buffer.from(request.get('dapr-api-token') ?? '');
    if (received.length === expected.length && timingSafeEqual(received, expected)) return next();
    response.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'Missing or wrong dapr-api-token.', details: null } });
  };
}
