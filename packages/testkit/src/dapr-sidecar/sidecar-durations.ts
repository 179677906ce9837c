/**
 * Dapr's time formats for timers and reminders (research/dapr.md §2.2): a Go duration (`1500ms`, `1h30m`), an
 * ISO-8601 duration without days (`PT2H`), or, for dueTime, an RFC3339 instant. Days are rejected as daprd does.
 */
const goUnits: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

export class DurationError extends Error {}

export function parseDueTime(value: string | undefined, now: number): number {
  if (value === undefined || value === '') return 0;
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const at = Date.parse(value);
    if (Number.isNaN(at)) throw new DurationError(`invalid dueTime ${value}`);
    return Math.max(0, at - now);
  }
  return parseDuration(value);
}

export function parseDuration(value: string): number {
  if (/^[+-]?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value)) {
    let total = 0;
    for (const match of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(match[1]) * goUnits[match[2]!]!;
    return total;
  }
  if (value === '0') return 0;
  const iso = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/i.exec(value);
  if (iso && value.length > 2) return Number(iso[1] ?? 0) * 3_600_000 + Number(iso[2] ?? 0) * 60_000 + Number(iso[3] ?? 0) * 1_000;
  throw new DurationError(`unsupported duration format "${value}" (days, months and years are not supported)`);
}
