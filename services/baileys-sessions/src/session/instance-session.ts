import { SessionError, type SessionState, type SessionStatus, type StopReason } from '@app/domain';
import type { Logger } from '@app/runtime/service';
import type { BaileysEventMap, ConnectionState } from '@whiskeysockets/baileys';
import type { SessionAuthState } from '../auth-state/authentication-state.ts';
import { SessionWatchdog, type RecycleCause, type WatchdogConfig } from '../watchdog/session-watchdog.ts';
import { backoffDelay, type BackoffPolicy } from './backoff.ts';
import { closeStatusCode, decideOnClose } from './disconnect-policy.ts';
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
}

/** 515 right after a scan is normal; more in a row without opening means something else is wrong. */
const maxImmediateRestarts = 3;

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
  private updatedAt: Date;
  private readonly log: Logger;

  constructor(private readonly deps: InstanceSessionDependencies) {
    this.updatedAt = deps.timers.now();
    this.log = deps.logger.child({ instanceId: deps.instanceId });
  }

  get instanceId(): string {
    return this.deps.instanceId;
  }

  /** Starts connecting unless already running. Resumes with stored creds (no scan) when there are some. */
  async start(): Promise<void> {
    if (this.state !== 'stopped' && this.state !== 'logged-out') return;
    this.reconnectAttempts = 0;
    this.immediateRestarts = 0;
    this.stopReason = null;
    this.setState('connecting');
    await this.connect();
  }

  /** Closes the socket and stays stopped until `start`. */
  async stop(reason: StopReason | null = null): Promise<void> {
    this.retireSocket()?.end();
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
      socket.end();
    }
    await this.wipeCreds();
    this.setState('logged-out');
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    if (this.auth?.state.creds.registered) throw new SessionError('SESSION_ALREADY_PAIRED', 'This number is already linked; log out first to pair again.');
    if (!this.socket || (this.state !== 'waiting-for-scan' && this.state !== 'connecting')) {
      throw new SessionError('SESSION_NOT_WAITING_FOR_SCAN', `The session is ${this.state}; restart it to pair a device.`);
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
      registered: creds?.registered === true,
      account: creds?.me?.id ?? null,
      reconnectAttempts: this.reconnectAttempts,
      nextAttemptAt: this.state === 'reconnecting' && this.nextAttemptAt ? this.nextAttemptAt.toISOString() : null,
      lastDisconnect: this.lastDisconnect,
      watchdogRecycles: { ...this.recycles },
      updatedAt: this.updatedAt.toISOString(),
    };
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.nextAttemptAt = null;
    try {
      this.auth ??= await this.deps.loadAuthState();
    } catch (error) {
      this.log.error({ event: 'baileys_session.auth_state_unreadable', err: error }, 'cannot read the stored auth state');
      if (generation === this.generation) await this.stop('auth-state-unreadable');
      return;
    }
    if (generation !== this.generation) return;
    const socket = await this.deps.socketFactory.create({ instanceId: this.deps.instanceId, auth: this.auth.state, logger: this.log });
    if (generation !== this.generation) {
      socket.end();
      return;
    }
    this.socket = socket;
    const auth = this.auth;
    socket.ev.on('connection.update', (update) => this.onConnectionUpdate(socket, update));
    socket.ev.on('creds.update', () => {
      auth.saveCreds().catch((error: unknown) => this.log.error({ event: 'baileys_session.creds_save_failed', err: error }, 'saving creds failed'));
    });
    // Messages of a socket that is being retired are still real customer messages: stored (idempotently), not lost.
    socket.ev.on('messages.upsert', (upsert) => this.deps.handlers.onMessages?.(this.deps.instanceId, upsert));
    socket.ev.on('messages.update', (updates) => this.deps.handlers.onMessageUpdates?.(this.deps.instanceId, updates));
  }

  private onConnectionUpdate(socket: SessionSocket, update: Partial<ConnectionState>): void {
    if (socket !== this.socket) return;
    if (update.qr) {
      this.qr = update.qr;
      this.setState('waiting-for-scan');
    }
    if (update.connection === 'open') {
      this.reconnectAttempts = 0;
      this.immediateRestarts = 0;
      this.qr = null;
      this.pairingCode = null;
      this.setState('open');
      this.watchdog = new SessionWatchdog(socket, this.deps.timers, this.deps.watchdog, (cause) => this.recycle(socket, cause));
      this.watchdog.start();
    } else if (update.connection === 'close') {
      void this.onClose(update.lastDisconnect?.error);
    }
  }

  private async onClose(error: Error | undefined): Promise<void> {
    this.retireSocket();
    const code = closeStatusCode(error);
    this.lastDisconnect = { code, message: error?.message ?? 'closed', at: this.deps.timers.now().toISOString() };
    const decision = decideOnClose(code, { registered: this.auth?.state.creds.registered === true, qrShown: this.qr !== null });
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
        }
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
    socket.end(new Error(`watchdog: ${cause}`));
    this.lastDisconnect = { code: null, message: `watchdog: ${cause}`, at: this.deps.timers.now().toISOString() };
    this.scheduleReconnect();
  }

  /** Forgets the current socket (its later connection events are ignored), cancels what was pending; returns it. */
  private retireSocket(): SessionSocket | undefined {
    this.generation += 1;
    this.deps.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
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
