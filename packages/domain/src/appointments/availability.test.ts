import { describe, expect, it } from 'vitest';
import { appointmentTransitions, appointmentStatuses, reminderSchedule, statusChangeRefusal } from './appointment-status.ts';
import {
  availabilityRuleProblems,
  blockedDays,
  bookingRefusal,
  freeSlots,
  ruleFromClock,
  slotSearchRange,
  type AvailabilityRule,
  type BookingCalendar,
} from './availability.ts';
import { formatZoned, instantsAt, localDayBounds, parseZonedInstant, resolveLocal } from './zoned-time.ts';

const rule = (weekday: number, start: string, end: string): AvailabilityRule => ruleFromClock(weekday, start, end)!;
const allWeek = (start: string, end: string) => [0, 1, 2, 3, 4, 5, 6].map((weekday) => rule(weekday, start, end));
const calendar = (timeZone: string, rules: AvailabilityRule[], extra: Partial<BookingCalendar> = {}): BookingCalendar => ({
  timeZone,
  rules,
  blocked: [],
  busy: [],
  ...extra,
});
const longAgo = new Date('2020-01-01T00:00:00Z');
const zoned = (slots: { start: Date }[], timeZone: string) => slots.map((slot) => formatZoned(slot.start, timeZone));

describe('wall-clock time in a zone', () => {
  it('finds no instant for 02:30 on Madrid’s spring-forward day, two for 02:30 on its fall-back day', () => {
    expect(instantsAt('2026-03-29', 150, 'Europe/Madrid')).toEqual([]);
    expect(instantsAt('2026-10-25', 150, 'Europe/Madrid').map((instant) => new Date(instant).toISOString())).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T01:30:00.000Z',
    ]);
    expect(new Date(resolveLocal('2026-03-29', 150, 'Europe/Madrid')).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('knows Mexico City keeps -06:00 all year and that the spring-forward day is 23 hours long', () => {
    expect(formatZoned(new Date('2026-07-01T15:00:00Z'), 'America/Mexico_City')).toBe('2026-07-01T09:00:00-06:00');
    expect(formatZoned(new Date('2026-01-01T15:00:00Z'), 'America/Mexico_City')).toBe('2026-01-01T09:00:00-06:00');
    const day = localDayBounds('2026-03-29', 'Europe/Madrid');
    expect((day.end - day.start) / 3_600_000).toBe(23);
  });
});

describe('free slots', () => {
  it('offers every step of each range of the day, in the business’s zone, and nothing in between', () => {
    const rules = [rule(1, '09:00', '11:00'), rule(1, '16:00', '17:00')];
    const slots = freeSlots({
      calendar: calendar('America/Mexico_City', rules),
      durationMinutes: 60,
      from: '2026-06-01', // a Monday
      to: '2026-06-02',
      stepMinutes: 30,
      now: longAgo,
    });
    expect(zoned(slots, 'America/Mexico_City')).toEqual([
      '2026-06-01T09:00:00-06:00',
      '2026-06-01T09:30:00-06:00',
      '2026-06-01T10:00:00-06:00',
      '2026-06-01T16:00:00-06:00',
    ]);
  });

  it('never offers 02:30 on a spring-forward day, and offers the repeated 02:30 twice on fall-back', () => {
    const night = allWeek('01:00', '04:00');
    const spring = freeSlots({
      calendar: calendar('Europe/Madrid', night),
      durationMinutes: 30,
      from: '2026-03-29',
      to: '2026-03-29',
      stepMinutes: 30,
      now: longAgo,
    });
    expect(zoned(spring, 'Europe/Madrid')).toEqual([
      '2026-03-29T01:00:00+01:00',
      '2026-03-29T01:30:00+01:00',
      '2026-03-29T03:00:00+02:00',
      '2026-03-29T03:30:00+02:00',
    ]);
    const autumn = freeSlots({
      calendar: calendar('Europe/Madrid', night),
      durationMinutes: 30,
      from: '2026-10-25',
      to: '2026-10-25',
      stepMinutes: 30,
      now: longAgo,
    });
    expect(zoned(autumn, 'Europe/Madrid')).toEqual([
      '2026-10-25T01:00:00+02:00',
      '2026-10-25T01:30:00+02:00',
      '2026-10-25T02:00:00+02:00',
      '2026-10-25T02:30:00+02:00',
      '2026-10-25T02:00:00+01:00',
      '2026-10-25T02:30:00+01:00',
      '2026-10-25T03:00:00+01:00',
      '2026-10-25T03:30:00+01:00',
    ]);
    // Every offered slot is a distinct real half hour.
    expect(new Set(autumn.map((slot) => slot.start.getTime())).size).toBe(autumn.length);
  });

  it('handles New York’s repeated 01:00 hour the same way', () => {
    const slots = freeSlots({
      calendar: calendar('America/New_York', allWeek('00:00', '03:00')),
      durationMinutes: 60,
      from: '2026-11-01',
      to: '2026-11-01',
      stepMinutes: 60,
      now: longAgo,
    });
    expect(zoned(slots, 'America/New_York')).toEqual([
      '2026-11-01T00:00:00-04:00',
      '2026-11-01T01:00:00-04:00',
      '2026-11-01T01:00:00-05:00',
      '2026-11-01T02:00:00-05:00',
    ]);
  });

  it('leaves out blocked days and ranges, appointments already taken and the past', () => {
    const timeZone = 'Europe/Madrid';
    const base = calendar(timeZone, allWeek('09:00', '12:00'), {
      blocked: [
        blockedDays('2026-12-25', '2026-12-25', timeZone),
        { start: Date.parse('2026-12-24T10:00:00Z'), end: Date.parse('2026-12-24T11:00:00Z') },
      ],
      busy: [{ start: Date.parse('2026-12-26T08:00:00Z'), end: Date.parse('2026-12-26T08:45:00Z') }],
    });
    const slots = freeSlots({ calendar: base, durationMinutes: 60, from: '2026-12-24', to: '2026-12-26', stepMinutes: 60, now: longAgo });
    expect(zoned(slots, timeZone)).toEqual([
      '2026-12-24T09:00:00+01:00',
      // 11:00 local is 10:00Z, the blocked hour; the 25th is a blocked day; 09:00 on the 26th is taken.
      '2026-12-24T10:00:00+01:00',
      '2026-12-26T10:00:00+01:00',
      '2026-12-26T11:00:00+01:00',
    ]);
    const later = freeSlots({
      calendar: base,
      durationMinutes: 60,
      from: '2026-12-24',
      to: '2026-12-24',
      stepMinutes: 60,
      now: new Date('2026-12-24T08:30:00Z'),
    });
    expect(zoned(later, timeZone)).toEqual(['2026-12-24T10:00:00+01:00']);
  });
});

describe('a requested start', () => {
  const timeZone = 'Europe/Madrid';
  const rules = [rule(1, '09:00', '13:00'), rule(1, '16:00', '20:00')];
  const monday = (clock: string) => new Date(`2026-06-01T${clock}:00+02:00`);
  const refusal = (start: Date, durationMinutes = 60, blocked: { start: number; end: number }[] = []) =>
    bookingRefusal({ calendar: { timeZone, rules, blocked }, start, durationMinutes, now: new Date('2026-05-01T00:00:00Z') })?.code ?? null;

  it('is accepted wholly inside one range and refused across the lunch break, outside hours or on a closed day', () => {
    expect(refusal(monday('09:00'))).toBeNull();
    expect(refusal(monday('12:00'))).toBeNull();
    expect(refusal(monday('12:30'))).toBe('OUTSIDE_AVAILABILITY');
    expect(refusal(monday('08:30'))).toBe('OUTSIDE_AVAILABILITY');
    expect(refusal(new Date('2026-06-02T10:00:00+02:00'))).toBe('OUTSIDE_AVAILABILITY');
  });

  it('is refused in the past and on a blocked range', () => {
    expect(
      bookingRefusal({ calendar: { timeZone, rules, blocked: [] }, start: monday('09:00'), durationMinutes: 30, now: monday('09:01') })?.code,
    ).toBe('IN_THE_PAST');
    expect(refusal(monday('10:00'), 60, [blockedDays('2026-06-01', '2026-06-01', timeZone)])).toBe('BLOCKED');
  });
});

describe('availability editing and search ranges', () => {
  it('names overlapping or inverted ranges', () => {
    expect(availabilityRuleProblems([rule(1, '09:00', '13:00'), rule(1, '16:00', '20:00'), rule(2, '09:00', '13:00')])).toEqual([]);
    expect(availabilityRuleProblems([rule(1, '09:00', '13:00'), rule(1, '12:00', '14:00')])).toEqual(['on weekday 1 two ranges overlap']);
    expect(availabilityRuleProblems([{ weekday: 1, startMinute: 600, endMinute: 540 }])).toHaveLength(1);
    expect(ruleFromClock(1, '25:00', '26:00')).toBeNull();
  });

  it('accepts a day or a range of up to a month', () => {
    expect(slotSearchRange('2026-06-01', undefined)).toEqual({ from: '2026-06-01', to: '2026-06-01' });
    expect(slotSearchRange('2026-06-01', '2026-06-30')).not.toBeNull();
    expect(slotSearchRange('2026-06-01', '2026-08-01')).toBeNull();
    expect(slotSearchRange('2026-06-02', '2026-06-01')).toBeNull();
    expect(slotSearchRange('2026-02-30', undefined)).toBeNull();
  });
});

describe('appointment statuses', () => {
  it('allows exactly the moves of the table', () => {
    const now = new Date('2026-06-02T00:00:00Z');
    const startedAt = new Date('2026-06-01T00:00:00Z');
    for (const from of appointmentStatuses) {
      for (const to of appointmentStatuses) {
        const allowed = appointmentTransitions[from].includes(to);
        expect(statusChangeRefusal(from, to, startedAt, now) === null, `${from} → ${to}`).toBe(allowed);
      }
    }
    expect(appointmentTransitions.CANCELLED).toEqual([]);
  });

  it('does not mark an appointment completed or no-show before it starts', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    expect(statusChangeRefusal('CONFIRMED', 'COMPLETED', new Date('2026-06-02T00:00:00Z'), now)?.code).toBe('NOT_STARTED');
    expect(statusChangeRefusal('CONFIRMED', 'CANCELLED', new Date('2026-06-02T00:00:00Z'), now)).toBeNull();
  });
});

