const secondsPerUnit = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;

/** `90s`, `15m`, `12h`, `30d` → seconds. */
export function parseDurationSeconds(value: string): number {
  const match = /^(\d+)\s*([smhd])$/.exec(value.trim());
  if (!match) throw new Error(`Not a duration: ${value}`);
  return Number(match[1]) * secondsPerUnit[match[2] as keyof typeof secondsPerUnit];
}
