import type { SessionSocket } from '../session/session-socket.ts';
import type { TimerHandle, Timers } from '../session/timers.ts';

export interface WatchdogConfig {
  /** How often the socket is checked. */
  checkIntervalMs: number;
  /** No frame for this long → the socket is dead whatever it claims: recycle. */
  maxSilenceMs: number;
  /** A keep-alive ping not answered within this is a failure. */
  pingTimeoutMs: number;
  /** Consecutive failed pings that recycle the socket. */
  maxFailedPings: number;
}

export const defaultWatchdogConfig: WatchdogConfig = { checkIntervalMs: 30_000, maxSilenceMs: 120_000, pingTimeoutMs: 15_000, maxFailedPings: 2 };

export type RecycleCause = 'silent' | 'keep-alive-failed';

/**
 * Catches "connected but dead" sockets (Evolution #1153, #2403; WAHA #904): every check, a socket that has been
 * quiet is pinged; too long without any frame, or too many unanswered pings, and `onRecycle` is called once.
 */
export class SessionWatchdog {
  private lastFrameAt: number;
  private failedPings = 0;
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly socket: SessionSocket,
    private readonly timers: Timers,
    private readonly config: WatchdogConfig,
    private readonly onRecycle: (cause: RecycleCause) => void,
  ) {
    this.lastFrameAt = timers.now().getTime();
  }

  start(): void {
    this.socket.onFrame(() => {
      this.lastFrameAt = this.timers.now().getTime();
    });
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.timers.clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.timers.setTimeout(() => void this.check(), this.config.checkIntervalMs);
  }

  private async check(): Promise<void> {
    if (this.stopped) return;
    const silence = this.timers.now().getTime() - this.lastFrameAt;
    if (silence >= this.config.maxSilenceMs) return this.recycle('silent');
    if (silence >= this.config.checkIntervalMs) {
      const answered = await this.ping();
      if (this.stopped) return;
      this.failedPings = answered ? 0 : this.failedPings + 1;
      if (this.failedPings >= this.config.maxFailedPings) return this.recycle('keep-alive-failed');
    } else {
      this.failedPings = 0;
    }
    this.schedule();
  }

  private ping(): Promise<boolean> {
    return new Promise((resolve) => {
      const timeout = this.timers.setTimeout(() => resolve(false), this.config.pingTimeoutMs);
      this.socket.ping(this.config.pingTimeoutMs).then(
        () => {
          this.timers.clearTimeout(timeout);
          this.lastFrameAt = this.timers.now().getTime();
          resolve(true);
        },
        () => {
          this.timers.clearTimeout(timeout);
          resolve(false);
        },
      );
    });
  }

  private recycle(cause: RecycleCause): void {
    this.stop();
    this.onRecycle(cause);
  }
}
