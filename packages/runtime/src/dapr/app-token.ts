import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

export interface HandshakeGuard {
  logger: Logger;
  /** Told of each handshake, accepted or refused (the service turns a refusal into a failing readiness check). */
  onHandshake?: (path: string, accepted: boolean) => void;
}

/**
 * Checks the `dapr-api-token` header daprd sends when `dapr.io/app-token-secret` is set (APP_API_TOKEN). On the
 * handshake routes (`/dapr/config`, `/dapr/subscribe`) a refusal is logged as an error and reported: daprd reads a
 * 401 there as "no actors" or "no subscriptions" and carries on, so a token mismatch would otherwise only show as
 * messages that never arrive.
 */
export function requireAppToken(appApiToken: string | undefined, handshake?: HandshakeGuard): RequestHandler {
  const expected = appApiToken ? Buffer.from(appApiToken) : undefined;
  return (request, response, next) => {
    const received = Buffer.from(request.get('dapr-api-token') ?? '');
    if (!expected || (received.length === expected.length && timingSafeEqual(received, expected))) {
      handshake?.onHandshake?.(request.path, true);
      return next();
    }
    if (handshake) {
      handshake.logger.error(
        { event: 'dapr.handshake_rejected', path: request.path, tokenSent: received.length > 0 },
        `daprd called ${request.path} without the app token (APP_API_TOKEN must match dapr.io/app-token-secret): it will not route anything here`,
      );
      handshake.onHandshake?.(request.path, false);
    }
    response.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'Missing or wrong dapr-api-token.', details: null } });
  };
}
