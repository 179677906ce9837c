import { describe, expect, it } from 'vitest';
import { podNameOfSlot, podOrdinal } from './pod-ordinal.ts';

describe('podOrdinal', () => {
  it('prefers the pod-index label', () => {
    expect(podOrdinal({ podIndex: '3', podName: 'baileys-sessions-7' })).toBe(3);
    expect(podOrdinal({ podIndex: '0' })).toBe(0);
  });

  it('falls back to the pod name suffix when the label is absent or not a number', () => {
    expect(podOrdinal({ podName: 'baileys-sessions-12' })).toBe(12);
    expect(podOrdinal({ podIndex: '', podName: 'baileys-sessions-0' })).toBe(0);
    expect(podOrdinal({ podIndex: 'abc', podName: 'baileys-sessions-2' })).toBe(2);
  });

  it('is null when neither says', () => {
    expect(podOrdinal({})).toBeNull();
    expect(podOrdinal({ podName: 'baileys-sessions' })).toBeNull();
    expect(podOrdinal({ podIndex: '-1', podName: 'laptop' })).toBeNull();
  });

  it('names the pod of a slot', () => {
    expect(podNameOfSlot('baileys-sessions', 4)).toBe('baileys-sessions-4');
  });
});
