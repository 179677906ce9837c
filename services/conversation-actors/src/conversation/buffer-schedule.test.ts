import { describe, expect, it } from 'vitest';
import { nextFlushAt } from './buffer-schedule.ts';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, seconds));

describe('nextFlushAt', () => {
  it('debounces: the flush is bufferSeconds after the last message', () => {
    expect(nextFlushAt({ firstAt: at(0), lastAt: at(4), bufferSeconds: 5, maxBufferSeconds: 30 })).toEqual(at(9));
  });

  it('caps the wait at maxBufferSeconds after the first message', () => {
    expect(nextFlushAt({ firstAt: at(0), lastAt: at(28), bufferSeconds: 5, maxBufferSeconds: 30 })).toEqual(at(30));
  });

  it('never flushes before the first message, even with a zero cap', () => {
    expect(nextFlushAt({ firstAt: at(10), lastAt: at(10), bufferSeconds: 5, maxBufferSeconds: 0 })).toEqual(at(10));
  });
});
