import type { PrismaClient } from '@app/db';
import type { Clock } from '@app/runtime/ports';
import { AppError, type Logger } from '@app/runtime/service';
import type { Mailer } from './mailer.ts';
import { createOpaqueToken, hashOpaqueToken } from './opaque-token.ts';
import type { PasswordHasher } from './password-hasher.ts';

const resetTtlMs = 60 * 60 * 1000;

export type PasswordResetFailure = 'TOKEN_INVALID' | 'TOKEN_EXPIRED' | 'TOKEN_USED';

export interface PasswordReset {
  /** E-mails a single-use link when the address has an account; says nothing either way (no account oracle). */
  requestReset(email: string): Promise<void>;
  /** Sets the new password, ends every session of the user and every other reset link; 400 with details.reason. */
  reset(token: string, newPassword: string): Promise<{ email: string }>;
}

/**
 * "Forgot your password?": a one-hour, single-use link by e-mail. Following it proves the address, so the address
 * counts as verified; the new password signs out every device (all refresh token families end).
 */
export function createPasswordReset(deps: {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  mailer: Mailer | null;
  passwords: PasswordHasher;
  /** The console's page the link opens; the token is appended as ?token=. */
  resetUrl: string;
}): PasswordReset {
  const linkFor = (token: string) => {
    const url = new URL(deps.resetUrl);
    url.searchParams.set('token', token);
    return url.toString();
  };

  return {
    async requestReset(email) {
      const user = await deps.prisma.user.findUnique({ where: { email }, select: { id: true, email: true } });
      if (!user) return;
      const now = deps.clock.now();
      const { token, tokenHash } = createOpaqueToken();
      await deps.prisma.$transaction([
        deps.prisma.passwordResetToken.updateMany({ where: { userId: user.id, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } }),
        deps.prisma.passwordResetToken.create({ data: { userId: user.id, tokenHash, expiresAt: new Date(now.getTime() + resetTtlMs) } }),
      ]);
      const link = linkFor(token);
      if (!deps.mailer) {
        deps.logger.info(
          { event: 'auth.password_reset_link', email: user.email, resetUrl: link },
          'SMTP_URL is not set; open this link to choose a new password',
        );
        return;
      }
      try {
        await deps.mailer.send({
          to: user.email,
          subject: 'Choose a new password',
          text: `Someone (hopefully you) asked to reset the password of this account. Choose a new one within an hour:\n\n${link}\n\nIf it was not you, ignore this message: your password stays as it is.`,
          html: `<p>Someone (hopefully you) asked to reset the password of this account. Choose a new one within an hour:</p><p><a href="${link}">${link}</a></p><p>If it was not you, ignore this message: your password stays as it is.</p>`,
        });
        deps.logger.info({ event: 'auth.password_reset_sent', userId: user.id }, 'password reset e-mail sent');
      } catch (error) {
        deps.logger.warn({ event: 'auth.password_reset_mail_failed', userId: user.id, err: error }, 'could not send the password reset e-mail');
      }
    },

    async reset(token, newPassword) {
      const now = deps.clock.now();
      const record = await deps.prisma.passwordResetToken.findUnique({ where: { tokenHash: hashOpaqueToken(token) }, include: { user: true } });
      if (!record) throw resetError('TOKEN_INVALID');
      if (record.usedAt) throw resetError('TOKEN_USED');
      if (record.expiresAt.getTime() <= now.getTime()) throw resetError('TOKEN_EXPIRED');
      const passwordHash = await deps.passwords.hash(newPassword);
      const done = await deps.prisma.$transaction(async (transaction) => {
        // Conditional: of two concurrent submissions, exactly one uses the link.
        const claimed = await transaction.passwordResetToken.updateMany({ where: { id: record.id, usedAt: null }, data: { usedAt: now } });
        if (claimed.count === 0) return false;
        await transaction.passwordResetToken.updateMany({ where: { userId: record.userId, usedAt: null }, data: { expiresAt: now } });
        await transaction.user.update({
          where: { id: record.userId },
          data: { passwordHash, ...(record.user.emailVerifiedAt ? {} : { emailVerifiedAt: now }) },
        });
        await transaction.refreshToken.updateMany({ where: { userId: record.userId, revokedAt: null }, data: { revokedAt: now } });
        return true;
      });
      if (!done) throw resetError('TOKEN_USED');
      deps.logger.info({ event: 'auth.password_reset', userId: record.userId }, 'password reset; every session ended');
      return { email: record.user.email };
    },
  };
}

const failureMessages: Record<PasswordResetFailure, string> = {
  TOKEN_INVALID: 'This password reset link is not valid.',
  TOKEN_EXPIRED: 'This password reset link has expired; ask for a new one.',
  TOKEN_USED: 'This password reset link was already used.',
};

function resetError(reason: PasswordResetFailure): AppError {
  return new AppError('VALIDATION_FAILED', failureMessages[reason], { reason });
}
