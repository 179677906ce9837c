import { EventEmitter } from 'node:events';
import { Boom } from '@hapi/boom';
import type { AnyMessageContent, AuthenticationState, BaileysEventMap, WAMessage, WAPresence } from '@whiskeysockets/baileys';
import type { SessionSocket, SessionSocketEvents, SocketFactory, SocketFactoryInput } from '../../src/session/session-socket.ts';

export interface SentMessage {
  jid: string;
  content: AnyMessageContent;
  id: string;
}

/**
 * A stand-in for a Baileys socket: the test plays WhatsApp's side by emitting Baileys' real event shapes
 * (`connection.update` with qr/open/close and a Boom carrying a `DisconnectReason` code, `creds.update`,
 * `messages.upsert`, `messages.update`). Like `makeWASocket`, it applies `creds.update` to the auth creds itself
 * before anyone else hears it, and `end()` emits a close with the given error exactly once.
 */
export class FakeSocket implements SessionSocket {
  readonly emitter = new EventEmitter();
  readonly ev: SessionSocketEvents;
  readonly sent: SentMessage[] = [];
  readonly presences: { type: WAPresence; jid?: string; at: number }[] = [];
  ended = false;
  endError: Error | undefined;
  pingAnswers = true;
  pings = 0;
  pairingRequests: string[] = [];
  sendFailure: Error | null = null;
  loggedOut = false;
  private frameListeners: (() => void)[] = [];
  private nextId = 1;

  constructor(
    readonly instanceId: string,
    readonly auth: AuthenticationState,
    private readonly now: () => number = Date.now,
  ) {
    this.emitter.setMaxListeners(50);
    this.ev = {
      on: (event, listener) => void this.emitter.on(event, listener as (data: unknown) => void),
      removeAllListeners: (event) => void (event ? this.emitter.removeAllListeners(event) : this.emitter.removeAllListeners()),
    };
    // makeWASocket's own listener comes first: creds are updated before the app saves them.
    this.emitter.on('creds.update', (update: Partial<AuthenticationState['creds']>) => Object.assign(this.auth.creds, update));
  }

  emit<K extends keyof BaileysEventMap>(event: K, data: BaileysEventMap[K]): void {
    if (this.ended && event !== 'connection.update') return;
    this.emitter.emit(event, data);
  }

  showQr(qr = `2@${Math.random().toString(36).slice(2)},fakeNoiseKey,fakeIdentityKey,fakeAdvKey`): void {
    this.emit('connection.update', { qr });
  }

  /** The phone scanned: WhatsApp sends the new identity, then asks for a restart (515), as it does for real. */
  completePairing(account = '5511888880000:12@s.whatsapp.net'): void {
    this.emit('creds.update', { me: { id: account, lid: '99887766554433:12@lid', name: 'Padaria' }, registered: true, platform: 'smba' });
    this.end(new Boom('Stream Errored (restart required)', { statusCode: 515 }));
  }

  open(): void {
    this.frame();
    this.emit('connection.update', { connection: 'open', receivedPendingNotifications: true });
  }

  /** WhatsApp closes the connection with this `DisconnectReason` code. */
  closeWith(statusCode: number, message = 'Connection Failure'): void {
    this.end(new Boom(message, { statusCode }));
  }

  frame(): void {
    for (const listener of this.frameListeners) listener();
  }

  onFrame(listener: () => void): void {
    this.frameListeners.push(listener);
  }

  async ping(): Promise<void> {
    this.pings += 1;
    if (!this.pingAnswers) return new Promise(() => undefined);
    this.frame();
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    this.pairingRequests.push(phoneNumber);
    return 'ABCD1234';
  }

  async sendMessage(jid: string, content: AnyMessageContent): Promise<WAMessage | undefined> {
    if (this.sendFailure) throw this.sendFailure;
    const id = `3EB0FAKE${String(this.nextId++).padStart(12, '0')}`;
    this.sent.push({ jid, content, id });
    return { key: { remoteJid: jid, fromMe: true, id }, messageTimestamp: Math.floor(this.now() / 1000), status: 1 } as WAMessage;
  }

  async sendPresenceUpdate(type: WAPresence, jid?: string): Promise<void> {
    this.presences.push({ type, ...(jid ? { jid } : {}), at: this.now() });
  }

  async logout(): Promise<void> {
    this.loggedOut = true;
    this.end(new Boom('Intentional Logout', { statusCode: 401 }));
  }

  end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.endError = error;
    this.emitter.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date(this.now()) } });
    this.emitter.removeAllListeners('connection.update');
  }
}

/** Creates FakeSockets and remembers them; `onCreate` lets a test script WhatsApp's first move. */
export class FakeSocketFactory implements SocketFactory {
  readonly sockets: FakeSocket[] = [];

  constructor(
    private readonly options: { now?: () => number; onCreate?: (socket: FakeSocket) => void } = {},
  ) {}

  create(input: SocketFactoryInput): FakeSocket {
    const socket = new FakeSocket(input.instanceId, input.auth, this.options.now);
    this.sockets.push(socket);
    if (this.options.onCreate) queueMicrotask(() => this.options.onCreate?.(socket));
    return socket;
  }

  latest(instanceId?: string): FakeSocket {
    const matching = this.sockets.filter((socket) => !instanceId || socket.instanceId === instanceId);
    const socket = matching[matching.length - 1];
    if (!socket) throw new Error(`no socket was created${instanceId ? ` for ${instanceId}` : ''}`);
    return socket;
  }

  /** Sockets not ended yet, per instance. */
  live(instanceId: string): FakeSocket[] {
    return this.sockets.filter((socket) => socket.instanceId === instanceId && !socket.ended);
  }
}
