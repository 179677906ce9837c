import { daysBetween, instantsAt, isLocalDate, parseClock, resolveLocal, toLocal, type LocalDate } from './zoned-time.ts';

/**
 * When a business takes appointments: opening ranges per weekday (several per day: 09:00–13:00 and 16:00–20:00),
 * blocked ranges (holidays, a closed afternoon) and the appointments already taken. Free slots and the check of a
 * requested start both read the same rules, so the agent never offers what the booking would then refuse.
 */

/** One opening range on a weekday, in the business's wall-clock minutes (0 = Sunday … 6 = Saturday). */
export interface AvailabilityRule {
  weekday: number;
  startMinute: number;
  endMinute: number;
}

/** A half-open span of time [start, end), instants in ms since the epoch. */
export interface Interval {
  start: number;
  end: number;
}

export interface BookingCalendar {
  timeZone: string;
  rules: AvailabilityRule[];
  /** Blocked ranges (holidays …); a slot touching one is not free. */
  blocked: Interval[];
  /** Appointments that hold their time (every status but CANCELLED). */
  busy: Interval[];
}

export interface Slot {
  start: Date;
  end: Date;
}

const minuteMs = 60_000;
export const maxSlotSearchDays = 31;

function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The real instants a rule covers on one local date; on a DST day a 09:00–13:00 rule may be 3 or 5 hours long. */
function ruleIntervalOn(date: LocalDate, rule: AvailabilityRule, timeZone: string): Interval {
  return { start: resolveLocal(date, rule.startMinute, timeZone), end: resolveLocal(date, rule.endMinute, timeZone) };
}

/** Overlapping or unordered ranges of one weekday are a mistake an editor must be told about. */
export function availabilityRuleProblems(rules: AvailabilityRule[]): string[] {
  const problems: string[] = [];
  for (const rule of rules) {
    if (!Number.isInteger(rule.weekday) || rule.weekday < 0 || rule.weekday > 6) problems.push(`weekday ${rule.weekday} is not 0 (Sunday) to 6`);
    if (rule.startMinute < 0 || rule.endMinute > 24 * 60 || rule.startMinute >= rule.endMinute) {
      problems.push(`on weekday ${rule.weekday} a range must start before it ends, within the day`);
    }
  }
  for (let weekday = 0; weekday <= 6; weekday += 1) {
    const ranges = rules.filter((rule) => rule.weekday === weekday).sort((a, b) => a.startMinute - b.startMinute);
    for (let index = 1; index < ranges.length; index += 1) {
      if (ranges[index]!.startMinute < ranges[index - 1]!.endMinute) problems.push(`on weekday ${weekday} two ranges overlap`);
    }
  }
  return problems;
}

export interface FreeSlotQuery {
  calendar: BookingCalendar;
  durationMinutes: number;
  /** First and last local date to search, both included. */
  from: LocalDate;
  to: LocalDate;
  /** Slots start on this grid of wall-clock minutes within each range (every 30 minutes from its start). */
  stepMinutes: number;
  /** Nothing starts before this instant. */
  now: Date;
}

/**
 * Free slots, earliest first. Starts are wall-clock times on the step grid of each opening range; a wall time the
 * clocks skip is not offered, and a wall time that happens twice (fall-back) is offered once per real instant.
 */
export function freeSlots(query: FreeSlotQuery): Slot[] {
  const { calendar, durationMinutes, stepMinutes } = query;
  const taken = [...calendar.blocked, ...calendar.busy];
  const found = new Map<number, Slot>();
  for (const date of daysBetween(query.from, query.to)) {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    for (const rule of calendar.rules.filter((candidate) => candidate.weekday === weekday)) {
      const range = ruleIntervalOn(date, rule, calendar.timeZone);
      for (let minute = rule.startMinute; minute < rule.endMinute; minute += stepMinutes) {
        for (const start of instantsAt(date, minute, calendar.timeZone)) {
          const slot = { start, end: start + durationMinutes * minuteMs };
          if (slot.start < range.start || slot.end > range.end || slot.start < query.now.getTime()) continue;
          if (taken.some((interval) => overlaps(slot, interval))) continue;
          found.set(start, { start: new Date(slot.start), end: new Date(slot.end) });
        }
      }
    }
  }
  return [...found.values()].sort((a, b) => a.start.getTime() - b.start.getTime());
}

export type BookingRefusal =
  { code: 'IN_THE_PAST'; message: string } | { code: 'OUTSIDE_AVAILABILITY'; message: string } | { code: 'BLOCKED'; message: string };

/**
 * Whether an appointment may start at `start` for `durationMinutes`: not in the past, wholly inside one opening range
 * of its local day, touching no blocked range. Overlap with other appointments is the database's to refuse.
 */
export function bookingRefusal(input: {
  calendar: Pick<BookingCalendar, 'timeZone' | 'rules' | 'blocked'>;
  start: Date;
  durationMinutes: number;
  now: Date;
}): BookingRefusal | null {
  const { calendar } = input;
  const slot = { start: input.start.getTime(), end: input.start.getTime() + input.durationMinutes * minuteMs };
  if (slot.start < input.now.getTime()) return { code: 'IN_THE_PAST', message: 'That time has already passed.' };
  const local = toLocal(slot.start, calendar.timeZone);
  const inside = calendar.rules
    .filter((rule) => rule.weekday === local.weekday)
    .some((rule) => {
      const range = ruleIntervalOn(local.date, rule, calendar.timeZone);
      return slot.start >= range.start && slot.end <= range.end;
    });
  if (!inside) return { code: 'OUTSIDE_AVAILABILITY', message: 'That time is outside the opening hours for appointments.' };
  if (calendar.blocked.some((interval) => overlaps(slot, interval))) return { code: 'BLOCKED', message: 'That time is blocked (closed).' };
  return null;
}

/** `from`..`to` as searchable local dates, at most maxSlotSearchDays long; null when they make no range. */
export function slotSearchRange(from: string, to: string | undefined): { from: LocalDate; to: LocalDate } | null {
  const last = to ?? from;
  if (!isLocalDate(from) || !isLocalDate(last) || last < from) return null;
  if (daysBetween(from, last).length > maxSlotSearchDays) return null;
  return { from, to: last };
}

/** A whole local day, or several, as the blocked interval they are. */
export function blockedDays(from: LocalDate, to: LocalDate, timeZone: string): Interval {
  const end = daysBetween(from, to).at(-1)!;
  return { start: resolveLocal(from, 0, timeZone), end: resolveLocal(end, 24 * 60, timeZone) };
}

/** "09:00" → 540, for rules written as clock times. */
export function ruleFromClock(weekday: number, start: string, end: string): AvailabilityRule | null {
  const startMinute = parseClock(start);
  const endMinute = parseClock(end);
  if (startMinute === null || endMinute === null) return null;
  return { weekday, startMinute, endMinute };
}
