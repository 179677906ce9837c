import type {
  AnyMessageContent,
  AuthenticationState,
  BaileysEventMap,
  MiscMessageGenerationOptions,
  WAMessage,
  WAPresence,
} from '@whiskeysockets/baileys';
import type { Logger } from '@app/runtime/service';

/** The events the session listens to, with Baileys' own payload types. */
export interface SessionSocketEvents {
  on<K extends keyof BaileysEventMap>(event: K, listener: (data: BaileysEventMap[K]) => void): void;
  removeAllListeners(event?: keyof BaileysEventMap): void;
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
}

export interface SocketFactory {
  create(input: SocketFactoryInput): SessionSocket | Promise<SessionSocket>;
}
