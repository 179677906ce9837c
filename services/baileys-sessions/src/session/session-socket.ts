import type {
  AnyMessageContent,
  AuthenticationState,
  BaileysEventMap,
  CacheStore,
  MiscMessageGenerationOptions,
  proto,
  WAMessage,
  WAPresence,
} from '@whiskeysockets/baileys';
import type { Logger } from '@app/runtime/service';

/** The events the session listens to, with Baileys' own payload types. */
export interface SessionSocketEvents {
  on<K extends keyof BaileysEventMap>(event: K, listener: (data: BaileysEventMap[K]) => void): void;
  /**
   * Emits what Baileys' event buffer holds back. Receipts for those messages already went out and `end()` discards
   * the buffer, so this runs before a socket is ended and when it closes.
   */
  flush(): boolean;
}

/**
 * The part of a Baileys socket a session uses. Production wraps `makeWASocket`; tests use a fake that emits the
 * same event shapes. Everything else (signal repository, queries) stays inside the adapter.
 */
export interface SessionSocket {
  readonly ev: SessionSocketEvents;
  /** Called for every frame received from WhatsApp: the watchdog's sign of life. */
  onFrame(listener: () => void): void;
  /** A keep-alive query (`iq ping`); rejects when no answer comes within `timeoutMs`. */
  ping(timeoutMs: number): Promise<void>;
  /** Phone number as digits (E.164 without `+`); returns the 8-character code to type on the phone. */
  requestPairingCode(phoneNumber: string): Promise<string>;
  sendMessage(jid: string, content: AnyMessageContent, options?: MiscMessageGenerationOptions): Promise<WAMessage | undefined>;
  sendPresenceUpdate(type: WAPresence, jid?: string): Promise<void>;
  /** Which of these numbers (digits) are on WhatsApp, with the JID WhatsApp uses for each (USync). */
  onWhatsApp(...phoneNumbers: string[]): Promise<{ jid: string; exists: boolean }[] | undefined>;
  /** Asks the phone to upload an expired media file again (Baileys' `updateMediaMessage`); optional in fakes. */
  updateMediaMessage?(message: WAMessage): Promise<WAMessage>;
  /** Unlinks the device on WhatsApp's side; the socket then closes with 401. */
  logout(): Promise<void>;
  /** Closes the socket; Baileys emits `connection.update` close with this error. */
  end(error?: Error): void;
}

export interface SocketFactoryInput {
  instanceId: string;
  auth: AuthenticationState;
  logger: Logger;
  /**
   * A message we sent, for a resend when a recipient's device asks for it (retry receipt) after Baileys' own
   * 5-minute, 512-message cache forgot it. Without it the customer sees "Waiting for this message".
   */
  getMessage(key: proto.IMessageKey): Promise<proto.IMessage | undefined>;
  /** Retry counts per message: the session's, so a socket restart does not reset them. */
  messageRetries: CacheStore;
}

export interface SocketFactory {
  create(input: SocketFactoryInput): SessionSocket | Promise<SessionSocket>;
}
