import { describe, expect, it } from 'vitest';
import type { AppointmentView } from '../../../core/api/api-models';
import { dropInstant, gridDays, gridSpan, placeAppointments, visibleHours, weekStart } from './calendar-layout';

const appointment = (startsAt: string, endsAt: string): AppointmentView => ({
  id: startsAt,
  contact: { id: 'c', name: 'Ana', phone: null },
  service: { id: 's', name: 'Corte', durationMinutes: 60 },
  startsAt,
  endsAt,
  status: 'CONFIRMED',
  notes: null,
  createdAt: startsAt,
  updatedAt: startsAt,
});

describe('calendar layout', () => {
  it('starts weeks on Monday and shows one day on phones', () => {
    expect(weekStart('2026-06-07')).toBe('2026-06-01');
    expect(gridDays('2026-06-03', 'week')).toEqual([
      '2026-06-01',
      '2026-06-02',
      '2026-06-03',
      '2026-06-04',
      '2026-06-05',
      '2026-06-06',
      '2026-06-07',
    ]);
    expect(gridDays('2026-06-03', 'day')).toEqual(['2026-06-03']);
  });

  it('places appointments by the business’s wall clock, not the browser’s', () => {
    const grid = { days: gridDays('2026-06-01', 'week'), firstHour: 8, lastHour: 20, slotMinutes: 30 };
    const placed = placeAppointments([appointment('2026-06-02T08:00:00.000Z', '2026-06-02T09:00:00.000Z')], grid, 'Europe/Madrid');
    expect(placed).toEqual([expect.objectContaining({ day: '2026-06-02', top: 120, height: 60 })]);
    expect(placeAppointments([appointment('2026-06-09T08:00:00.000Z', '2026-06-09T09:00:00.000Z')], grid, 'Europe/Madrid')).toEqual([]);
  });

  it('turns a drop into the instant the business means, and spans the week across a DST change', () => {
    expect(dropInstant('2026-06-02', 10 * 60 + 30, 'Europe/Madrid').toISOString()).toBe('2026-06-02T08:30:00.000Z');
    const span = gridSpan(gridDays('2026-03-29', 'week'), 'Europe/Madrid');
    expect((span.to.getTime() - span.from.getTime()) / 3_600_000).toBe(7 * 24 - 1);
  });

  it('shows the opening hours, widened to whole hours', () => {
    expect(
      visibleHours([
        { start: '09:30', end: '13:00' },
        { start: '16:00', end: '19:45' },
      ]),
    ).toEqual({ firstHour: 9, lastHour: 20 });
    expect(visibleHours([])).toEqual({ firstHour: 8, lastHour: 20 });
  });
});
