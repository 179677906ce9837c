import { credsCategory, credsId, type AuthStateStore } from '../../src/auth-state/auth-state-store.ts';

/** AuthStateStore in a Map, for unit tests of the session logic (the real adapters have their own tests). */
export function createMemoryAuthStateStore(): AuthStateStore & { size(instanceId: string): number } {
  const data = new Map<string, Map<string, string>>();
  const of = (instanceId: string) => {
    let values = data.get(instanceId);
    if (!values) data.set(instanceId, (values = new Map()));
    return values;
  };
  const field = (category: string, id: string) => `${category}:${id}`;
  return {
    kind: 'postgres',
    async readCreds(instanceId) {
      return of(instanceId).get(field(credsCategory, credsId)) ?? null;
    },
    async writeCreds(instanceId, value) {
      of(instanceId).set(field(credsCategory, credsId), value);
    },
    async readKeys(instanceId, category, ids) {
      const values = of(instanceId);
      return new Map(ids.flatMap((id) => (values.has(field(category, id)) ? [[id, values.get(field(category, id))!] as const] : [])));
    },
    async writeKeys(instanceId, changes) {
      const values = of(instanceId);
      for (const change of changes) {
        if (change.value === null) values.delete(field(change.category, change.id));
        else values.set(field(change.category, change.id), change.value);
      }
    },
    async clear(instanceId) {
      data.delete(instanceId);
    },
    async hasCreds(instanceId) {
      return of(instanceId).has(field(credsCategory, credsId));
    },
    size(instanceId) {
      return of(instanceId).size;
    },
  };
}
