import jwt from 'jsonwebtoken';
import { AppError } from '@app/runtime/service';
import type { TenantContext, UserRole } from '../http/tenant-context.ts';

const issuer = 'whatsapp-ai-platform';
const audience = 'tenant-api';
const roles: readonly UserRole[] = ['OWNER', 'AGENT', 'SUPER_ADMIN'];

export interface AccessTokenIssuer {
  /** Short-lived HS256 JWT with sub (user id), businessId and role. */
  issue(tenant: TenantContext): { accessToken: string; expiresIn: number };
  /** Throws UNAUTHENTICATED for a missing, malformed, expired or foreign token. */
  verify(token: string): TenantContext;
}

export function createAccessTokenIssuer(options: { secret: string; ttlSeconds: number; now: () => Date }): AccessTokenIssuer {
  const nowSeconds = () => Math.floor(options.now().getTime() / 1000);
  return {
    issue(tenant) {
      // iat from the injected clock: exp is computed from it, so tests can move time without sleeping.
      const claims = { businessId: tenant.businessId, role: tenant.role, iat: nowSeconds() };
      const accessToken = jwt.sign(claims, options.secret, {
        algorithm: 'HS256',
        subject: tenant.userId,
        issuer,
        audience,
        expiresIn: options.ttlSeconds,
      });
      return { accessToken, expiresIn: options.ttlSeconds };
    },
    verify(token) {
      let payload: jwt.JwtPayload | string;
      try {
        payload = jwt.verify(token, options.secret, { algorithms: ['HS256'], issuer, audience, clockTimestamp: nowSeconds() });
      } catch (error) {
        const expired = error instanceof jwt.TokenExpiredError;
        throw new AppError('UNAUTHENTICATED', expired ? 'The access token has expired.' : 'The access token is invalid.', {
          reason: expired ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID',
        });
      }
      if (typeof payload === 'string' || !payload.sub || typeof payload['businessId'] !== 'string' || !roles.includes(payload['role'])) {
        throw new AppError('UNAUTHENTICATED', 'The access token is invalid.', { reason: 'TOKEN_INVALID' });
      }
      return { userId: payload.sub, businessId: payload['businessId'], role: payload['role'] as UserRole };
    },
  };
}
