import { TestBed } from '@angular/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { I18n } from './i18n';

describe('I18n', () => {
  let i18n: I18n;
  beforeEach(() => {
    localStorage.clear();
    i18n = TestBed.inject(I18n);
    i18n.use('en');
  });

  it('switches language at run time and fills in parameters', () => {
    expect(i18n.t('inbox.unread', { count: 3 })).toBe('3 unread');
    i18n.use('es');
    expect(i18n.t('inbox.unread', { count: 3 })).toBe('3 sin leer');
    expect(localStorage.getItem('console.language')).toBe('es');
  });

  it('shows times and calendar days in the business time zone', () => {
    i18n.timeZone.set('America/Mexico_City');
    // 03:30 UTC on 2 March is still 1 March (21:30) in Mexico City.
    expect(i18n.time('2026-03-02T03:30:00.000Z')).toBe('21:30');
    expect(i18n.dayNumber(new Date('2026-03-02T03:30:00.000Z'))).toBe(i18n.dayNumber(new Date('2026-03-01T12:00:00.000Z')));
    i18n.timeZone.set('Europe/Madrid');
    expect(i18n.time('2026-03-02T03:30:00.000Z')).toBe('04:30');
  });

  it('labels days like a messenger', () => {
    i18n.timeZone.set('UTC');
    const now = new Date('2026-03-05T12:00:00.000Z');
    expect(i18n.dayLabel('2026-03-05T08:00:00.000Z', now)).toBe('Today');
    expect(i18n.dayLabel('2026-03-04T08:00:00.000Z', now)).toBe('Yesterday');
    expect(i18n.listTimestamp('2026-03-05T08:00:00.000Z', now)).toBe('08:00');
    expect(i18n.duration(3 * 3_600_000 + 20 * 60_000)).toBe('3 h 20 min');
  });
});