describe('reminder schedule', () => {
  it('schedules 24 h and 1 h before, only those still ahead', () => {
    const start = new Date('2026-06-02T10:00:00Z');
    expect(reminderSchedule(start, [60, 1440], new Date('2026-06-01T00:00:00Z'))).toEqual([
      { minutesBefore: 1440, dueAt: new Date('2026-06-01T10:00:00Z') },
      { minutesBefore: 60, dueAt: new Date('2026-06-02T09:00:00Z') },
    ]);
    expect(reminderSchedule(start, [1440, 60, 60], new Date('2026-06-02T08:00:00Z'))).toEqual([
      { minutesBefore: 60, dueAt: new Date('2026-06-02T09:00:00Z') },
    ]);
  });
});

describe('a start as written', () => {
  it('reads a wall time in the business’s zone, an offset as given, and refuses skipped, repeated and malformed times', () => {
    expect(parseZonedInstant('2026-06-01T10:00', 'Europe/Madrid')).toEqual({ ok: true, instant: new Date('2026-06-01T08:00:00Z') });
    expect(parseZonedInstant('2026-06-01T10:00:00-06:00', 'Europe/Madrid')).toEqual({ ok: true, instant: new Date('2026-06-01T16:00:00Z') });
    expect(parseZonedInstant('2026-03-29T02:30', 'Europe/Madrid')).toMatchObject({ ok: false, reason: 'NONEXISTENT' });
    expect(parseZonedInstant('2026-10-25T02:30', 'Europe/Madrid')).toMatchObject({
      ok: false,
      reason: 'AMBIGUOUS',
      message: expect.stringContaining('2026-10-25T02:30:00+02:00 or 2026-10-25T02:30:00+01:00'),
    });
    expect(parseZonedInstant('mañana a las 10', 'Europe/Madrid')).toMatchObject({ ok: false, reason: 'MALFORMED' });
    expect(parseZonedInstant('2026-02-30T10:00', 'Europe/Madrid')).toMatchObject({ ok: false, reason: 'MALFORMED' });
  });
});
