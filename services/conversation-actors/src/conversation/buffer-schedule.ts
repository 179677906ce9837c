/**
 * When a burst is handed to the AI. Debounce: every new message pushes the flush to last + bufferSeconds, but
 * never beyond first + maxBufferSeconds — a chatty customer cannot postpone the reply forever (Evolution's
 * debounce has no such cap).
 */
export interface BufferTiming {
  firstAt: Date;
  lastAt: Date;
  bufferSeconds: number;
  maxBufferSeconds: number;
}

export function nextFlushAt(timing: BufferTiming): Date {
  const debounced = timing.lastAt.getTime() + Math.max(0, timing.bufferSeconds) * 1000;
  // A cap below the debounce would be meaningless; treat it as "no longer than the debounce".
  const capSeconds = Math.max(timing.maxBufferSeconds, 0);
  const capped = timing.firstAt.getTime() + capSeconds * 1000;
  return new Date(Math.max(Math.min(debounced, capped), timing.firstAt.getTime()));
}
