import { describe, expect, it } from 'vitest';
import { FakeTimers } from '../../test/support/fake-timers.ts';
import { createInstanceGovernorSettings, governorDefaultsFromConfig } from './instance-governor-settings.ts';
import { defaultGovernorConfig } from './sending-governor.ts';
import { applySendingSettingsPatch, governorConfigOf, readSendingSettings, sendingSettingsPatchSchema } from './sending-settings.ts';

describe('per-instance sending settings', () => {
  it('accepts values inside the safe ranges only, and nothing else', () => {
    expect(sendingSettingsPatchSchema.safeParse({ maxPerMinute: 60, minGapPerRecipientMs: 1_000, newContactsPerDay: 0, typing: false }).success).toBe(true);
    expect(sendingSettingsPatchSchema.safeParse({ maxPerMinute: null }).success).toBe(true);
    for (const bad of [{ maxPerMinute: 61 }, { maxPerMinute: 0 }, { minGapPerRecipientMs: 999 }, { newContactsPerDay: 201 }, { maxPerMinute: 2.5 }, { typing: 'yes' }, { burst: 3 }]) {
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

  it('lays the instance’s settings over the deployment’s defaults (typing off or back on)', () => {
    const defaults = governorDefaultsFromConfig({ BAILEYS_MAX_PER_MINUTE: 20, BAILEYS_MIN_GAP_PER_RECIPIENT_MS: 3_000, BAILEYS_NEW_CONTACTS_PER_DAY: 20, BAILEYS_TYPING: true });
    expect(governorConfigOf(defaults, {})).toEqual(defaults);
    expect(governorConfigOf(defaults, { maxPerMinute: 4, typing: false })).toMatchObject({ maxPerMinute: 4, minGapPerRecipientMs: 3_000, minTypingMs: 0, maxTypingMs: 0 });
    const quiet = governorDefaultsFromConfig({ BAILEYS_MAX_PER_MINUTE: 20, BAILEYS_MIN_GAP_PER_RECIPIENT_MS: 0, BAILEYS_NEW_CONTACTS_PER_DAY: 20, BAILEYS_TYPING: false });
    expect(governorConfigOf(quiet, { typing: true })).toMatchObject({ minTypingMs: defaultGovernorConfig.minTypingMs, maxTypingMs: defaultGovernorConfig.maxTypingMs });
  });

  it('reads an instance’s settings at most once per cache period, and sees an edit after it', async () => {
    let stored: object | null = { maxPerMinute: 3 };
    let reads = 0;
    const prisma = { instance: { findUnique: async () => (reads++, { baileysSettings: stored }) } };
    const clock = new FakeTimers();
    const settingsOf = createInstanceGovernorSettings({ prisma: prisma as never, defaults: defaultGovernorConfig, cacheMs: 10_000, clock });
    expect((await settingsOf('i-1')).maxPerMinute).toBe(3);
    stored = { maxPerMinute: 7 };
    await clock.advance(9_999);
    expect((await settingsOf('i-1')).maxPerMinute).toBe(3);
    expect(reads).toBe(1);
    await clock.advance(1);
    expect((await settingsOf('i-1')).maxPerMinute).toBe(7);
    stored = null;
    await clock.advance(10_000);
    expect((await settingsOf('i-1')).maxPerMinute).toBe(defaultGovernorConfig.maxPerMinute);
  });
});
