import type { PrismaClient } from '@app/db';

export interface HeldLease {
  instanceId: string;
  holder: string;
  /** Fencing token: grows with every acquisition, so an old holder can tell its lease was taken over. */
  token: bigint;
  expiresAt: Date;
}

/**
 * Leases in `baileys_session_lease`: a session is connected only by the holder of an unexpired lease. Acquire and
 * renew are single conditional statements, so two hosts can never both hold one. Times come from the caller's
 * clock; hosts must keep their clocks in sync (NTP) well within the lease's safety margin.
 */
export function createSessionLeaseRepository(prisma: PrismaClient) {
  return {
    /** Takes the lease when it is free, expired, or already ours (a new token then); null when another host holds it. */
    async acquire(instanceId: string, holder: string, now: Date, ttlMs: number): Promise<HeldLease | null> {
      const expiresAt = new Date(now.getTime() + ttlMs);
      const rows = await prisma.$queryRaw<{ token: bigint }[]>`
INSERT INTO baileys_session_lease ("instanceId", holder, token, "expiresAt", "updatedAt")
VALUES (${instanceId}::uuid, ${holder}, 1, ${expiresAt}, ${now})
ON CONFLICT ("instanceId") DO UPDATE SET holder = EXCLUDED.holder, token = baileys_session_lease.token + 1,
  "expiresAt" = EXCLUDED."expiresAt", "updatedAt" = EXCLUDED."updatedAt"
WHERE baileys_session_lease."expiresAt" <= ${now} OR baileys_session_lease.holder = EXCLUDED.holder
RETURNING token`;
      const row = rows[0];
      return row ? { instanceId, holder, token: BigInt(row.token), expiresAt } : null;
    },

    /** Extends our lease; false when it is no longer ours (expired and taken, or released). */
    async renew(lease: HeldLease, now: Date, ttlMs: number): Promise<HeldLease | null> {
      const expiresAt = new Date(now.getTime() + ttlMs);
      const count = await prisma.$executeRaw`
UPDATE baileys_session_lease SET "expiresAt" = ${expiresAt}, "updatedAt" = ${now}
WHERE "instanceId" = ${lease.instanceId}::uuid AND holder = ${lease.holder} AND token = ${lease.token} AND "expiresAt" > ${now}`;
      return count > 0 ? { ...lease, expiresAt } : null;
    },

    /** Gives the lease up at once (a clean stop), so another host need not wait for it to expire. */
    async release(lease: HeldLease): Promise<void> {
      await prisma.$executeRaw`
DELETE FROM baileys_session_lease WHERE "instanceId" = ${lease.instanceId}::uuid AND holder = ${lease.holder} AND token = ${lease.token}`;
    },
  };
}

export type SessionLeaseRepository = ReturnType<typeof createSessionLeaseRepository>;
