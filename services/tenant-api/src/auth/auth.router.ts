import type { Request, Router } from 'express';
import { AppError } from '@app/runtime/service';
import type { ApiServices } from '../api-services.ts';
import { parseInput } from '../http/validate.ts';
import { tenantOf } from '../http/tenant-context.ts';
import { toBusinessView, toUserView, normalizeEmail } from './account-views.ts';
import {
  forgotPasswordBodySchema,
  loginBodySchema,
  refreshBodySchema,
  registerBodySchema,
  resendVerificationBodySchema,
  resetPasswordBodySchema,
  verifyEmailQuerySchema,
} from './auth.schema.ts';
import { clearRefreshCookie, refreshTokenFromCookie, requireJsonRequest, setRefreshCookie } from './refresh-cookie.ts';
import { registerAccount } from './register-account.ts';
import { signIn } from './sign-in.ts';
import { renderVerificationPage } from './verification-page.ts';

export function registerAuthRoutes(router: Router, services: ApiServices): void {
  const { prisma, limits } = services;
  const cookiePolicy = { ttlSeconds: services.config.REFRESH_TOKEN_TTL, secure: services.config.PUBLIC_URL.startsWith('https:') };

  /** Registrations and resends cost an argon2 hash or an e-mail: one client address gets a few an hour. */
  const throttleSignups = (request: Request) => {
    const key = `client:${request.ip ?? 'unknown'}`;
    const decision = limits.signupsPerClient.check(key);
    if (!decision.allowed)
      throw new AppError('RATE_LIMITED', 'Too many requests from this address; try again later.', { retryAfterSeconds: decision.retryAfterSeconds });
    limits.signupsPerClient.hit(key);
  };

  router.post('/auth/register', async (request, response) => {
    const input = parseInput(registerBodySchema, request.body);
    throttleSignups(request);
    response.status(201).json(await registerAccount(services, input));
  });

  router.post('/auth/resend-verification', async (request, response) => {
    const email = normalizeEmail(parseInput(resendVerificationBodySchema, request.body).email);
    throttleSignups(request);
    const key = `email:${email}`;
    // Same answer whether or not the address is registered, so this cannot be used to probe for accounts.
    if (limits.verificationMailsPerEmail.check(key).allowed) {
      limits.verificationMailsPerEmail.hit(key);
      const user = await prisma.user.findUnique({ where: { email } });
      if (user && !user.emailVerifiedAt) await services.verification.sendVerification(user);
    }
    response.status(202).json({ accepted: true });
  });

  router.post('/auth/forgot-password', async (request, response) => {
    const email = normalizeEmail(parseInput(forgotPasswordBodySchema, request.body).email);
    throttleSignups(request);
    // Same answer whether or not the address has an account, so this cannot be used to probe for accounts.
    const key = `email:${email}`;
    if (limits.passwordResetsPerEmail.check(key).allowed) {
      limits.passwordResetsPerEmail.hit(key);
      await services.passwordReset.requestReset(email);
    }
    response.status(202).json({ accepted: true });
  });

  router.post('/auth/reset-password', async (request, response) => {
    const { token, password } = parseInput(resetPasswordBodySchema, request.body);
    const { email } = await services.passwordReset.reset(token, password);
    response.json({ reset: true, email });
  });

  router.get('/auth/verify-email', async (request, response) => {
    const wantsHtml = request.accepts(['json', 'html']) === 'html';
    try {
      const { token } = parseInput(verifyEmailQuerySchema, request.query, 'query');
      const { email } = await services.verification.verify(token);
      if (wantsHtml)
        response.type('html').send(renderVerificationPage({ ok: true, message: `${email} is verified. You can close this page and sign in.` }));
      else response.json({ verified: true, email });
    } catch (error) {
      // A person clicking the link in a mail client gets a page, not JSON.
      if (!wantsHtml || !(error instanceof AppError)) throw error;
      response
        .status(400)
        .type('html')
        .send(renderVerificationPage({ ok: false, message: error.message }));
    }
  });

  router.post('/auth/login', async (request, response) => {
    const { refreshTokenInBody, ...input } = parseInput(loginBodySchema, request.body);
    const { refreshToken, ...tokens } = await signIn(
      {
        prisma,
        passwords: services.passwords,
        accessTokens: services.accessTokens,
        refreshTokens: services.refreshTokens,
        failuresPerEmail: limits.loginFailuresPerEmail,
        attemptsPerClient: limits.loginAttemptsPerClient,
      },
      { ...input, clientAddress: request.ip ?? 'unknown' },
    );
    // A browser gets the refresh token only as an httpOnly cookie; an API client that asks for it gets it in the body.
    if (refreshTokenInBody) return void response.json({ ...tokens, refreshToken });
    setRefreshCookie(request, response, refreshToken, cookiePolicy);
    response.json(tokens);
  });

  router.post('/auth/refresh', async (request, response) => {
    const fromBody = parseInput(refreshBodySchema, request.body ?? {}).refreshToken;
    // The token travels back the way it came: in the body to an API client, in the cookie to a browser.
    if (fromBody) {
      const rotated = await services.refreshTokens.rotate(fromBody);
      return void response.json({ ...services.accessTokens.issue(rotated.tenant), refreshToken: rotated.refreshToken, tokenType: 'Bearer' });
    }
    requireJsonRequest(request);
    const fromCookie = refreshTokenFromCookie(request);
    if (!fromCookie) throw new AppError('UNAUTHENTICATED', 'No refresh token: sign in again.', { reason: 'TOKEN_MISSING' });
    const rotated = await services.refreshTokens.rotate(fromCookie).catch((error: unknown) => {
      // A rejected cookie (expired, revoked, reused) is dropped, so the browser stops presenting it.
      clearRefreshCookie(request, response, cookiePolicy);
      throw error;
    });
    setRefreshCookie(request, response, rotated.refreshToken, cookiePolicy);
    response.json({ ...services.accessTokens.issue(rotated.tenant), tokenType: 'Bearer' });
  });

  router.post('/auth/logout', async (request, response) => {
    const fromBody = parseInput(refreshBodySchema, request.body ?? {}).refreshToken;
    if (!fromBody) requireJsonRequest(request);
    const token = fromBody ?? refreshTokenFromCookie(request);
    if (token) await services.refreshTokens.revokeFamily(token);
    clearRefreshCookie(request, response, cookiePolicy);
    response.status(204).end();
  });

  router.get('/auth/me', services.authenticate, async (_request, response) => {
    const tenant = tenantOf(response);
    const user = await prisma.user.findFirst({ where: { id: tenant.userId, businessId: tenant.businessId }, include: { business: true } });
    if (!user) throw new AppError('UNAUTHENTICATED', 'This account no longer exists.', { reason: 'TOKEN_INVALID' });
    response.json({ user: toUserView(user), business: toBusinessView(user.business) });
  });
}
