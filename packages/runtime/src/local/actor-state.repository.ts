import { executeRawFast, Prisma, preparedMarker, queryRawFast, type PrismaClient } from '@app/db';
import type { TurnChanges } from '../actors/turn-context.ts';

/** Reads one committed state value of an actor (undefined when absent). */
export async function readActorState(prisma: PrismaClient, actorType: string, actorId: string, key: string): Promise<unknown> {
  const rows = await queryRawFast<{ value: unknown }>(
    prisma,
    Prisma.sql`SELECT "value" FROM actor_state WHERE "actorType" = ${actorType} AND "actorId" = ${actorId} AND "key" = ${key}`,
  );
  return rows[0]?.value;
}

export interface ClaimedReminderRef {
  name: string;
  version: number;
}

/** Any client that runs raw SQL: the PrismaClient or an interactive transaction. */
export type TurnWriter = Pick<PrismaClient, '$executeRaw' | '$executeRawUnsafe' | '$transaction'>;

// One turn is written by ONE call of this function: a single statement is a transaction of its own, and one round
// trip instead of BEGIN + a statement per change + COMMIT (the actor turn is on every message's path). The body
// applies the changes in the order the old statement-per-change code did, so its semantics are unchanged: state,
// reminders (every set bumps `version`), the fired reminder deleted unless set again since, then the events in
// order (their ids, hence their delivery order per key, follow the array).
const turnFunction = `CREATE OR REPLACE FUNCTION actor_commit_turn(turn jsonb) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  item jsonb;
  actor_type text := turn->>'actorType';
  actor_id text := turn->>'actorId';
BEGIN
  FOR item IN SELECT value FROM jsonb_array_elements(turn->'state') LOOP
    IF item ? 'value' THEN
      INSERT INTO actor_state ("actorType", "actorId", "key", "value", "updatedAt")
      VALUES (actor_type, actor_id, item->>'key', item->'value', now())
      ON CONFLICT ("actorType", "actorId", "key") DO UPDATE SET "value" = EXCLUDED."value", "updatedAt" = now();
    ELSE
      DELETE FROM actor_state WHERE "actorType" = actor_type AND "actorId" = actor_id AND "key" = item->>'key';
    END IF;
  END LOOP;
  FOR item IN SELECT value FROM jsonb_array_elements(turn->'reminders') LOOP
    IF item ? 'dueAt' THEN
      INSERT INTO actor_reminder ("actorType", "actorId", "name", "dueAt", "data", "attempts", "version")
      VALUES (actor_type, actor_id, item->>'name', (item->>'dueAt')::timestamp, item->'data', 0, 1)
      ON CONFLICT ("actorType", "actorId", "name") DO UPDATE
      SET "dueAt" = EXCLUDED."dueAt", "data" = EXCLUDED."data", "attempts" = 0, "version" = actor_reminder."version" + 1;
    ELSE
      DELETE FROM actor_reminder WHERE "actorType" = actor_type AND "actorId" = actor_id AND "name" = item->>'name';
    END IF;
  END LOOP;
  IF turn->'fired' IS NOT NULL AND jsonb_typeof(turn->'fired') = 'object' THEN
    DELETE FROM actor_reminder
    WHERE "actorType" = actor_type AND "actorId" = actor_id AND "name" = turn->'fired'->>'name'
      AND "version" = (turn->'fired'->>'version')::integer;
  END IF;
  FOR item IN SELECT value FROM jsonb_array_elements(turn->'events') WITH ORDINALITY AS e(value, position) ORDER BY position LOOP
    INSERT INTO outbox_event ("topic", "key", "payload") VALUES (item->>'topic', item->>'key', item->'payload');
  END LOOP;
  RETURN 1;
END
$$`;

/** Serialises concurrent installs (tests and replicas starting at once on one database). */
// Marked: run as a named prepared statement on PostgreSQL (parsed and planned once per connection).
const preparedMarkerSql = Prisma.raw(preparedMarker);

const installLockId = 874_201_332;
const installed = new WeakMap<object, Promise<void>>();

/** Creates (or replaces) the turn function once per client; CREATE OR REPLACE keeps it idempotent. */
export function installActorTurnFunction(prisma: TurnWriter): Promise<void> {
  let done = installed.get(prisma);
  if (!done) {
    done = prisma
      .$transaction(async (transaction) => {
        await transaction.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${installLockId})`);
        await transaction.$executeRawUnsafe(turnFunction);
      })
      .then(() => undefined);
    done.catch(() => installed.delete(prisma));
    installed.set(prisma, done);
  }
  return done;
}

/**
 * Writes a turn in one statement: state rows, reminder rows (every set bumps `version`), for a reminder turn the
 * reminder that fired (deleted unless it was set again since), and the events (through the outbox).
 */
export async function commitTurn(
  prisma: TurnWriter,
  actorType: string,
  actorId: string,
  changes: TurnChanges,
  firedReminder?: ClaimedReminderRef,
): Promise<void> {
  await installActorTurnFunction(prisma);
  const turn = {
    actorType,
    actorId,
    state: [...changes.state].map(([key, change]) => (change === null ? { key } : { key, value: change.value })),
    reminders: [...changes.reminders].map(([name, reminder]) =>
      reminder === null ? { name } : { name, dueAt: reminder.dueAt.toISOString(), data: reminder.data ?? null },
    ),
    fired: firedReminder ? { name: firedReminder.name, version: firedReminder.version } : null,
    events: changes.events.map((staged) => ({ topic: staged.topic, key: staged.key ?? null, payload: staged.event })),
  };
  await executeRawFast(prisma, Prisma.sql`${preparedMarkerSql} SELECT actor_commit_turn(${JSON.stringify(turn)}::jsonb)`);
}
