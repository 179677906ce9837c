import type { Router } from 'express';
import { AppError } from '@app/runtime/service';
import type { ApiServices } from '../api-services.ts';
import { parseInput } from '../http/validate.ts';
import { tenantOf } from '../http/tenant-context.ts';
import { toBusinessView, toUserView, normalizeEmail } from './account-views.ts';
import {
  loginBodySchema,
  refreshBodySchema,
  registerBodySchema,
  resendVerificationBodySchema,
  verifyEmailQuerySchema,
} from './auth.schema.ts';
import { registerAccount } from './register-account.ts';
import { signIn } from './sign-in.ts';
import { renderVerificationPage } from './verification-page.ts';

export function registerAuthRoutes(router: Router, services: ApiServices): void {
  const { prisma, limits } = services;

  router.post('/auth/register', async (request, response) => {
    const input = parseInput(registerBodySchema, request.body);
    response.status(201).json(await registerAccount(services, input));
  });

  router.post('/auth/resend-verification', async (request, response) => {
    const email = normalizeEmail(parseInput(resendVerificationBodySchema, request.body).email);
    const key = `email:${email}`;
    // Same answer whether or not the address is registered, so this cannot be used to probe for accounts.
    if (limits.verificationMailsPerEmail.check(key).allowed) {
      limits.verificationMailsPerEmail.hit(key);
      const user = await prisma.user.findUnique({ where: { email } });
      if (user && !user.emailVerifiedAt) await services.verification.sendVerification(user);
    }
    response.status(202).json({ accepted: true });
  });

  router.get('/auth/verify-email', async (request, response) => {
    const wantsHtml = request.accepts(['json', 'html']) === 'html';
    try {
      const { token } = parseInput(verifyEmailQuerySchema, request.query, 'query');
      const { email } = await services.verification.verify(token);
      if (wantsHtml) response.type('html').send(renderVerificationPage({ ok: true, message: `${email} is verified. You can close this page and sign in.` }));
      else response.json({ verified: true, email });
    } catch (error) {
      // A person clicking the link in a mail client gets a page, not JSON.
      if (!wantsHtml || !(error instanceof AppError)) throw error;
      response.status(400).type('html').send(renderVerificationPage({ ok: false, message: error.message }));
    }
  });

  router.post('/auth/login', async (request, response) => {
    const input = parseInput(loginBodySchema, request.body);
    const tokens = await signIn(
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
    response.json(tokens);
  });

  router.post('/auth/refresh', async (request, response) => {
    const { refreshToken } = parseInput(refreshBodySchema, request.body);
    const rotated = await services.refreshTokens.rotate(refreshToken);
    const { accessToken, expiresIn } = services.accessTokens.issue(rotated.tenant);
    response.json({ accessToken, refreshToken: rotated.refreshToken, tokenType: 'Bearer', expiresIn });
  });

  router.post('/auth/logout', async (request, response) => {
    const { refreshToken } = parseInput(refreshBodySchema, request.body);
    await services.refreshTokens.revokeFamily(refreshToken);
    response.status(204).end();
  });

  router.get('/auth/me', services.authenticate, async (_request, response) => {
    const tenant = tenantOf(response);
    const user = await prisma.user.findFirst({ where: { id: tenant.userId, businessId: tenant.businessId }, include: { business: true } });
    if (!user) throw new AppError('UNAUTHENTICATED', 'This account no longer exists.', { reason: 'TOKEN_INVALID' });
    response.json({ user: toUserView(user), business: toBusinessView(user.business) });
  });
}
