import type { Clock } from '@app/runtime/ports';

/** Real time plus an offset the test moves forward: hosts that poll `now()` see time jump without real waits. */
export class OffsetClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(milliseconds: number): void {
    this.offsetMs += milliseconds;
  }
}
