import type { KeyValueStore } from '../ports/key-value.ts';

/** In-process KeyValueStore for standalone mode without Redis; expired entries are removed when read or swept. */
export function createMemoryKeyValueStore(options: { now?: () => number } = {}): KeyValueStore {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: string; expiresAt: number }>();
  let writes = 0;

  function live(key: string) {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function write(key: string, value: string, ttlMs?: number) {
    entries.set(key, { value, expiresAt: ttlMs === undefined ? Number.POSITIVE_INFINITY : now() + ttlMs });
    // Sweep now and then so keys that are never read again do not pile up.
    if (++writes % 1_000 === 0) for (const entryKey of entries.keys()) live(entryKey);
  }

  return {
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, options) {
      write(key, value, options?.ttlMs);
    },
    async setIfAbsent(key, value, options) {
      if (live(key)) return false;
      write(key, value, options?.ttlMs);
      return true;
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}
