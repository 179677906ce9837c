/**
 * An appointment's life: PENDING (asked for) → CONFIRMED → COMPLETED or NO_SHOW; CANCELLED from either open state.
 * The table is the rule; the API answers an illegal move with 409 and the current status.
 */
export const appointmentStatuses = ['PENDING', 'CONFIRMED', 'CANCELLED', 'COMPLETED', 'NO_SHOW'] as const;
export type AppointmentStatus = (typeof appointmentStatuses)[number];

export const appointmentTransitions: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  PENDING: ['CONFIRMED', 'CANCELLED', 'COMPLETED', 'NO_SHOW'],
  CONFIRMED: ['CANCELLED', 'COMPLETED', 'NO_SHOW'],
  CANCELLED: [],
  COMPLETED: [],
  NO_SHOW: [],
};

/** Statuses that still hold their time: the database's no-overlap rule and the free slots count these. */
export function holdsTime(status: AppointmentStatus): boolean {
  return status !== 'CANCELLED';
}

/** Only an open appointment may be moved or cancelled. */
export function isOpen(status: AppointmentStatus): boolean {
  return status === 'PENDING' || status === 'CONFIRMED';
}

export type StatusChangeRefusal = { code: 'ILLEGAL_TRANSITION' | 'NOT_STARTED'; message: string };

/** Why `from` → `to` is refused, or null. Completed and no-show describe what happened, so not before the start. */
export function statusChangeRefusal(from: AppointmentStatus, to: AppointmentStatus, startsAt: Date, now: Date): StatusChangeRefusal | null {
  if (!appointmentTransitions[from].includes(to)) {
    return { code: 'ILLEGAL_TRANSITION', message: `An appointment that is ${from} cannot become ${to}.` };
  }
  if ((to === 'COMPLETED' || to === 'NO_SHOW') && now.getTime() < startsAt.getTime()) {
    return { code: 'NOT_STARTED', message: `An appointment cannot be marked ${to} before it starts.` };
  }
  return null;
}

/** Minutes before the start at which the customer is reminded, unless the business says otherwise. */
export const defaultReminderMinutesBefore = [24 * 60, 60];

/**
 * The reminders an appointment starting at `startsAt` gets: one per offset, at most once per instant, and only those
 * still ahead — a booking made 30 minutes before its start gets no "in one hour" reminder.
 */
export function reminderSchedule(startsAt: Date, minutesBefore: readonly number[], now: Date): { minutesBefore: number; dueAt: Date }[] {
  const seen = new Set<number>();
  return [...minutesBefore]
    .sort((a, b) => b - a)
    .filter((offset) => !seen.has(offset) && seen.add(offset))
    .map((offset) => ({ minutesBefore: offset, dueAt: new Date(startsAt.getTime() - offset * 60_000) }))
    .filter((reminder) => reminder.dueAt.getTime() > now.getTime());
}
