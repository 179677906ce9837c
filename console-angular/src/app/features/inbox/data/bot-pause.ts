/** How long an operator can pause the bot for one contact from the "Pause for…" menu. */
export type BotPauseChoice = 'thirtyMinutes' | 'twoHours' | 'tomorrowMorning' | 'indefinitely';

export const botPauseChoices: readonly BotPauseChoice[] = ['thirtyMinutes', 'twoHours', 'tomorrowMorning', 'indefinitely'];

const minute = 60_000;

/** The instant the pause ends (ISO), or null for a pause that lasts until switched back. */
export function botPauseUntil(choice: BotPauseChoice, now: Date, timeZone: string): string | null {
  switch (choice) {
    case 'thirtyMinutes':
      return new Date(now.getTime() + 30 * minute).toISOString();
    case 'twoHours':
      return new Date(now.getTime() + 120 * minute).toISOString();
    case 'tomorrowMorning':
      return tomorrowAt(9, now, timeZone).toISOString();
    case 'indefinitely':
      return null;
  }
}

/** hour:00 on the calendar day after `now`, as the business's clock on the wall reads it. */
export function tomorrowAt(hour: number, now: Date, timeZone: string): Date {
  const today = wallClock(now, timeZone);
  const wanted = Date.UTC(today.year, today.month - 1, today.day + 1, hour, 0, 0);
  // Guess with today's offset, then correct once with the offset at the guess (a DST change overnight moves it).
  let instant = wanted - offsetAt(now, timeZone);
  instant = wanted - offsetAt(new Date(instant), timeZone);
  return new Date(instant);
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(value: Date, timeZone: string): WallClock {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const parts = Object.fromEntries(format.formatToParts(value).map((part) => [part.type, part.value]));
  return {
    year: Number(parts['year']),
    month: Number(parts['month']),
    day: Number(parts['day']),
    hour: Number(parts['hour']),
    minute: Number(parts['minute']),
    second: Number(parts['second']),
  };
}

/** Milliseconds the time zone's wall clock is ahead of UTC at an instant. */
function offsetAt(value: Date, timeZone: string): number {
  const clock = wallClock(value, timeZone);
  const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
  return asUtc - Math.floor(value.getTime() / 1000) * 1000;
}
