import type { CookieOptions, Request, Response } from 'express';
import { AppError } from '@app/runtime/service';

/**
 * The browser's refresh token lives in this cookie, never in script: httpOnly (page script cannot read it, so an
 * XSS cannot take a long-lived session away), SameSite=Strict (never sent on a request another site starts),
 * Secure when the platform is served over https, and scoped to the auth routes, so no other request carries it.
 */
export const refreshCookieName = 'refresh_token';

export interface RefreshCookiePolicy {
  ttlSeconds: number;
  /** Secure even when the request arrived over http (TLS ends at an ingress in front of the platform). */
  secure: boolean;
}

/** `/api/auth` wherever the API is mounted: refresh and logout are the routes that read the cookie. */
const cookieOptions = (request: Request, policy: RefreshCookiePolicy): CookieOptions => ({
  httpOnly: true,
  secure: policy.secure || request.secure,
  sameSite: 'strict',
  path: `${request.baseUrl}/auth`,
});

export function setRefreshCookie(request: Request, response: Response, token: string, policy: RefreshCookiePolicy): void {
  response.cookie(refreshCookieName, token, { ...cookieOptions(request, policy), maxAge: policy.ttlSeconds * 1000 });
}

export function clearRefreshCookie(request: Request, response: Response, policy: RefreshCookiePolicy): void {
  response.clearCookie(refreshCookieName, cookieOptions(request, policy));
}

/** The refresh token the browser sent in its cookie, or null. */
export function refreshTokenFromCookie(request: Request): string | null {
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0 || pair.slice(0, separator).trim() !== refreshCookieName) continue;
    try {
      return decodeURIComponent(pair.slice(separator + 1).trim()) || null;
    } catch {
      // A malformed cookie is the same as none.
      return null;
    }
  }
  return null;
}

/**
 * CSRF defence for the routes that act on the cookie, besides SameSite=Strict: they answer only a JSON request, which
 * a page on another site cannot send without a CORS preflight that this API never grants (a form or a plain
 * `fetch` can only send form or text bodies).
 */
export function requireJsonRequest(request: Request): void {
  // The header itself, not `request.is()`: that one ignores the type of a request without a body.
  if ((request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json') return;
  throw new AppError('FORBIDDEN', 'A request that uses the session cookie must be sent as JSON (Content-Type: application/json).', {
    reason: 'JSON_REQUIRED',
  });
}
