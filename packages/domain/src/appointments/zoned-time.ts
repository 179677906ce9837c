/**
 * Wall-clock time in a business's IANA time zone, with Intl only (no I/O, no library): a local date and minute of
 * the day resolve to zero instants (the hour skipped when clocks spring forward), one, or two (the hour repeated
 * when they fall back). Everything the booking rules say about "Monday 09:00" goes through here.
 */

/** A calendar date in the business's time zone, `YYYY-MM-DD`. */
export type LocalDate = string;

const minuteMs = 60_000;
const dayMs = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface LocalDateTime {
  date: LocalDate;
  /** Minutes since local midnight. */
  minute: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

/** What a clock on the business's wall shows at `instant`. */
export function toLocal(instant: Date | number, timeZone: string): LocalDateTime {
  const parts = { year: 0, month: 0, day: 0, hour: 0, minute: 0 };
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (part.type in parts) parts[part.type as keyof typeof parts] = Number(part.value);
  }
  const date = `${pad(parts.year, 4)}-${pad(parts.month)}-${pad(parts.day)}`;
  return { date, minute: parts.hour * 60 + parts.minute, weekday: weekdayOf(date) };
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in minutes (Madrid in summer: 120). */
export function offsetMinutesAt(instant: number, timeZone: string): number {
  const local = toLocal(instant, timeZone);
  const wallAsUtc = parseLocalDate(local.date) + local.minute * minuteMs;
  const instantToTheMinute = Math.floor(instant / minuteMs) * minuteMs;
  return Math.round((wallAsUtc - instantToTheMinute) / minuteMs);
}

/**
 * Every instant at which the wall clock shows `date` at `minute`: [] inside a spring-forward gap, two on the repeated
 * hour of a fall-back (earlier first), one otherwise.
 */
export function instantsAt(date: LocalDate, minute: number, timeZone: string): number[] {
  const wallAsUtc = parseLocalDate(date) + minute * minuteMs;
  // The offsets in force a day either side cover any single transition near this wall time.
  const offsets = new Set([offsetMinutesAt(wallAsUtc - dayMs, timeZone), offsetMinutesAt(wallAsUtc + dayMs, timeZone)]);
  const instants = [...offsets]
    .map((offset) => wallAsUtc - offset * minuteMs)
    .filter((candidate) => {
      const local = toLocal(candidate, timeZone);
      return local.date === date && local.minute === minute;
    });
  return [...new Set(instants)].sort((a, b) => a - b);
}

/**
 * One instant for a wall time, as a person means it: the earlier of a repeated time, and a time the clocks skipped
 * moved forward by the gap (02:30 on Madrid's spring-forward day is 03:30) — Temporal's "compatible".
 */
export function resolveLocal(date: LocalDate, minute: number, timeZone: string): number {
  if (minute >= 24 * 60) return resolveLocal(addDays(date, Math.floor(minute / (24 * 60))), minute % (24 * 60), timeZone);
  const instants = instantsAt(date, minute, timeZone);
  if (instants.length > 0) return instants[0]!;
  const wallAsUtc = parseLocalDate(date) + minute * minuteMs;
  // In the gap: read it with the offset from before the jump, which lands after the jump.
  return wallAsUtc - offsetMinutesAt(wallAsUtc - dayMs, timeZone) * minuteMs;
}

/** The instants of the local day `date`: [its first instant, the next day's first instant). */
export function localDayBounds(date: LocalDate, timeZone: string): { start: number; end: number } {
  return { start: resolveLocal(date, 0, timeZone), end: resolveLocal(addDays(date, 1), 0, timeZone) };
}

const localDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(value: string): boolean {
  const match = localDatePattern.exec(value);
  if (!match) return false;
  const utc = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return utc.toISOString().slice(0, 10) === value;
}

/** Midnight UTC of the date's numbers (a calculation aid, not an instant of the business). */
function parseLocalDate(date: LocalDate): number {
  const match = localDatePattern.exec(date);
  if (!match) throw new Error(`Not a date (YYYY-MM-DD): ${date}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(parseLocalDate(date) + days * dayMs).toISOString().slice(0, 10);
}

export function weekdayOf(date: LocalDate): number {
  return new Date(parseLocalDate(date)).getUTCDay();
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: LocalDate, to: LocalDate): LocalDate[] {
  const days: LocalDate[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** `HH:MM` ↔ minutes of the day; 24:00 is the end of the day. */
export function parseClock(value: string): number | null {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(value);
  if (!match) return null;
  const minute = Number(match[1]) * 60 + Number(match[2]);
  return minute <= 24 * 60 ? minute : null;
}

export function formatClock(minute: number): string {
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}

/** An instant as the business reads it: `2026-03-29T10:00:00+02:00`. */
export function formatZoned(instant: Date | number, timeZone: string): string {
  const time = new Date(instant).getTime();
  const local = toLocal(time, timeZone);
  const offset = offsetMinutesAt(time, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const absolute = Math.abs(offset);
  return `${local.date}T${formatClock(local.minute)}:00${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

export type ZonedInstantParse = { ok: true; instant: Date } | { ok: false; reason: 'MALFORMED' | 'NONEXISTENT' | 'AMBIGUOUS'; message: string };

/**
 * A start as a model or a person writes it: with an offset (`2026-06-01T10:00:00+02:00`, `…Z`) it is that instant;
 * without one (`2026-06-01T10:00`) it is the business's wall clock — refused when the clocks skip that time, and
 * when they show it twice (the writer must say which, with an offset).
 */
export function parseZonedInstant(value: string, timeZone: string): ZonedInstantParse {
  const local = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::00(?:\.0+)?)?$/.exec(value.trim());
  if (local) {
    const [, date, hours, minutes] = local;
    const minute = Number(hours) * 60 + Number(minutes);
    if (!isLocalDate(date!) || Number(hours) > 23 || Number(minutes) > 59) return malformed(value);
    const instants = instantsAt(date!, minute, timeZone);
    if (instants.length === 0) return { ok: false, reason: 'NONEXISTENT', message: `${value} does not exist in ${timeZone}: the clocks skip it.` };
    if (instants.length > 1) {
      const offsets = instants.map((instant) => formatZoned(instant, timeZone)).join(' or ');
      return { ok: false, reason: 'AMBIGUOUS', message: `${value} happens twice in ${timeZone} (the clocks go back): say ${offsets}.` };
    }
    return { ok: true, instant: new Date(instants[0]!) };
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value.trim())) return malformed(value);
  const instant = new Date(value.trim());
  return Number.isNaN(instant.getTime()) ? malformed(value) : { ok: true, instant };
}

function malformed(value: string): ZonedInstantParse {
  return { ok: false, reason: 'MALFORMED', message: `"${value}" is not a date and time such as 2026-06-01T10:00.` };
}
