import type { Logger } from '@app/runtime/service';

/**
 * Baileys registers async listeners and timers it never awaits (7.0.0-rc14): one rejection among them is an
 * unhandled rejection, which ends a Node process — every session of a standalone process with it. The guard keeps
 * those inside: logged with their stack, not fatal. The session whose socket they broke is found by its watchdog
 * (no frames, failed pings) and recycled like any dead socket; nothing else can tell which session a stray promise
 * belonged to. Any other unhandled rejection keeps Node's default and ends the process, so bugs elsewhere are not
 * hidden.
 */
export class BaileysRejectionGuard {
  contained = 0;
  private readonly listener = (reason: unknown) => this.handle(reason);

  constructor(private readonly logger: Logger) {}

  install(): void {
    process.on('unhandledRejection', this.listener);
  }

  uninstall(): void {
    process.off('unhandledRejection', this.listener);
  }

  /** What happens to one unhandled rejection: contained (Baileys') or rethrown as Node would (anything else). */
  handle(reason: unknown): 'contained' | 'rethrown' {
    if (!fromBaileys(reason)) {
      process.nextTick(() => {
        throw reason;
      });
      return 'rethrown';
    }
    this.contained += 1;
    this.logger.error({ event: 'baileys_host.unhandled_rejection', err: reason }, 'Baileys left a promise rejection unhandled; contained');
    return 'contained';
  }
}

/** A rejection raised inside Baileys or its Signal library (by the stack it carries). */
export function fromBaileys(reason: unknown): boolean {
  const stack = reason instanceof Error ? (reason.stack ?? '') : '';
  return /[\\/](@whiskeysockets[\\/]baileys|libsignal)[\\/]/.test(stack);
}
