import { describe, expect, it } from 'vitest';
import { redisDurabilityProblems } from './redis-durability.ts';

describe('redisDurabilityProblems', () => {
  it('accepts persistence (AOF or RDB) with an eviction policy that never drops keys without a TTL', () => {
    expect(redisDurabilityProblems({ maxmemoryPolicy: 'noeviction', appendonly: 'yes', save: '' })).toEqual([]);
    expect(redisDurabilityProblems({ maxmemoryPolicy: 'noeviction', appendonly: 'no', save: '3600 1 300 100' })).toEqual([]);
    expect(redisDurabilityProblems({ maxmemoryPolicy: 'volatile-lru', appendonly: 'yes', save: null })).toEqual([]);
  });

  it('refuses eviction of any key, no persistence, and settings it cannot read', () => {
    expect(redisDurabilityProblems({ maxmemoryPolicy: 'allkeys-lru', appendonly: 'yes', save: '' })).toEqual([
      expect.stringContaining('allkeys-lru'),
    ]);
    expect(redisDurabilityProblems({ maxmemoryPolicy: 'noeviction', appendonly: 'no', save: '' })).toEqual([
      expect.stringContaining('no persistence'),
    ]);
    expect(redisDurabilityProblems({ maxmemoryPolicy: null, appendonly: null, save: null })).toHaveLength(2);
  });
});
