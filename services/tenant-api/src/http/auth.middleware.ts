import type { RequestHandler } from 'express';
import { AppError } from '@app/runtime/service';
import type { AccessTokenIssuer } from '../auth/access-tokens.ts';
import { setTenantContext } from './tenant-context.ts';

/** Bearer JWT → tenant context on the response; anything else → 401 before the route runs. */
export function requireAuthentication(tokens: AccessTokenIssuer): RequestHandler {
  return (request, response, next) => {
    const header = request.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError('UNAUTHENTICATED', 'Send an access token as "Authorization: Bearer <token>".', { reason: 'TOKEN_MISSING' });
    setTenantContext(response, tokens.verify(match[1]!));
    next();
  };
}
