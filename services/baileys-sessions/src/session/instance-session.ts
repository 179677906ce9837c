import { SessionError, type SessionRestriction, type SessionState, type SessionStatus, type StopReason } from '@app/domain';
import type { Logger } from '@app/runtime/service';
import type { BaileysEventMap, ConnectionState, proto } from '@whiskeysockets/baileys';
import type { SessionAuthState } from '../auth-state/authentication-state.ts';
import { socketCacheLimits } from '../baileys/socket-caches.ts';
import { BoundedCache } from '../memory/bounded-cache.ts';
import { SessionWatchdog, type RecycleCause, type WatchdogConfig } from '../watchdog/session-watchdog.ts';
import { backoffDelay, type BackoffPolicy } from './backoff.ts';
import { closeStatusCode, decideOnClose, DisconnectCode } from './disconnect-policy.ts';
import { isAbandonedPairing, isPaired } from './pairing.ts';
import type { SessionSocket, SocketFactory } from './session-socket.ts';
import type { TimerHandle, Timers } from './timers.ts';

export interface SessionEventHandlers {
  /** `messages.upsert` of this session's socket. */
  onMessages?(instanceId: string, upsert: BaileysEventMap['messages.upsert']): void;
  /** `messages.update` (delivery and read receipts of our messages, among others). */
  onMessageUpdates?(instanceId: string, updates: BaileysEventMap['messages.update']): void;
  /** Every status change (live status; a `forbidden` stop is the one a person must see). */
  onStatus?(status: SessionStatus): void;
}

export interface InstanceSessionDependencies {
  instanceId: string;
  socketFactory: SocketFactory;
  loadAuthState(): Promise<SessionAuthState>;
  timers: Timers;
  random: () => number;
  logger: Logger;
  backoff: BackoffPolicy;
  watchdog: WatchdogConfig;
  handlers: SessionEventHandlers;
  /** A message this instance sent, for resends Baileys' own short cache can no longer answer. */
  getMessage?(key: proto.IMessageKey): Promise<proto.IMessage | undefined>;
  /** An open socket counts as stable (the backoff starts over) only after this long (default 60 s). */
  stableAfterMs?: number;
}

/** 515 right after a scan is normal; more in a row without opening means something else is wrong. */
const maxImmediateRestarts = 3;
/** How long first contacts pause after a 463 when WhatsApp names no end (its restrictions last about a day). */
export const restrictionPauseMs = 24 * 3_600_000;

/**
 * One WhatsApp Web session: a connection state machine over a socket port. connecting → waiting-for-scan (QR or
 * pairing code) → open → reconnecting (exponential backoff with jitter, capped) → open …, or logged-out (creds
 * wiped; a new scan is needed) or stopped (on request, or by itself for a conflict, a ban signal or an unscanned QR).
 * Exactly one socket is current; events of a retired socket are ignored, so an old socket cannot steer the session.
 */
export class InstanceSession {
  private state: SessionState = 'stopped';
  private stopReason: StopReason | null = null;
  private socket: SessionSocket | undefined;
  private auth: SessionAuthState | undefined;
  private watchdog: SessionWatchdog | undefined;
  private reconnectTimer: TimerHandle | undefined;
  private generation = 0;
  private qr: string | null = null;
  private pairingCode: string | null = null;
  private reconnectAttempts = 0;
  private immediateRestarts = 0;
  private nextAttemptAt: Date | null = null;
  private lastDisconnect: SessionStatus['lastDisconnect'] = null;
  private readonly recycles = { silent: 0, keepAliveFailed: 0 };
  private versionRefusals = 0;
  private stableTimer: TimerHandle | undefined;
  private restriction: SessionRestriction | null = null;
  /** Retry counts outlive sockets: a restart must not let a message be retried from zero again. */
  private readonly messageRetries: BoundedCache;
  private updatedAt: Date;
  private readonly log: Logger;

  constructor(private readonly deps: InstanceSessionDependencies) {
    this.updatedAt = deps.timers.now();
    this.log = deps.logger.child({ instanceId: deps.instanceId });
    this.messageRetries = new BoundedCache({ ...socketCacheLimits.messageRetries, now: () => deps.timers.now().getTime() });
  }

  get instanceId(): string {
    return this.deps.instanceId;
  }

