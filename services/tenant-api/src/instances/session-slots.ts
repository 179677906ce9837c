import { lowestFreeSlot, platformCapacityBreach, type InstanceLimitBreach } from '@app/domain';
import type { PrismaClient, Transaction } from '@app/db';
import { AppError } from '@app/runtime/service';

/** Taken by every slot assignment, platform-wide: two creations never see the same free slot. Held to the commit. */
const slotAssignmentLockId = 874_201_408;

/**
 * The lowest WhatsApp Web session slot below the platform's capacity that no instance holds, inside the caller's
 * transaction; the slot lock is held until it commits, so the caller's write of the slot cannot race another
 * assignment. Throws PLATFORM_CAPACITY_REACHED when every slot is taken.
 */
export async function takeSessionSlot(transaction: Transaction, capacity: number): Promise<number> {
  await transaction.$executeRaw`SELECT pg_advisory_xact_lock(${slotAssignmentLockId})`;
  const taken = await transaction.$queryRaw<{ slot: number }[]>`SELECT slot FROM instance WHERE slot < ${capacity}`;
  const slot = lowestFreeSlot(
    taken.map((row) => row.slot),
    capacity,
  );
  if (slot === null) throw instanceLimitError(platformCapacityBreach(capacity, taken.length));
  return slot;
}

/** A broken limit as the API answers it: 403 INSTANCE_LIMIT_REACHED or 409 PLATFORM_CAPACITY_REACHED. */
export function instanceLimitError(breach: InstanceLimitBreach): AppError {
  const { code, message, ...details } = breach;
  return new AppError(code, message, details);
}

/**
 * Before a session start: an instance whose slot is at or above the platform's capacity has no pod (the cap was
 * lowered after it got the slot), so the start would need one more. It moves to the lowest free slot below the cap,
 * or the start is refused with PLATFORM_CAPACITY_REACHED. An instance that has its place is left as it is.
 */
export async function keepSessionWithinCapacity(prisma: PrismaClient, instanceId: string, capacity: number): Promise<void> {
  await prisma.$transaction(async (transaction) => {
    const [instance] = await transaction.$queryRaw<{ slot: number | null }[]>`SELECT slot FROM instance WHERE id = ${instanceId}::uuid FOR UPDATE`;
    if (!instance || instance.slot === null || instance.slot < capacity) return;
    const slot = await takeSessionSlot(transaction, capacity);
    await transaction.instance.update({ where: { id: instanceId }, data: { slot, overCapacitySince: null } });
  });
}
