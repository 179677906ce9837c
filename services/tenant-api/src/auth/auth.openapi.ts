import type { RouteDoc } from '../openapi/route-doc.ts';
import {
  acceptedResponseSchema,
  loginBodySchema,
  meResponseSchema,
  refreshBodySchema,
  registerBodySchema,
  registerResponseSchema,
  resendVerificationBodySchema,
  tokenPairSchema,
  verifyEmailQuerySchema,
  verifyEmailResponseSchema,
} from './auth.schema.ts';

const tag = 'auth';

export const authRouteDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/auth/register',
    tag,
    authenticated: false,
    summary: 'Create a business and its owner; sends the verification e-mail',
    body: registerBodySchema,
    success: { status: 201, description: 'Registered; the e-mail address is not verified yet.', schema: registerResponseSchema },
    errors: [400, 409],
  },
  {
    method: 'post',
    path: '/auth/resend-verification',
    tag,
    authenticated: false,
    summary: 'Send a new verification link (same answer whether or not the address is registered)',
    body: resendVerificationBodySchema,
    success: { status: 202, description: 'Accepted.', schema: acceptedResponseSchema },
    errors: [400],
  },
  {
    method: 'get',
    path: '/auth/verify-email',
    tag,
    authenticated: false,
    summary: 'Verify the e-mail address with the single-use link (JSON, or an HTML page for Accept: text/html)',
    description: 'Failures are 400 VALIDATION_FAILED with details.reason TOKEN_INVALID, TOKEN_EXPIRED or TOKEN_USED.',
    query: verifyEmailQuerySchema,
    success: { status: 200, description: 'Verified.', schema: verifyEmailResponseSchema, html: true },
    errors: [400],
  },
  {
    method: 'post',
    path: '/auth/login',
    tag,
    authenticated: false,
    summary: 'Sign in with e-mail and password',
    description:
      'Returns the access token (Bearer, short-lived). The refresh token is set as the httpOnly, SameSite=Strict cookie refresh_token (Path=/api/auth; Secure when PUBLIC_URL is https), so page script never sees it; an API client that sends refreshTokenInBody: true gets it in the body instead and no cookie. Wrong credentials: 401 with details.reason INVALID_CREDENTIALS. Too many attempts: 429 with Retry-After.',
    body: loginBodySchema,
    success: { status: 200, description: 'Tokens.', schema: tokenPairSchema },
    errors: [400, 401, 429],
  },
  {
    method: 'post',
    path: '/auth/refresh',
    tag,
    authenticated: false,
    summary: 'Rotate a refresh token: the old one is revoked, a new pair is issued',
    description:
      'With refreshToken in the body (API clients) the new refresh token comes back in the body. Without it, the refresh_token cookie is rotated (a browser): the request must be JSON (Content-Type: application/json; otherwise 403 with details.reason JSON_REQUIRED), the new token is set as the cookie and the body has only the access token; no cookie is 401 TOKEN_MISSING, and a rejected cookie is cleared. A refresh token used twice revokes its whole family: 401 with details.reason TOKEN_REUSED.',
    body: refreshBodySchema,
    success: { status: 200, description: 'New tokens.', schema: tokenPairSchema },
    errors: [400, 401, 403],
  },
  {
    method: 'post',
    path: '/auth/logout',
    tag,
    authenticated: false,
    summary: 'Revoke the refresh token and every token rotated from the same sign-in',
    description:
      'The token in the body, or else the refresh_token cookie (then the request must be JSON: 403 JSON_REQUIRED otherwise). The cookie is cleared.',
    body: refreshBodySchema,
    success: { status: 204, description: 'Signed out.' },
    errors: [400, 403],
  },
  {
    method: 'get',
    path: '/auth/me',
    tag,
    authenticated: true,
    summary: 'The signed-in user and business',
    success: { status: 200, description: 'The user and business.', schema: meResponseSchema },
    errors: [401],
  },
];
