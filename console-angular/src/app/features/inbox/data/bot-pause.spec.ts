import { describe, expect, it } from 'vitest';
import { botPauseUntil, tomorrowAt } from './bot-pause';

describe('botPauseUntil', () => {
  const now = new Date('2026-03-01T22:30:00.000Z');

  it('adds 30 minutes or 2 hours to now', () => {
    expect(botPauseUntil('thirtyMinutes', now, 'UTC')).toBe('2026-03-01T23:00:00.000Z');
    expect(botPauseUntil('twoHours', now, 'UTC')).toBe('2026-03-02T00:30:00.000Z');
  });

  it('pauses without an end when chosen indefinitely', () => {
    expect(botPauseUntil('indefinitely', now, 'UTC')).toBeNull();
  });

  it('ends at 9:00 tomorrow on the business clock, not the browser clock', () => {
    // 22:30 UTC is already 23:30 in Madrid (UTC+1 in winter): tomorrow is 2 March, 9:00 there is 8:00 UTC.
    expect(botPauseUntil('tomorrowMorning', now, 'Europe/Madrid')).toBe('2026-03-02T08:00:00.000Z');
    // In Mexico City (UTC-6) it is still 16:30 on 1 March: tomorrow is 2 March at 15:00 UTC.
    expect(botPauseUntil('tomorrowMorning', now, 'America/Mexico_City')).toBe('2026-03-02T15:00:00.000Z');
    // In Tokyo (UTC+9) it is already 2 March, 7:30: tomorrow is 3 March.
    expect(botPauseUntil('tomorrowMorning', now, 'Asia/Tokyo')).toBe('2026-03-03T00:00:00.000Z');
  });

  it('follows a daylight-saving change overnight', () => {
    // Madrid moves to UTC+2 in the night of 28 to 29 March 2026.
    expect(tomorrowAt(9, new Date('2026-03-28T12:00:00.000Z'), 'Europe/Madrid').toISOString()).toBe('2026-03-29T07:00:00.000Z');
  });
});
