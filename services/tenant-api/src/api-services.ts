import type { RequestHandler } from 'express';
import { SecretBox } from '@app/db';
import { parseModelAllowList, type ModelAllowList } from '@app/domain';
import { directHttpToolCallerFromSettings, type HttpToolCaller } from '@app/runtime/providers';
import { ConfigError } from '@app/runtime/service';
import { createAccessTokenIssuer, type AccessTokenIssuer } from './auth/access-tokens.ts';
import { createEmailVerification, type EmailVerification } from './auth/email-verification.ts';
import { createPasswordReset, type PasswordReset } from './auth/password-reset.ts';
import { createPasswordHasher, type PasswordHasher } from './auth/password-hasher.ts';
import { createRefreshTokens, type RefreshTokens } from './auth/refresh-tokens.ts';
import type { TenantApiDependencies } from './dependencies.ts';
import { requireAuthentication } from './http/auth.middleware.ts';
import { createFixedWindowRateLimiter, type RateLimiter } from './http/rate-limiter.ts';

/** The collaborators the routers share, built once per createTenantApi call. */
export interface ApiServices extends TenantApiDependencies {
  authenticate: RequestHandler;
  accessTokens: AccessTokenIssuer;
  passwords: PasswordHasher;
  refreshTokens: RefreshTokens;
  verification: EmailVerification;
  passwordReset: PasswordReset;
  /** Encrypts provider credentials at rest. */
  credentials: SecretBox;
  /** Calls a business's HTTP tool ("test this tool"). */
  httpToolCaller: HttpToolCaller;
  limits: {
    loginFailuresPerEmail: RateLimiter;
    loginAttemptsPerClient: RateLimiter;
    verificationMailsPerEmail: RateLimiter;
    passwordResetsPerEmail: RateLimiter;
    signupsPerClient: RateLimiter;
    sandboxMessagesPerBusiness: RateLimiter;
  };
  /** The models businesses may choose (AI_ALLOWED_MODELS). */
  allowedModels: ModelAllowList;
}

export function createApiServices(deps: TenantApiDependencies): ApiServices {
  const { config, clock } = deps;
  const missing = (['JWT_SECRET', 'CREDENTIALS_KEY'] as const).filter((key) => !config[key]);
  if (missing.length > 0) throw new ConfigError(missing.map((key) => `${key}: is required by the tenant API (generate one for local runs)`));

  const accessTokens = createAccessTokenIssuer({ secret: config.JWT_SECRET!, ttlSeconds: config.ACCESS_TOKEN_TTL, now: () => clock.now() });
  const windowMs = config.LOGIN_RATE_WINDOW * 1000;
  const passwords = createPasswordHasher({
    memoryKib: config.PASSWORD_HASH_MEMORY_KIB,
    passes: config.PASSWORD_HASH_PASSES,
    parallelism: config.PASSWORD_HASH_PARALLELISM,
  });
  return {
    ...deps,
    authenticate: requireAuthentication(accessTokens),
    accessTokens,
    passwords,
    refreshTokens: createRefreshTokens({ prisma: deps.prisma, clock, logger: deps.logger, ttlSeconds: config.REFRESH_TOKEN_TTL }),
    verification: createEmailVerification({
      prisma: deps.prisma,
      clock,
      logger: deps.logger,
      mailer: deps.mailer,
      publicUrl: config.PUBLIC_URL,
      verificationUrl: config.EMAIL_VERIFICATION_URL,
    }),
    credentials: SecretBox.fromCredentialsKey(config.CREDENTIALS_KEY!),
    passwordReset: createPasswordReset({
      prisma: deps.prisma,
      clock,
      logger: deps.logger,
      mailer: deps.mailer,
      passwords,
      resetUrl: config.PASSWORD_RESET_URL ?? `${config.PUBLIC_URL.replace(/\/+$/, '')}/reset-password`,
    }),
    allowedModels: parseModelAllowList(config.AI_ALLOWED_MODELS),
    httpToolCaller: deps.httpToolCaller ?? directHttpToolCallerFromSettings(config),
    limits: {
      loginFailuresPerEmail: createFixedWindowRateLimiter({ limit: config.LOGIN_MAX_FAILURES_PER_EMAIL, windowMs, clock }),
      loginAttemptsPerClient: createFixedWindowRateLimiter({ limit: config.LOGIN_MAX_ATTEMPTS_PER_IP, windowMs, clock }),
      verificationMailsPerEmail: createFixedWindowRateLimiter({ limit: 3, windowMs, clock }),
      passwordResetsPerEmail: createFixedWindowRateLimiter({ limit: 3, windowMs, clock }),
      signupsPerClient: createFixedWindowRateLimiter({ limit: config.SIGNUPS_PER_IP_PER_HOUR, windowMs: 60 * 60_000, clock }),
      sandboxMessagesPerBusiness: createFixedWindowRateLimiter({ limit: config.SANDBOX_MESSAGES_PER_MINUTE, windowMs: 60_000, clock }),
    },
  };
}
