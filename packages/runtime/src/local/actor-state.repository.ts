import { createGroupCommit, installOnce, Prisma, preparedMarker, queryRawFast, type PrismaClient } from '@app/db';
import type { TurnChanges } from '../actors/turn-context.ts';

// Marked: run as a named prepared statement on PostgreSQL (parsed and planned once per connection).
const preparedMarkerSql = Prisma.raw(preparedMarker);

/** Reads one committed state value of an actor (undefined when absent). */
export async function readActorState(prisma: PrismaClient, actorType: string, actorId: string, key: string): Promise<unknown> {
  const rows = await queryRawFast<{ value: unknown }>(
    prisma,
    Prisma.sql`${preparedMarkerSql} SELECT "value" FROM actor_state WHERE "actorType" = ${actorType} AND "actorId" = ${actorId} AND "key" = ${key}`,
  );
  return rows[0]?.value;
}

export interface ClaimedReminderRef {
  name: string;
  version: number;
}

/** Any client that runs raw SQL: the PrismaClient or an interactive transaction. */
export type TurnWriter = Pick<PrismaClient, '$queryRaw' | '$executeRawUnsafe' | '$transaction'>;

// Turns are written by ONE call of this function, several actors' turns at once (group commit, see
// createTurnCommitter): one statement is one transaction and one round trip. For each turn, in order: a reminder
// turn whose reminder was set again or cleared since it was claimed is superseded (nothing of it is written: the
// newer registration decides); otherwise its state, its reminders (every set bumps `version`) and the fired reminder's
// delete (unless its own turn set it again). Then the events of every applied turn, in key order (every writer takes the
// outbox's per-key locks in that one order, so two statements never wait for each other in a circle), each turn's
// events in their order.
const turnsFunction = `CREATE OR REPLACE FUNCTION actor_commit_turns(turns jsonb) RETURNS TABLE (applied boolean) LANGUAGE plpgsql AS $$
DECLARE
  turn jsonb;
  item jsonb;
  actor_type text;
  actor_id text;
  results boolean[] := '{}';
BEGIN
  FOR turn IN SELECT t.value FROM jsonb_array_elements(turns) WITH ORDINALITY AS t(value, position) ORDER BY t.position LOOP
    actor_type := turn->>'actorType';
    actor_id := turn->>'actorId';
    IF jsonb_typeof(turn->'fired') = 'object' AND NOT EXISTS (
      SELECT 1 FROM actor_reminder
      WHERE "actorType" = actor_type AND "actorId" = actor_id AND "name" = turn->'fired'->>'name'
        AND "version" = (turn->'fired'->>'version')::integer) THEN
      results := results || false;
      CONTINUE;
    END IF;
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
    IF jsonb_typeof(turn->'fired') = 'object' THEN
      DELETE FROM actor_reminder
      WHERE "actorType" = actor_type AND "actorId" = actor_id AND "name" = turn->'fired'->>'name'
        AND "version" = (turn->'fired'->>'version')::integer;
    END IF;
    results := results || true;
  END LOOP;
  INSERT INTO outbox_event ("topic", "key", "payload")
  SELECT e.value->>'topic', e.value->>'key', e.value->'payload'
  FROM jsonb_array_elements(turns) WITH ORDINALITY AS t(value, position)
  CROSS JOIN LATERAL jsonb_array_elements(t.value->'events') WITH ORDINALITY AS e(value, position)
  WHERE results[t.position]
  ORDER BY e.value->>'key' COLLATE "C" NULLS FIRST, t.position, e.position;
  RETURN QUERY SELECT unnest(results);
END
$$`;

/** Serialises concurrent installs (tests and replicas starting at once on one database). */
const installLockId = 874_201_332;

/** Creates (or replaces) the turn function once per client; CREATE OR REPLACE keeps it idempotent. */
export function installActorTurnFunction(prisma: TurnWriter): Promise<void> {
  return installOnce(prisma, installLockId, turnsFunction);
}

export interface TurnCommitter {
  /**
   * Writes a turn: state rows, reminder rows, for a reminder turn the reminder that fired (deleted unless set again
   * since), and the events (through the outbox). Answers false, writing nothing, when the fired reminder was set
   * again or cleared after it was claimed: the turn is superseded.
   */
  commit(actorType: string, actorId: string, changes: TurnChanges, firedReminder?: ClaimedReminderRef): Promise<boolean>;
}

export interface TurnCommitterOptions {
  /** Most turns one statement writes (default 100). */
  maxBatch?: number;
  /** Statements in flight at once (default 2); turns finishing meanwhile wait and go in the next one. */
  maxConcurrentBatches?: number;
}

/**
 * Group commit for actor turns (see createGroupCommit): turns of different actors that finish while earlier statements
 * run are written together by the next statement, and each turn's caller resumes once its own turn is durable (an
 * actor's next turn still waits for it). One actor's bad turn fails only that actor's call.
 */
export function createTurnCommitter(prisma: TurnWriter, options: TurnCommitterOptions = {}): TurnCommitter {
  const group = createGroupCommit(
    async (turns: unknown[]) => {
      await installActorTurnFunction(prisma);
      const rows = await queryRawFast<{ applied: boolean }>(
        prisma,
        Prisma.sql`${preparedMarkerSql} SELECT applied FROM actor_commit_turns(${JSON.stringify(turns)}::jsonb)`,
      );
      return rows.map((row) => row.applied);
    },
    { maxBatch: options.maxBatch ?? 100, maxConcurrentBatches: options.maxConcurrentBatches ?? 2 },
  );

  return {
    commit(actorType, actorId, changes, firedReminder) {
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
      return group.submit([turn]).then(([applied]) => applied!);
    },
  };
}
