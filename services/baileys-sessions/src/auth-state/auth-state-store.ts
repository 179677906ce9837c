/** One change of a signal key: a sealed value, or null to delete it (Baileys' `keys.set` semantics). */
export interface AuthKeyChange {
  category: string;
  id: string;
  value: string | null;
}

/**
 * Where a session's auth state lives, as opaque (already encrypted) strings. Adapters: PostgreSQL and Redis.
 * `writeKeys` applies a whole batch atomically: a crash leaves either all of it or none.
 */
export interface AuthStateStore {
  readonly kind: 'postgres' | 'redis';
  readCreds(instanceId: string): Promise<string | null>;
  writeCreds(instanceId: string, value: string): Promise<void>;
  readKeys(instanceId: string, category: string, ids: string[]): Promise<Map<string, string>>;
  writeKeys(instanceId: string, changes: AuthKeyChange[]): Promise<void>;
  /** Deletes the creds and every key of the instance (logged out: a new scan is needed). */
  clear(instanceId: string): Promise<void>;
  /** True when creds are stored (the session can resume without a scan). */
  hasCreds(instanceId: string): Promise<boolean>;
}

/** The row/field name creds are stored under, next to the keys. */
export const credsCategory = 'creds';
export const credsId = 'creds';
