import { addDays, resolveLocal, toLocal, weekdayOf, type LocalDate } from '@app/domain/zoned-time';
import type { AppointmentView } from '../../../core/api/api-models';

/**
 * Where appointments sit on the calendar's grid, in the business's time zone: one column per local day, rows of
 * `slotMinutes` from `firstHour` to `lastHour`. Pure, so the week and day views and their tests share it.
 */
export interface CalendarGrid {
  days: LocalDate[];
  firstHour: number;
  lastHour: number;
  slotMinutes: number;
}

export interface PlacedAppointment {
  appointment: AppointmentView;
  day: LocalDate;
  /** Minutes from the grid's first hour to the start, and the length on the wall clock (clipped to the grid). */
  top: number;
  height: number;
}

/** The Monday of the week holding `date`. */
export function weekStart(date: LocalDate): LocalDate {
  return addDays(date, -((weekdayOf(date) + 6) % 7));
}

export function gridDays(anchor: LocalDate, view: 'week' | 'day'): LocalDate[] {
  if (view === 'day') return [anchor];
  const monday = weekStart(anchor);
  return Array.from({ length: 7 }, (_, index) => addDays(monday, index));
}

/** The instants the grid covers: from the first day's midnight to the day after the last one's. */
export function gridSpan(days: LocalDate[], timeZone: string): { from: Date; to: Date } {
  return { from: new Date(resolveLocal(days[0]!, 0, timeZone)), to: new Date(resolveLocal(addDays(days.at(-1)!, 1), 0, timeZone)) };
}

export function placeAppointments(appointments: AppointmentView[], grid: CalendarGrid, timeZone: string): PlacedAppointment[] {
  const gridStart = grid.firstHour * 60;
  const gridEnd = grid.lastHour * 60;
  return appointments.flatMap((appointment) => {
    const start = toLocal(new Date(appointment.startsAt), timeZone);
    if (!grid.days.includes(start.date)) return [];
    const lengthMinutes = Math.round((Date.parse(appointment.endsAt) - Date.parse(appointment.startsAt)) / 60_000);
    const top = Math.max(start.minute, gridStart) - gridStart;
    const bottom = Math.min(start.minute + lengthMinutes, gridEnd) - gridStart;
    if (bottom <= 0 || top >= gridEnd - gridStart) return [];
    return [{ appointment, day: start.date, top, height: Math.max(bottom - top, grid.slotMinutes / 2) }];
  });
}

/** The instant a drop on `day` at `minute` means, as the business's clock reads it (a skipped time moves forward). */
export function dropInstant(day: LocalDate, minute: number, timeZone: string): Date {
  return new Date(resolveLocal(day, minute, timeZone));
}

/** The hours to show: the opening ranges' span, widened to whole hours and to any appointment outside them. */
export function visibleHours(ranges: { start: string; end: string }[], placedMinutes: number[] = []): { firstHour: number; lastHour: number } {
  const minutes = [...ranges.flatMap((range) => [clockMinutes(range.start), clockMinutes(range.end)]), ...placedMinutes];
  if (minutes.length === 0) return { firstHour: 8, lastHour: 20 };
  return { firstHour: Math.floor(Math.min(...minutes) / 60), lastHour: Math.min(24, Math.ceil(Math.max(...minutes) / 60)) };
}

function clockMinutes(value: string): number {
  const [hours, minutes] = value.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}
