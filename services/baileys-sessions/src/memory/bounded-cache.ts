export interface BoundedCacheOptions {
  /** Never more entries than this: the least recently used one goes first. */
  maxEntries: number;
  /** An entry is forgotten this long after it was written (reads do not extend it). */
  ttlMs: number;
  /** Milliseconds clock (tests pass a fake one). */
  now?: () => number;
}

interface Slot<T> {
  value: T;
  expiresAt: number;
}

/**
 * A cache with a size cap (least recently used out first) and a time to live, so a process holding hundreds of
 * sessions for months cannot grow without bound. It has the shape of Baileys' `CacheStore` (get, set, del,
 * flushAll, plus mget/mset/mdel) and replaces the unbounded `NodeCache`s Baileys makes by default. A stored
 * `null` is a value (Baileys caches deleted signal keys as null), not a miss.
 */
export class BoundedCache<V = unknown> {
  private readonly entries = new Map<string, Slot<V>>();
  private readonly now: () => number;

  constructor(private readonly options: BoundedCacheOptions) {
    if (!(options.maxEntries >= 1)) throw new Error('BoundedCache needs maxEntries ≥ 1');
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get maxEntries(): number {
    return this.options.maxEntries;
  }

  get<T = V>(key: string): T | undefined {
    const slot = this.entries.get(key);
    if (!slot) return undefined;
    if (slot.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Map order is the recency order: a read moves the entry to the young end.
    this.entries.delete(key);
    this.entries.set(key, slot);
    return slot.value as unknown as T;
  }

  set<T = V>(key: string, value: T): boolean {
    this.entries.delete(key);
    this.entries.set(key, { value: value as unknown as V, expiresAt: this.now() + this.options.ttlMs });
    this.evict();
    return true;
  }

  del(key: string): number {
    return this.entries.delete(key) ? 1 : 0;
  }

  flushAll(): void {
    this.entries.clear();
  }

  /** A promise, as Baileys' extended cache store has it. */
  async mget<T = V>(keys: string[]): Promise<Record<string, T | undefined>> {
    return Object.fromEntries(keys.map((key) => [key, this.get<T>(key)]));
  }

  mset<T = V>(entries: { key: string; value: T }[]): boolean {
    for (const entry of entries) this.set(entry.key, entry.value);
    return true;
  }

  mdel(keys: string[]): number {
    return keys.reduce((deleted, key) => deleted + this.del(key), 0);
  }

  private evict(): void {
    // Expired entries first (oldest writes sit at the old end unless read since), then the least recently used.
    const now = this.now();
    for (const [key, slot] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && slot.expiresAt > now) break;
      this.entries.delete(key);
    }
  }
}
