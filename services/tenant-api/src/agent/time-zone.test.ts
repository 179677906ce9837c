import { describe, expect, it } from 'vitest';
import { isIanaTimeZone } from './time-zone.ts';

describe('isIanaTimeZone', () => {
  it.each(['UTC', 'Europe/Madrid', 'America/Argentina/Buenos_Aires', 'Etc/GMT+3'])('accepts %s', (zone) => {
    expect(isIanaTimeZone(zone)).toBe(true);
  });

  it.each(['', 'Mars/Olympus_Mons', '+02:00', 'Europe/', 'Europe Madrid'])('refuses %j', (zone) => {
    expect(isIanaTimeZone(zone)).toBe(false);
  });
});
