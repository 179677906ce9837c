import type { PrismaClient } from '@app/db';

/**
 * The outbox fans out inside the database: a trigger on outbox_event inserts one outbox_delivery row per
 * subscriber group of the topic, in the writer's own transaction. Each group then works through its own rows, so
 * an event committed late (a long transaction) is never skipped the way a cursor over ids would skip it, and a
 * crash redelivers whatever was not yet deleted. Installed at start because migrations are generated from the
 * Prisma schema, which cannot express triggers; CREATE OR REPLACE keeps it idempotent.
 */
const installStatements = [
  `CREATE OR REPLACE FUNCTION outbox_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbox_delivery ("eventId", "subscriber", "key", "nextAttemptAt")
  SELECT NEW."id", s."subscriber", NEW."key", TIMESTAMP '1970-01-01'
  FROM outbox_subscriber s
  WHERE s."topic" = NEW."topic" OR s."topic" = '*'
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$`,
  `CREATE OR REPLACE TRIGGER outbox_fan_out AFTER INSERT ON outbox_event FOR EACH ROW EXECUTE FUNCTION outbox_fan_out()`,
  // Events of one key are delivered in id order, so their ids must follow COMMIT order, not insert order: the column
  // default takes an id before the writer may wait for a lock (two webhooks of one conversation), and an id taken
  // earlier can commit later. So a keyed event first takes its key's transaction lock (released at commit), and only
  // then its id: a second writer of the key waits until the first committed and always gets a larger id.
  `CREATE OR REPLACE FUNCTION outbox_order_by_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."key" IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext('outbox-key:' || NEW."key"));
    NEW."id" := nextval('outbox_event_id_seq');
  END IF;
  RETURN NEW;
END
$$`,
  `CREATE OR REPLACE TRIGGER outbox_order_by_commit BEFORE INSERT ON outbox_event FOR EACH ROW EXECUTE FUNCTION outbox_order_by_commit()`,
  // A dispatcher's claim in one round trip (see OutboxDispatcher.claim). Claims of one group are serialised by a
  // transaction-scoped advisory lock; a PL/pgSQL function runs each statement on a fresh snapshot, so the claim
  // query sees every claim committed before the lock was granted, as the former lock-then-claim transaction did.
  `CREATE OR REPLACE FUNCTION outbox_claim(claim_group text, claim_now timestamp, claim_lease timestamp, claim_limit integer)
RETURNS TABLE ("eventId" text, "key" text, "attempts" integer, "topic" text, "payload" jsonb) LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('outbox:' || claim_group));
  RETURN QUERY
  WITH candidates AS (
    SELECT d."eventId" FROM outbox_delivery d
    WHERE d."subscriber" = claim_group AND d."droppedAt" IS NULL
      AND d."nextAttemptAt" <= claim_now
      AND (d."lockedUntil" IS NULL OR d."lockedUntil" <= claim_now)
      AND (d."key" IS NULL OR NOT EXISTS (
        SELECT 1 FROM outbox_delivery p
        WHERE p."subscriber" = d."subscriber" AND p."key" = d."key" AND p."eventId" < d."eventId"
          AND p."droppedAt" IS NULL
          AND (p."nextAttemptAt" > claim_now OR p."lockedUntil" > claim_now)))
    ORDER BY d."eventId"
    LIMIT claim_limit
    FOR UPDATE SKIP LOCKED
  )
  UPDATE outbox_delivery d SET "lockedUntil" = claim_lease
  FROM candidates c, outbox_event e
  WHERE d."subscriber" = claim_group AND d."eventId" = c."eventId" AND e."id" = d."eventId"
  RETURNING d."eventId"::text, d."key", d."attempts", e."topic", e."payload";
END
$$`,
];

/** Serialises concurrent installs (several replicas starting at once). */
const installLockId = 874_201_331;

export async function installOutboxFanOut(prisma: PrismaClient): Promise<void> {
  await prisma.$transaction(async (transaction) => {
    await transaction.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${installLockId})`);
    for (const statement of installStatements) await transaction.$executeRawUnsafe(statement);
  });
}

/**
 * Registers a group for topics ('*' = all). A group seen for the first time also receives the events still in
 * the outbox for those topics, like a new Redis Streams consumer group that starts at the beginning of the stream.
 */
export async function registerOutboxSubscriber(prisma: PrismaClient, subscriber: string, topics: string[]): Promise<void> {
  for (const topic of topics) {
    const inserted = await prisma.$executeRaw`
      INSERT INTO outbox_subscriber ("subscriber", "topic") VALUES (${subscriber}, ${topic}) ON CONFLICT DO NOTHING`;
    if (inserted === 0) continue;
    await prisma.$executeRaw`
      INSERT INTO outbox_delivery ("eventId", "subscriber", "key", "nextAttemptAt")
      SELECT e."id", ${subscriber}, e."key", TIMESTAMP '1970-01-01' FROM outbox_event e
      WHERE e."topic" = ${topic} OR ${topic} = '*'
      ON CONFLICT DO NOTHING`;
  }
}

/** Deletes events every group has handled (dropped ones stay for inspection) once they are older than `before`. */
export async function pruneOutbox(prisma: PrismaClient, before: Date, limit = 5_000): Promise<number> {
  return prisma.$executeRaw`
    DELETE FROM outbox_event WHERE "id" IN (
      SELECT e."id" FROM outbox_event e
      WHERE e."createdAt" < ${before.toISOString()}::timestamp
        AND NOT EXISTS (SELECT 1 FROM outbox_delivery d WHERE d."eventId" = e."id")
      LIMIT ${limit})`;
}
