/** Small expiring values: rate-limit counters, caches, idempotency marks. Redis when configured, memory otherwise. */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: { ttlMs?: number }): Promise<void>;
  /** Sets only if absent; true when this call set it (SET NX). */
  setIfAbsent(key: string, value: string, options?: { ttlMs?: number }): Promise<boolean>;
  delete(key: string): Promise<void>;
}
