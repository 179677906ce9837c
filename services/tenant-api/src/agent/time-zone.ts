/** An IANA zone name the runtime knows (`Europe/Madrid`, `UTC`); offsets such as `+02:00` are not zones. */
export function isIanaTimeZone(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    // RangeError: the runtime's time-zone database does not have it.
    return false;
  }
}
