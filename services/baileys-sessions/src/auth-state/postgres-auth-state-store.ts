import type { PrismaClient } from '@app/db';
import { credsCategory, credsId, type AuthKeyChange, type AuthStateStore } from './auth-state-store.ts';

/** Auth state in the `baileys_auth_key` table: one row per (instance, category, key id); a batch is one transaction. */
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
      await prisma.$transaction(async (tx) => {
        for (const [category, ids] of deletes) {
          await tx.baileysAuthKey.deleteMany({ where: { instanceId, category, keyId: { in: ids } } });
        }
        for (const change of upserts) {
          await tx.baileysAuthKey.upsert({
            where: { instanceId_category_keyId: { instanceId, category: change.category, keyId: change.id } },
            create: { instanceId, category: change.category, keyId: change.id, value: change.value as string },
            update: { value: change.value as string },
          });
        }
      });
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
