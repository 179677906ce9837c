import type { Clock } from '@app/runtime/ports';

export type TimerHandle = { readonly id: number } | ReturnType<typeof setTimeout>;

/** Scheduling as the session code sees it; tests drive a fake one with the same clock. */
export interface Timers extends Clock {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

export const systemTimers: Timers = {
  now: () => new Date(),
  setTimeout: (callback, delayMs) => {
    const handle = setTimeout(callback, delayMs);
    // A pending reconnect or check must not keep a stopping process alive.
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => {
    if (handle !== undefined) clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** Resolves after `delayMs` on the given timers. */
export function delay(timers: Timers, delayMs: number): Promise<void> {
  if (delayMs <= 0) return Promise.resolve();
  return new Promise((resolve) => timers.setTimeout(resolve, delayMs));
}
