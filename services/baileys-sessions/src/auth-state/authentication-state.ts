import type { SecretBox } from '@app/db';
import {
  BufferJSON,
  initAuthCreds,
  proto,
  type AuthenticationCreds,
  type AuthenticationState,
  type SignalDataSet,
  type SignalDataTypeMap,
} from '@whiskeysockets/baileys';
import { credsCategory, credsId, type AuthKeyChange, type AuthStateStore } from './auth-state-store.ts';

export interface SessionAuthState {
  /** What `makeWASocket({ auth })` takes. */
  state: AuthenticationState;
  /** Persist the creds; wire to `creds.update`. */
  saveCreds(): Promise<void>;
  /** Resolves once every write issued so far is stored. */
  flush(): Promise<void>;
  /** Wipes the stored creds and keys (after a logout). */
  clear(): Promise<void>;
}

export interface LoadAuthStateOptions {
  store: AuthStateStore;
  instanceId: string;
  /** Encrypts every value at rest; the associated data binds a value to its instance, category and key id. */
  secretBox: SecretBox;
}

/**
 * Baileys' `AuthenticationState` over an `AuthStateStore`: creds and every signal key type (including v7's
 * `lid-mapping`, `device-list`, `tctoken`), serialized with Baileys' own `BufferJSON` and sealed with the SecretBox.
 * Every `keys.set` is persisted as one atomic batch (null deletes); writes of one session are applied in the order
 * Baileys issued them, so a later value never loses to an earlier one.
 */
export async function loadAuthenticationState(options: LoadAuthStateOptions): Promise<SessionAuthState> {
  const { store, instanceId, secretBox } = options;
  const associatedData = (category: string, id: string) => `baileys:${instanceId}:${category}:${id}`;
  const seal = (category: string, id: string, value: unknown) =>
    secretBox.encrypt(JSON.stringify(value, BufferJSON.replacer), associatedData(category, id));
  const open = <T>(category: string, id: string, sealed: string): T =>
    JSON.parse(secretBox.decrypt(sealed, associatedData(category, id)), BufferJSON.reviver) as T;

  const storedCreds = await store.readCreds(instanceId);
  const creds: AuthenticationCreds = storedCreds ? open(credsCategory, credsId, storedCreds) : initAuthCreds();

  // One queue per session: writes land in issue order; a failed write fails its caller and does not block the next.
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = (write: () => Promise<void>): Promise<void> => {
    const next = queue.then(write);
    queue = next.catch(() => undefined);
    return next;
  };

  const state: AuthenticationState = {
    creds,
    keys: {
      async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
        await queue;
        const stored = await store.readKeys(instanceId, type, ids);
        const result: { [id: string]: SignalDataTypeMap[T] } = {};
        for (const [id, sealed] of stored) {
          let value = open<SignalDataTypeMap[T]>(type, id, sealed);
          if (type === 'app-state-sync-key' && value) {
            value = proto.Message.AppStateSyncKeyData.fromObject(value as object) as unknown as SignalDataTypeMap[T];
          }
          result[id] = value;
        }
        return result;
      },
      async set(data: SignalDataSet) {
        const changes: AuthKeyChange[] = [];
        for (const [category, values] of Object.entries(data)) {
          for (const [id, value] of Object.entries(values ?? {})) {
            changes.push({ category, id, value: value === null || value === undefined ? null : seal(category, id, value) });
          }
        }
        await enqueue(() => store.writeKeys(instanceId, changes));
      },
      async clear() {
        await enqueue(() => store.clear(instanceId));
      },
    },
  };

  return {
    state,
    saveCreds: () => enqueue(() => store.writeCreds(instanceId, seal(credsCategory, credsId, creds))),
    flush: async () => {
      await queue;
    },
    clear: () => enqueue(() => store.clear(instanceId)),
  };
}
