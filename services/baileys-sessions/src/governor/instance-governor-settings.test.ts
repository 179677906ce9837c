import { describe, expect, it } from 'vitest';
import { FakeTimers } from '../../test/support/fake-timers.ts';
import { createInstanceGovernorSettings, governorConfigOf, governorDefaultsFromConfig } from './instance-governor-settings.ts';
import { defaultGovernorConfig } from './sending-governor.ts';

describe('an instance’s sending governor', () => {
  it('lays the instance’s settings over the deployment’s defaults (typing off or back on)', () => {
    const defaults = governorDefaultsFromConfig({
      BAILEYS_MAX_PER_MINUTE: 20,
      BAILEYS_MIN_GAP_PER_RECIPIENT_MS: 3_000,
      BAILEYS_NEW_CONTACTS_PER_DAY: 20,
      BAILEYS_TYPING: true,
    });
    expect(governorConfigOf(defaults, {})).toEqual(defaults);
    expect(governorConfigOf(defaults, { maxPerMinute: 4, typing: false })).toMatchObject({
      maxPerMinute: 4,
      minGapPerRecipientMs: 3_000,
      minTypingMs: 0,
      maxTypingMs: 0,
    });
    const quiet = governorDefaultsFromConfig({
      BAILEYS_MAX_PER_MINUTE: 20,
      BAILEYS_MIN_GAP_PER_RECIPIENT_MS: 0,
      BAILEYS_NEW_CONTACTS_PER_DAY: 20,
      BAILEYS_TYPING: false,
    });
    expect(governorConfigOf(quiet, { typing: true })).toMatchObject({
      minTypingMs: defaultGovernorConfig.minTypingMs,
      maxTypingMs: defaultGovernorConfig.maxTypingMs,
    });
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
