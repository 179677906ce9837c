import type { Clock } from '@app/runtime/ports';
import { AppError, type Logger } from '@app/runtime/service';
import type { PrismaClient } from '@app/db';
import type { Mailer } from './mailer.ts';
import { createOpaqueToken, hashOpaqueToken } from './opaque-token.ts';

const verificationTtlMs = 24 * 60 * 60 * 1000;

export type VerificationFailure = 'TOKEN_INVALID' | 'TOKEN_EXPIRED' | 'TOKEN_USED';

export interface EmailVerification {
  /** Stores a new single-use token (hashed), ends the earlier ones, and e-mails the link; a mail failure is logged, not thrown. */
  sendVerification(user: { id: string; email: string }): Promise<void>;
  /** Marks the token used and the user verified; 400 with details.reason on an unknown, used or expired token. */
  verify(token: string): Promise<{ email: string }>;
}

export function createEmailVerification(deps: {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  mailer: Mailer | null;
  publicUrl: string;
  /** The page the e-mail links to; defaults to the API's own page under publicUrl. */
  verificationUrl?: string | undefined;
}): EmailVerification {
  const linkFor = (token: string) => {
    const url = new URL(deps.verificationUrl ?? `${deps.publicUrl.replace(/\/+$/, '')}/api/auth/verify-email`);
    url.searchParams.set('token', token);
    return url.toString();
  };

  return {
    async sendVerification(user) {
      const { token, tokenHash } = createOpaqueToken();
      const now = deps.clock.now();
      // Only the newest link works: a resend ends every earlier one (a leaked old mail cannot verify the address).
      await deps.prisma.$transaction([
        deps.prisma.emailVerificationToken.updateMany({ where: { userId: user.id, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } }),
        deps.prisma.emailVerificationToken.create({ data: { userId: user.id, tokenHash, expiresAt: new Date(now.getTime() + verificationTtlMs) } }),
      ]);
      const link = linkFor(token);
      if (!deps.mailer) {
        // No SMTP configured (a laptop run): the link is the only way in, so it goes to the log.
        deps.logger.info(
          { event: 'auth.verification_link', email: user.email, verificationUrl: link },
          'SMTP_URL is not set; open this link to verify the e-mail address',
        );
        return;
      }
      try {
        await deps.mailer.send({
          to: user.email,
          subject: 'Confirm your e-mail address',
          text: `Welcome! Confirm your e-mail address by opening this link within 24 hours:\n\n${link}\n\nIf you did not sign up, ignore this message.`,
          html: `<p>Welcome! Confirm your e-mail address by opening this link within 24 hours:</p><p><a href="${link}">${link}</a></p><p>If you did not sign up, ignore this message.</p>`,
        });
        deps.logger.info({ event: 'auth.verification_sent', userId: user.id }, 'verification e-mail sent');
      } catch (error) {
        // The account exists either way; the owner can ask for another link (POST /auth/resend-verification).
        deps.logger.warn({ event: 'auth.verification_mail_failed', userId: user.id, err: error }, 'could not send the verification e-mail');
      }
    },

    async verify(token) {
      const now = deps.clock.now();
      const record = await deps.prisma.emailVerificationToken.findUnique({
        where: { tokenHash: hashOpaqueToken(token) },
        include: { user: true },
      });
      if (!record) throw verificationError('TOKEN_INVALID');
      if (record.usedAt) throw verificationError('TOKEN_USED');
      if (record.expiresAt.getTime() <= now.getTime()) throw verificationError('TOKEN_EXPIRED');
      const consumed = await deps.prisma.$transaction(async (transaction) => {
        // Conditional update: of two concurrent clicks, exactly one consumes the token.
        const claimed = await transaction.emailVerificationToken.updateMany({
          where: { id: record.id, usedAt: null },
          data: { usedAt: now },
        });
        if (claimed.count === 0) return false;
        await transaction.user.updateMany({ where: { id: record.userId, emailVerifiedAt: null }, data: { emailVerifiedAt: now } });
        return true;
      });
      if (!consumed) throw verificationError('TOKEN_USED');
      deps.logger.info({ event: 'auth.email_verified', userId: record.userId }, 'e-mail address verified');
      return { email: record.user.email };
    },
  };
}

const failureMessages: Record<VerificationFailure, string> = {
  TOKEN_INVALID: 'This verification link is not valid.',
  TOKEN_EXPIRED: 'This verification link has expired; ask for a new one.',
  TOKEN_USED: 'This verification link was already used.',
};

function verificationError(reason: VerificationFailure): AppError {
  return new AppError('VALIDATION_FAILED', failureMessages[reason], { reason });
}
