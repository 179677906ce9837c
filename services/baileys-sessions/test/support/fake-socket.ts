import { EventEmitter } from 'node:events';
import { Boom } from '@hapi/boom';
import type { AnyMessageContent, AuthenticationState, BaileysEventMap, proto, WAMessage, WAPresence } from '@whiskeysockets/baileys';
import type { SessionSocket, SessionSocketEvents, SocketFactory, SocketFactoryInput } from '../../src/session/session-socket.ts';

export interface SentMessage {
  jid: string;
  content: AnyMessageContent;
  id: string;
}

/** What rc14's `pair-success` leaves in the creds of a linked device: the signed device identity and `me`. */
export function pairedCreds(accountJid: string): Pick<AuthenticationState['creds'], 'me' | 'account' | 'platform'> {
  return {
    me: { id: accountJid, lid: '99887766554433:12@lid', name: 'Padaria' },
    account: {
      details: Buffer.from('device-details'),
      accountSignatureKey: Buffer.alloc(32, 1),
      accountSignature: Buffer.alloc(64, 2),
      deviceSignature: Buffer.alloc(64, 3),
    },
    platform: 'smba',
  };
}

/** The events Baileys' event buffer holds back while it buffers (rc14 `BUFFERABLE_EVENT`, the ones we listen to). */
const bufferable = new Set<keyof BaileysEventMap>(['messages.upsert', 'messages.update']);

