import { enqueueEvent, type PrismaClient, type Transaction } from '@app/db';
import type { TurnChanges } from '../actors/turn-context.ts';

/** Reads one committed state value of an actor (undefined when absent). */
export async function readActorState(prisma: PrismaClient, actorType: string, actorId: string, key: string): Promise<unknown> {
  const rows = await prisma.$queryRaw<{ value: unknown }[]>`
    SELECT "value" FROM actor_state WHERE "actorType" = ${actorType} AND "actorId" = ${actorId} AND "key" = ${key}`;
  return rows[0]?.value;
}

export interface ClaimedReminderRef {
  name: string;
  version: number;
}

/**
 * Writes a turn in the caller's transaction: state rows, reminder rows (every set bumps `version`), the events
 * (through the outbox), and, for a reminder turn, deletes the reminder that fired unless it was set again since.
 */
export async function commitTurn(
  transaction: Transaction,
  actorType: string,
  actorId: string,
  changes: TurnChanges,
  firedReminder?: ClaimedReminderRef,
): Promise<void> {
  for (const [key, change] of changes.state) {
    if (change === null) {
      await transaction.$executeRaw`
        DELETE FROM actor_state WHERE "actorType" = ${actorType} AND "actorId" = ${actorId} AND "key" = ${key}`;
    } else {
      await transaction.$executeRaw`
        INSERT INTO actor_state ("actorType", "actorId", "key", "value", "updatedAt")
        VALUES (${actorType}, ${actorId}, ${key}, ${JSON.stringify(change.value)}::jsonb, now())
        ON CONFLICT ("actorType", "actorId", "key") DO UPDATE SET "value" = EXCLUDED."value", "updatedAt" = now()`;
    }
  }
  for (const [name, reminder] of changes.reminders) {
    if (reminder === null) {
      await transaction.$executeRaw`
        DELETE FROM actor_reminder WHERE "actorType" = ${actorType} AND "actorId" = ${actorId} AND "name" = ${name}`;
    } else {
      const dueAt = reminder.dueAt.toISOString();
      const data = JSON.stringify(reminder.data);
      await transaction.$executeRaw`
        INSERT INTO actor_reminder ("actorType", "actorId", "name", "dueAt", "data", "attempts", "version")
        VALUES (${actorType}, ${actorId}, ${name}, ${dueAt}::timestamp, ${data}::jsonb, 0, 1)
        ON CONFLICT ("actorType", "actorId", "name") DO UPDATE
        SET "dueAt" = EXCLUDED."dueAt", "data" = EXCLUDED."data", "attempts" = 0, "version" = actor_reminder."version" + 1`;
    }
  }
  if (firedReminder) {
    await transaction.$executeRaw`
      DELETE FROM actor_reminder
      WHERE "actorType" = ${actorType} AND "actorId" = ${actorId} AND "name" = ${firedReminder.name} AND "version" = ${firedReminder.version}`;
  }
  for (const staged of changes.events) {
    await enqueueEvent(transaction, staged.topic, staged.event, staged.key ? { key: staged.key } : {});
  }
}
