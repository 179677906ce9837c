import { AppError } from '@app/runtime/service';
import type { PrismaClient } from '@app/db';
import type { RateLimiter } from '../http/rate-limiter.ts';
import type { UserRole } from '../http/tenant-context.ts';
import type { AccessTokenIssuer } from './access-tokens.ts';
import { normalizeEmail } from './account-views.ts';
import type { TokenPair } from './auth.schema.ts';
import type { PasswordHasher } from './password-hasher.ts';
import type { RefreshTokens } from './refresh-tokens.ts';

export interface SignInDependencies {
  prisma: PrismaClient;
  passwords: PasswordHasher;
  accessTokens: AccessTokenIssuer;
  refreshTokens: RefreshTokens;
  /** Failed attempts per e-mail address and client (guessing one account's password from one place). */
  failuresPerEmail: RateLimiter;
  /** All attempts per client address (trying many accounts). */
  attemptsPerClient: RateLimiter;
}

/** Password sign-in. Wrong e-mail and wrong password look the same from outside, in body and in timing. */
export async function signIn(
  deps: SignInDependencies,
  input: { email: string; password: string; clientAddress: string },
): Promise<Required<TokenPair>> {
  const email = normalizeEmail(input.email);
  // Per address AND client: a stranger's wrong guesses slow the stranger down, never lock the owner out.
  const emailKey = `email:${email}|client:${input.clientAddress}`;
  const clientKey = `client:${input.clientAddress}`;
  for (const [limiter, key] of [
    [deps.failuresPerEmail, emailKey],
    [deps.attemptsPerClient, clientKey],
  ] as const) {
    const decision = limiter.check(key);
    if (!decision.allowed) {
      throw new AppError('RATE_LIMITED', 'Too many sign-in attempts; try again later.', { retryAfterSeconds: decision.retryAfterSeconds });
    }
  }
  deps.attemptsPerClient.hit(clientKey);

  const user = await deps.prisma.user.findUnique({ where: { email } });
  const valid = user ? await deps.passwords.verify(input.password, user.passwordHash) : (await deps.passwords.verifyNothing(input.password), false);
  if (!user || !valid) {
    deps.failuresPerEmail.hit(emailKey);
    throw new AppError('UNAUTHENTICATED', 'The e-mail address or the password is incorrect.', { reason: 'INVALID_CREDENTIALS' });
  }
  deps.failuresPerEmail.reset(emailKey);
  const { accessToken, expiresIn } = deps.accessTokens.issue({ userId: user.id, businessId: user.businessId, role: user.role as UserRole });
  const refreshToken = await deps.refreshTokens.issue(user.id);
  return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn };
}
