import { randomUUID } from 'node:crypto';
import type { Clock } from '@app/runtime/ports';
import { AppError, type Logger } from '@app/runtime/service';
import type { PrismaClient } from '@app/db';
import type { TenantContext, UserRole } from '../http/tenant-context.ts';
import { createOpaqueToken, hashOpaqueToken } from './opaque-token.ts';

export type RefreshFailure = 'TOKEN_INVALID' | 'TOKEN_EXPIRED' | 'TOKEN_REUSED';

export interface RefreshTokens {
  /** Starts a new family (a sign-in). */
  issue(userId: string): Promise<string>;
  /**
   * Revokes the presented token and issues its successor in the same family. Presenting a token that was already
   * rotated means it leaked (or was replayed): the whole family is revoked and the call fails.
   */
  rotate(token: string): Promise<{ refreshToken: string; tenant: TenantContext }>;
  /** Sign-out: revokes the token's family; unknown tokens are ignored. */
  revokeFamily(token: string): Promise<void>;
}

export function createRefreshTokens(deps: { prisma: PrismaClient; clock: Clock; logger: Logger; ttlSeconds: number }): RefreshTokens {
  const expiresAt = () => new Date(deps.clock.now().getTime() + deps.ttlSeconds * 1000);

  const revokeFamilyById = (familyId: string) =>
    deps.prisma.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: deps.clock.now() } });

  return {
    async issue(userId) {
      const { token, tokenHash } = createOpaqueToken();
      await deps.prisma.refreshToken.create({ data: { userId, familyId: randomUUID(), tokenHash, expiresAt: expiresAt() } });
      return token;
    },

    async rotate(token) {
      const now = deps.clock.now();
      const record = await deps.prisma.refreshToken.findUnique({ where: { tokenHash: hashOpaqueToken(token) }, include: { user: true } });
      if (!record) throw refreshError('TOKEN_INVALID');
      if (record.revokedAt) {
        await revokeFamilyById(record.familyId);
        deps.logger.warn(
          { event: 'auth.refresh_token_reused', userId: record.userId, familyId: record.familyId },
          'a rotated refresh token was presented again; family revoked',
        );
        throw refreshError('TOKEN_REUSED');
      }
      if (record.expiresAt.getTime() <= now.getTime()) throw refreshError('TOKEN_EXPIRED');

      const successor = createOpaqueToken();
      const rotated = await deps.prisma.$transaction(async (transaction) => {
        // Only one of two concurrent rotations of the same token wins; the loser is treated as reuse.
        const claimed = await transaction.refreshToken.updateMany({ where: { id: record.id, revokedAt: null }, data: { revokedAt: now } });
        if (claimed.count === 0) return false;
        await transaction.refreshToken.create({
          data: { userId: record.userId, familyId: record.familyId, tokenHash: successor.tokenHash, expiresAt: expiresAt() },
        });
        return true;
      });
      if (!rotated) {
        await revokeFamilyById(record.familyId);
        throw refreshError('TOKEN_REUSED');
      }
      return {
        refreshToken: successor.token,
        tenant: { userId: record.user.id, businessId: record.user.businessId, role: record.user.role as UserRole },
      };
    },

    async revokeFamily(token) {
      const record = await deps.prisma.refreshToken.findUnique({ where: { tokenHash: hashOpaqueToken(token) } });
      if (record) await revokeFamilyById(record.familyId);
    },
  };
}

const failureMessages: Record<RefreshFailure, string> = {
  TOKEN_INVALID: 'The refresh token is not valid.',
  TOKEN_EXPIRED: 'The refresh token has expired; sign in again.',
  TOKEN_REUSED: 'The refresh token was already used; every session of this sign-in was ended. Sign in again.',
};

function refreshError(reason: RefreshFailure): AppError {
  return new AppError('UNAUTHENTICATED', failureMessages[reason], { reason });
}