/**
 * A stand-in for a Baileys 7.0.0-rc14 socket: the test plays WhatsApp's side by emitting Baileys' real event shapes
 * (`connection.update` with qr/open/close and a Boom carrying a `DisconnectReason` code, `creds.update`,
 * `messages.upsert`, `messages.update`). It is as unkind as rc14 where that matters:
 * - it applies `creds.update` to the auth creds itself before anyone else hears it;
 * - pairing by QR sets `account`/`me` but never `registered` (only the pairing-code flow does);
 * - `requestPairingCode` writes `creds.me` and emits `creds.update` first, then fails with 428 unless the WebSocket is
 *   open (it is once the first QR came, or once connected);
 * - while `bufferEvents()` is on, messages are held back (receipts already went out) and `end()` discards them,
 *   like rc14's `ev.destroy()`; only `ev.flush()` delivers them;
 * - `end()` emits a close with the given error exactly once;
 * - `onWhatsApp` answers only for numbers the test registered (with WhatsApp's own JID for them).
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
  /** The WebSocket is open: after the first QR, or once connected. */
  wsOpen = false;
  /** Numbers WhatsApp knows: the digits asked → the JID it answers with (e.g. Brazil's ninth digit added). */
  readonly whatsAppNumbers = new Map<string, string>();
  readonly onWhatsAppQueries: string[][] = [];
  private buffering = false;
  private buffered: { event: keyof BaileysEventMap; data: unknown }[] = [];
  private frameListeners: (() => void)[] = [];
  private nextId = 1;

  constructor(
    readonly instanceId: string,
    readonly auth: AuthenticationState,
    private readonly now: () => number = Date.now,
    readonly input?: SocketFactoryInput,
  ) {
    this.emitter.setMaxListeners(50);
    this.ev = {
      on: (event, listener) => void this.emitter.on(event, listener as (data: unknown) => void),
      flush: () => this.flushBuffer(),
    };
    // makeWASocket's own listener comes first: creds are updated before the app saves them.
    this.emitter.on('creds.update', (update: Partial<AuthenticationState['creds']>) => Object.assign(this.auth.creds, update));
  }

  emit<K extends keyof BaileysEventMap>(event: K, data: BaileysEventMap[K]): void {
    if (this.ended && event !== 'connection.update') return;
    if (this.buffering && bufferable.has(event)) {
      this.buffered.push({ event, data });
      return;
    }
    this.emitter.emit(event, data);
  }

  /** Baileys starts buffering while it processes a batch of stanzas (offline notifications, a burst of messages). */
  bufferEvents(): void {
    this.buffering = true;
  }

  showQr(qr = `2@${Math.random().toString(36).slice(2)},fakeNoiseKey,fakeIdentityKey,fakeAdvKey`): void {
    this.wsOpen = true;
    this.emit('connection.update', { qr });
  }

  /**
   * The phone scanned the QR (or typed the pairing code): WhatsApp sends `pair-success`, Baileys stores the signed
   * device identity (`account`) and `me` — `registered` stays false on the QR path — and WhatsApp asks for a restart.
   */
  completePairing(account = '5511888880000:12@s.whatsapp.net'): void {
    this.emit('creds.update', pairedCreds(account));
    this.end(new Boom('Stream Errored (restart required)', { statusCode: 515 }));
  }

  open(): void {
    this.wsOpen = true;
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
    // rc14 overwrites and announces `me` before it even tries to send the request.
    this.emit('creds.update', { pairingCode: 'ABCD1234', me: { id: `${phoneNumber}@s.whatsapp.net`, name: '~' } });
    if (!this.wsOpen || this.ended) throw new Boom('Connection Closed', { statusCode: 428 });
    this.pairingRequests.push(phoneNumber);
    return 'ABCD1234';
  }

  async sendMessage(jid: string, content: AnyMessageContent): Promise<WAMessage | undefined> {
    if (this.sendFailure) throw this.sendFailure;
    if (!this.wsOpen || this.ended) throw new Boom('Connection Closed', { statusCode: 428 });
    const id = `3EB0FAKE${String(this.nextId++).padStart(12, '0')}`;
    this.sent.push({ jid, content, id });
    const message: proto.IMessage = 'text' in content ? { extendedTextMessage: { text: content.text } } : { conversation: '[media]' };
    return { key: { remoteJid: jid, fromMe: true, id }, message, messageTimestamp: Math.floor(this.now() / 1000), status: 1 } as WAMessage;
  }

  async sendPresenceUpdate(type: WAPresence, jid?: string): Promise<void> {
    this.presences.push({ type, ...(jid ? { jid } : {}), at: this.now() });
  }

  async onWhatsApp(...phoneNumbers: string[]): Promise<{ jid: string; exists: boolean }[]> {
    this.onWhatsAppQueries.push(phoneNumbers);
    return phoneNumbers.flatMap((number) => {
      const jid = this.whatsAppNumbers.get(number.replace(/\D/g, ''));
      return jid ? [{ jid, exists: true }] : [];
    });
  }

  /** The phone asks us to resend a message it could not decrypt: Baileys answers from `getMessage` (the app's store). */
  async answerRetryRequest(key: proto.IMessageKey): Promise<proto.IMessage | undefined> {
    return this.input?.getMessage(key);
  }

  async logout(): Promise<void> {
    this.loggedOut = true;
    this.end(new Boom('Intentional Logout', { statusCode: 401 }));
  }

  end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.wsOpen = false;
    this.endError = error;
    this.emitter.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date(this.now()) } });
    this.emitter.removeAllListeners('connection.update');
    // rc14's `ev.destroy()`: whatever was still buffered is gone.
    this.buffered = [];
    this.buffering = false;
  }

  private flushBuffer(): boolean {
    if (!this.buffering) return false;
    this.buffering = false;
    const events = this.buffered;
    this.buffered = [];
    for (const { event, data } of events) this.emitter.emit(event, data);
    return true;
  }
}

/** Creates FakeSockets and remembers them; `onCreate` lets a test script WhatsApp's first move. */
export class FakeSocketFactory implements SocketFactory {
  readonly sockets: FakeSocket[] = [];
  readonly inputs: SocketFactoryInput[] = [];

  constructor(private readonly options: { now?: () => number; onCreate?: (socket: FakeSocket) => void } = {}) {}

  create(input: SocketFactoryInput): FakeSocket {
    const socket = new FakeSocket(input.instanceId, input.auth, this.options.now, input);
    this.sockets.push(socket);
    this.inputs.push(input);
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
