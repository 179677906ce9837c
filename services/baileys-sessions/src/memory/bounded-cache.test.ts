import { describe, expect, it } from 'vitest';
import { BoundedCache } from './bounded-cache.ts';

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('BoundedCache', () => {
  it('never holds more than maxEntries, whatever is written', () => {
    const cache = new BoundedCache<number>({ maxEntries: 100, ttlMs: 60_000 });
    for (let index = 0; index < 10_000; index++) {
      cache.set(`key-${index}`, index);
      expect(cache.size).toBeLessThanOrEqual(100);
    }
    expect(cache.size).toBe(100);
    // The newest survive.
    expect(cache.get('key-9999')).toBe(9_999);
    expect(cache.get('key-0')).toBeUndefined();
  });

  it('evicts the least recently used entry: a read keeps an entry young', async () => {
    const cache = new BoundedCache<string>({ maxEntries: 3, ttlMs: 60_000 });
    cache.set('a', 'A');
    cache.set('b', 'B');
    cache.set('c', 'C');
    expect(cache.get('a')).toBe('A');
    cache.set('d', 'D');
    expect(cache.get('b')).toBeUndefined();
    expect(await cache.mget(['a', 'c', 'd'])).toEqual({ a: 'A', c: 'C', d: 'D' });
  });

  it('forgets an entry once its time to live is over, and drops expired entries when writing', () => {
    const time = clock();
    const cache = new BoundedCache<string>({ maxEntries: 1_000, ttlMs: 5_000, now: time.now });
    for (let index = 0; index < 500; index++) cache.set(`old-${index}`, 'x');
    time.advance(4_999);
    expect(cache.get('old-1')).toBe('x');
    time.advance(1);
    expect(cache.get('old-1')).toBeUndefined();
    cache.set('new', 'y');
    // The expired writes are gone without being read.
    expect(cache.size).toBe(1);
  });

  it('keeps a stored null as a value (Baileys caches deleted keys), and deletes on request', () => {
    const cache = new BoundedCache({ maxEntries: 10, ttlMs: 1_000 });
    cache.set('deleted', null);
    expect(cache.get('deleted')).toBeNull();
    expect(cache.get('missing')).toBeUndefined();
    cache.mset([
      { key: 'a', value: 1 },
      { key: 'b', value: 2 },
    ]);
    expect(cache.mdel(['a', 'missing'])).toBe(1);
    expect(cache.del('b')).toBe(1);
    cache.flushAll();
    expect(cache.size).toBe(0);
  });
});
