import { describe, expect, it } from 'vitest';
import { applySendingSettingsPatch, readSendingSettings, sendingSettingsPatchSchema } from './sending-settings.ts';

describe('per-instance sending settings', () => {
  it('accepts values inside the safe ranges only, and nothing else', () => {
    expect(sendingSettingsPatchSchema.safeParse({ maxPerMinute: 60, minGapPerRecipientMs: 1_000, newContactsPerDay: 0, typing: false }).success).toBe(
      true,
    );
    expect(sendingSettingsPatchSchema.safeParse({ maxPerMinute: null }).success).toBe(true);
    for (const bad of [
      { maxPerMinute: 61 },
      { maxPerMinute: 0 },
      { minGapPerRecipientMs: 999 },
      { newContactsPerDay: 201 },
      { maxPerMinute: 2.5 },
      { typing: 'yes' },
      { burst: 3 },
    ]) {
      expect(sendingSettingsPatchSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('merges a change into the stored settings: absent keys kept, null back to the default', () => {
    const stored = { maxPerMinute: 5, typing: false };
    expect(applySendingSettingsPatch(stored, { newContactsPerDay: 3 })).toEqual({ maxPerMinute: 5, typing: false, newContactsPerDay: 3 });
    expect(applySendingSettingsPatch(stored, { maxPerMinute: null, typing: true })).toEqual({ typing: true });
  });

  it('reads stored settings tolerantly: a value out of range or of the wrong type falls back to the default', () => {
    expect(readSendingSettings({ maxPerMinute: 500, minGapPerRecipientMs: 2_000, typing: 'no', other: 1 })).toEqual({ minGapPerRecipientMs: 2_000 });
    expect(readSendingSettings(null)).toEqual({});
    expect(readSendingSettings([1])).toEqual({});
  });
});
