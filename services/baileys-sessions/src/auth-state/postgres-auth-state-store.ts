import { Prisma, type PrismaClient } from '@app/db';
import { credsCategory, credsId, type AuthKeyChange, type AuthStateStore } from './auth-state-store.ts';

/** Rows per statement: one bulk statement writes this many keys (arrays through `unnest`). */
export const authKeyChunkSize = 1_000;
/**
 * A batch's transaction may take this long. Prisma's default is 5 s: a first login (~812 pre-keys) or a history sync
 * (two LID-mapping rows per contact) on a busy database took longer one upsert at a time, and a timed-out batch left
 * the server announcing pre-keys the device no longer had.
 */
export const authKeyBatchTimeoutMs = 60_000;

/**
 * Auth state in the `baileys_auth_key` table: one row per (instance, category, key id). A batch is written in bulk
 * statements of `authKeyChunkSize` rows inside one transaction (a single statement when it fits in one), so it
 * lands whole or not at all.
 */
export function createPostgresAuthStateStore(prisma: PrismaClient): AuthStateStore {
  return {
    kind: 'postgres',
    async readCreds(instanceId) {
      const row = await prisma.baileysAuthKey.findUnique({
        where: { instanceId_category_keyId: { instanceId, category: credsCategory, keyId: credsId } },
        select: { value: true },
      });
      return row?.value ?? null;
    },
    async writeCreds(instanceId, value) {
      await prisma.baileysAuthKey.upsert({
        where: { instanceId_category_keyId: { instanceId, category: credsCategory, keyId: credsId } },
        create: { instanceId, category: credsCategory, keyId: credsId, value },
        update: { value },
      });
    },
    async readKeys(instanceId, category, ids) {
      if (ids.length === 0) return new Map();
      const rows = await prisma.baileysAuthKey.findMany({
        where: { instanceId, category, keyId: { in: ids } },
        select: { keyId: true, value: true },
      });
      return new Map(rows.map((row) => [row.keyId, row.value]));
    },
    async writeKeys(instanceId, changes) {
      if (changes.length === 0) return;
      const { upserts, deletes } = lastChangePerKey(changes);
      const statements: Prisma.Sql[] = [];
      for (const [category, ids] of deletes) {
        for (const chunk of chunksOf(ids)) statements.push(deleteKeys(instanceId, category, chunk));
      }
      for (const chunk of chunksOf(upserts)) statements.push(upsertKeys(instanceId, chunk));
      if (statements.length === 1) {
        // One statement is atomic by itself.
        await prisma.$executeRaw(statements[0]!);
        return;
      }
      await prisma.$transaction(
        async (tx) => {
          for (const statement of statements) await tx.$executeRaw(statement);
        },
        { timeout: authKeyBatchTimeoutMs, maxWait: 10_000 },
      );
    },
    async clear(instanceId) {
      await prisma.baileysAuthKey.deleteMany({ where: { instanceId } });
    },
    async hasCreds(instanceId) {
      return (await this.readCreds(instanceId)) !== null;
    },
  };
}

/** Within one batch only the last change of a key counts. */
export function lastChangePerKey(changes: AuthKeyChange[]): { upserts: AuthKeyChange[]; deletes: Map<string, string[]> } {
  const last = new Map<string, AuthKeyChange>();
  for (const change of changes) last.set(`${change.category}\u0000${change.id}`, change);
  const upserts: AuthKeyChange[] = [];
  const deletes = new Map<string, string[]>();
  for (const change of last.values()) {
    if (change.value === null) deletes.set(change.category, [...(deletes.get(change.category) ?? []), change.id]);
    else upserts.push(change);
  }
  return { upserts, deletes };
}

function chunksOf<T>(items: T[]): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += authKeyChunkSize) chunks.push(items.slice(start, start + authKeyChunkSize));
  return chunks;
}

function upsertKeys(instanceId: string, changes: AuthKeyChange[]): Prisma.Sql {
  const categories = changes.map((change) => change.category);
  const ids = changes.map((change) => change.id);
  const values = changes.map((change) => change.value as string);
  // updatedAt is a UTC timestamp without time zone (Prisma's convention), whatever the server's zone.
  return Prisma.sql`INSERT INTO baileys_auth_key ("instanceId", category, "keyId", value, "updatedAt")
SELECT ${instanceId}::uuid, k.category, k.id, k.value, now() AT TIME ZONE 'UTC'
FROM unnest(${categories}::text[], ${ids}::text[], ${values}::text[]) AS k(category, id, value)
ON CONFLICT ("instanceId", category, "keyId") DO UPDATE SET value = EXCLUDED.value, "updatedAt" = EXCLUDED."updatedAt"`;
}

function deleteKeys(instanceId: string, category: string, ids: string[]): Prisma.Sql {
  return Prisma.sql`DELETE FROM baileys_auth_key WHERE "instanceId" = ${instanceId}::uuid AND category = ${category} AND "keyId" = ANY(${ids}::text[])`;
}