  /** Starts connecting unless already running. Resumes with stored creds (no scan) when there are some. */
  async start(): Promise<void> {
    if (this.state !== 'stopped' && this.state !== 'logged-out') return;
    this.reconnectAttempts = 0;
    this.immediateRestarts = 0;
    this.versionRefusals = 0;
    this.stopReason = null;
    this.setState('connecting');
    await this.connect();
  }

  /** Closes the socket and stays stopped until `start`. */
  async stop(reason: StopReason | null = null): Promise<void> {
    const socket = this.retireSocket();
    if (socket) endFlushed(socket);
    this.stopReason = reason;
    this.qr = null;
    this.setState('stopped');
    await this.auth?.flush();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Unlinks the device (when connected), wipes the stored creds and keys; the next start shows a new QR. */
  async logout(): Promise<void> {
    const socket = this.socket;
    this.retireSocket();
    if (socket) {
      try {
        await socket.logout();
      } catch (error) {
        // The device may already be gone on WhatsApp's side; the local creds are wiped either way.
        this.log.warn({ event: 'baileys_session.logout_failed', err: error }, 'logout request failed');
      }
      endFlushed(socket);
    }
    await this.wipeCreds();
    this.setState('logged-out');
  }

  /**
   * Only while a QR is shown and nothing is paired: Baileys overwrites and saves `creds.me` before it sends the
   * request, so asking during a paired session's reconnect would make the next connect log in as a stranger, and
   * asking before the WebSocket is open fails with 428 (it is open once the first QR came).
   */
  async requestPairingCode(phoneNumber: string): Promise<string> {
    if (isPaired(this.auth?.state.creds))
      throw new SessionError('SESSION_ALREADY_PAIRED', 'This number is already linked; log out first to pair again.');
    if (!this.socket || this.state !== 'waiting-for-scan' || this.qr === null) {
      throw new SessionError(
        'SESSION_NOT_WAITING_FOR_SCAN',
        `The session is ${this.state}; a pairing code can be asked for while a QR code is shown.`,
      );
    }
    this.pairingCode = await this.socket.requestPairingCode(phoneNumber.replace(/\D/g, ''));
    this.touch();
    return this.pairingCode;
  }

  /** The socket when the session is open (for sending); null otherwise. */
  openSocket(): SessionSocket | null {
    return this.state === 'open' && this.socket ? this.socket : null;
  }

  status(): SessionStatus {
    const creds = this.auth?.state.creds;
    return {
      instanceId: this.deps.instanceId,
      state: this.state,
      stopReason: this.stopReason,
      qr: this.state === 'waiting-for-scan' ? this.qr : null,
      pairingCode: this.state === 'waiting-for-scan' || this.state === 'connecting' ? this.pairingCode : null,
      registered: isPaired(creds),
      account: isPaired(creds) ? (creds?.me?.id ?? null) : null,
      restriction: this.activeRestriction(),
      reconnectAttempts: this.reconnectAttempts,
      nextAttemptAt: this.state === 'reconnecting' && this.nextAttemptAt ? this.nextAttemptAt.toISOString() : null,
      lastDisconnect: this.lastDisconnect,
      watchdogRecycles: { ...this.recycles },
      updatedAt: this.updatedAt.toISOString(),
    };
  }

  /**
   * WhatsApp limits the account (a send answered with 463): first messages to new contacts pause until `until`
   * (default a day); a later signal only extends the pause.
   */
  noteRestriction(reason: SessionRestriction['reason'], until?: Date): void {
    const now = this.deps.timers.now();
    const end = until ?? new Date(now.getTime() + restrictionPauseMs);
    const current = this.activeRestriction();
    if (current && Date.parse(current.until) >= end.getTime()) return;
    this.restriction = { reason, since: current?.since ?? now.toISOString(), until: end.toISOString() };
    this.log.warn(
      { event: 'baileys_session.restricted', reason, until: this.restriction.until },
      'WhatsApp restricts this account: first contacts paused',
    );
    this.touch();
  }

  private activeRestriction(): SessionRestriction | null {
    if (this.restriction && Date.parse(this.restriction.until) <= this.deps.timers.now().getTime()) this.restriction = null;
    return this.restriction;
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.nextAttemptAt = null;
    try {
      this.auth ??= await this.deps.loadAuthState();
      if (isAbandonedPairing(this.auth.state.creds)) {
        // A pairing code was asked for and never confirmed: logging in as that account would fail; start afresh.
        this.log.info({ event: 'baileys_session.abandoned_pairing_reset' }, 'unfinished pairing: creds reset');
        await this.auth.clear();
        this.auth = await this.deps.loadAuthState();
      }
    } catch (error) {
      this.log.error({ event: 'baileys_session.auth_state_unreadable', err: error }, 'cannot read the stored auth state');
      if (generation === this.generation) await this.stop('auth-state-unreadable');
      return;
    }
    if (generation !== this.generation) return;
    let socket: SessionSocket;
    try {
      socket = await this.deps.socketFactory.create({
        instanceId: this.deps.instanceId,
        auth: this.auth.state,
        logger: this.log,
        getMessage: async (key) => this.deps.getMessage?.(key),
        messageRetries: this.messageRetries,
      });
    } catch (error) {
      if (generation === this.generation) this.failed(undefined, error);
      return;
    }
    if (generation !== this.generation) {
      socket.end();
      return;
    }
    this.socket = socket;
    const auth = this.auth;
    // A throwing handler must not take the process (every session in standalone) down: it recycles this socket only.
    const guarded =
      <T>(what: string, handle: (data: T) => void) =>
      (data: T) => {
        try {
          handle(data);
        } catch (error) {
          this.failed(socket, error, what);
        }
      };
    socket.ev.on(
      'connection.update',
      guarded('connection.update', (update) => this.onConnectionUpdate(socket, update)),
    );
    socket.ev.on('creds.update', () => {
      auth.saveCreds().catch((error: unknown) => this.log.error({ event: 'baileys_session.creds_save_failed', err: error }, 'saving creds failed'));
    });
    // Messages of a socket that is being retired are still real customer messages: stored (idempotently), not lost.
    socket.ev.on(
      'messages.upsert',
      guarded('messages.upsert', (upsert) => this.deps.handlers.onMessages?.(this.deps.instanceId, upsert)),
    );
    socket.ev.on(
      'messages.update',
      guarded('messages.update', (updates) => this.deps.handlers.onMessageUpdates?.(this.deps.instanceId, updates)),
    );
  }

  /**
   * This session's own error (a handler threw, the socket could not be made): logged, and the session starts over
   * on a new socket after the backoff. Nothing leaves this session.
   */
  private failed(socket: SessionSocket | undefined, error: unknown, where = 'socket'): void {
    this.log.error({ event: 'baileys_session.failed', where, err: error }, 'session error: the socket is recycled');
    if (socket && socket !== this.socket) return;
    const current = this.retireSocket();
    if (current) endFlushed(current, new Error(`session error in ${where}`));
    this.lastDisconnect = {
      code: null,
      message: `session error in ${where}: ${(error as Error)?.message ?? String(error)}`,
      at: this.deps.timers.now().toISOString(),
    };
    if (this.state !== 'stopped' && this.state !== 'logged-out') this.scheduleReconnect();
  }

  private onConnectionUpdate(socket: SessionSocket, update: Partial<ConnectionState>): void {
    if (update.connection === 'close') {
      // rc14 destroys its event buffer right after this event: what it still holds (already acknowledged) goes now.
      socket.ev.flush();
    }
    if (socket !== this.socket) return;
    if (update.reachoutTimeLock) {
      const lock = update.reachoutTimeLock;
      if (lock.isActive) this.noteRestriction('reachout-timelock', lock.timeEnforcementEnds ? new Date(lock.timeEnforcementEnds) : undefined);
      else if (this.restriction?.reason === 'reachout-timelock') {
        this.restriction = null;
        this.touch();
      }
    }
    if (update.qr) {
      this.qr = update.qr;
      this.setState('waiting-for-scan');
    }
    if (update.connection === 'open') {
      // 515s are counted "in a row without opening"; reconnect attempts only after a stable minute (below).
      this.immediateRestarts = 0;
      this.qr = null;
      this.pairingCode = null;
      this.versionRefusals = 0;
      this.setState('open');
      this.watchdog = new SessionWatchdog(socket, this.deps.timers, this.deps.watchdog, (cause) => this.recycle(socket, cause));
      this.watchdog.start();
      // Open-then-close loops must keep backing off: the count starts over only after a stable minute.
      const generation = this.generation;
      this.stableTimer = this.deps.timers.setTimeout(() => {
        if (generation !== this.generation || this.state !== 'open') return;
        this.reconnectAttempts = 0;
        this.touch();
      }, this.deps.stableAfterMs ?? 60_000);
    } else if (update.connection === 'close') {
      void this.onClose(update.lastDisconnect?.error);
    }
  }

  private async onClose(error: Error | undefined): Promise<void> {
    this.retireSocket();
    const code = closeStatusCode(error);
    this.lastDisconnect = { code, message: error?.message ?? 'closed', at: this.deps.timers.now().toISOString() };
    this.versionRefusals = code === DisconnectCode.methodNotAllowed ? this.versionRefusals + 1 : 0;
    const decision = decideOnClose(code, {
      paired: isPaired(this.auth?.state.creds),
      qrShown: this.qr !== null,
      versionRefusals: this.versionRefusals,
    });
    this.log.info({ event: 'baileys_session.closed', code, decision: decision.action }, 'socket closed');
    switch (decision.action) {
      case 'restart-now':
        if (++this.immediateRestarts <= maxImmediateRestarts) {
          this.setState('connecting');
          await this.connect();
          return;
        }
        this.scheduleReconnect();
        return;
      case 'reconnect':
        this.scheduleReconnect();
        return;
      case 'logged-out':
        await this.wipeCreds();
        this.setState('logged-out');
        return;
      case 'stop':
        if (decision.reason === 'forbidden') {
          this.log.error({ event: 'baileys_session.forbidden', code }, 'WhatsApp refused this number (403): stopped; a person must check it');
        } else if (decision.reason === 'multidevice-mismatch' || decision.reason === 'version-outdated') {
          this.log.error(
            { event: `baileys_session.${decision.reason.replace('-', '_')}`, code },
            `stopped (${decision.reason}); a person must check it`,
          );
        }
        // Nobody scanned (or typed the code): leave no half-made account behind for the next start.
        if (decision.reason === 'scan-timeout') await this.wipeCreds();
        await this.stop(decision.reason);
    }
  }

  private scheduleReconnect(): void {
    this.reconnectAttempts += 1;
    const delayMs = backoffDelay(this.reconnectAttempts, this.deps.backoff, this.deps.random());
    this.nextAttemptAt = new Date(this.deps.timers.now().getTime() + delayMs);
    this.setState('reconnecting');
    const generation = this.generation;
    this.reconnectTimer = this.deps.timers.setTimeout(() => {
      if (generation !== this.generation || this.state !== 'reconnecting') return;
      this.setState('connecting');
      void this.connect();
    }, delayMs);
  }

  private recycle(socket: SessionSocket, cause: RecycleCause): void {
    if (socket !== this.socket) return;
    if (cause === 'silent') this.recycles.silent += 1;
    else this.recycles.keepAliveFailed += 1;
    this.log.warn({ event: 'baileys_session.watchdog_recycled', cause }, 'watchdog recycled a dead socket');
    this.retireSocket();
    endFlushed(socket, new Error(`watchdog: ${cause}`));
    this.lastDisconnect = { code: null, message: `watchdog: ${cause}`, at: this.deps.timers.now().toISOString() };
    this.scheduleReconnect();
  }

  /** Forgets the current socket (its later connection events are ignored), cancels what was pending; returns it. */
  private retireSocket(): SessionSocket | undefined {
    this.generation += 1;
    this.deps.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.deps.timers.clearTimeout(this.stableTimer);
    this.stableTimer = undefined;
    this.watchdog?.stop();
    this.watchdog = undefined;
    const socket = this.socket;
    this.socket = undefined;
    return socket;
  }

  private async wipeCreds(): Promise<void> {
    const auth = this.auth ?? (await this.deps.loadAuthState());
    await auth.clear();
    this.auth = undefined;
    this.qr = null;
    this.pairingCode = null;
  }

  private setState(state: SessionState): void {
    this.state = state;
    this.touch();
  }

  private touch(): void {
    this.updatedAt = this.deps.timers.now();
    this.deps.handlers.onStatus?.(this.status());
  }
}

/** Ends a socket after delivering what Baileys still buffers: those messages were acknowledged to WhatsApp already. */
function endFlushed(socket: SessionSocket, error?: Error): void {
  socket.ev.flush();
  socket.end(error);
}
